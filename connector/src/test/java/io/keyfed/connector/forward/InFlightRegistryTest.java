package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InFlightRegistryTest {

    @Test
    void aClaimedRequestCannotBeClaimedAgainUntilReleased() {
        InFlightRegistry registry = new InFlightRegistry(10);
        assertTrue(registry.tryClaim(1, 0));
        assertFalse(registry.tryClaim(1, 0));
        assertTrue(registry.tryClaim(2, 0));
        registry.release(1);
        assertTrue(registry.tryClaim(1, 0));
    }

    @Test
    void aFinishedRequestStaysRefusedUntilItsDeadline() {
        InFlightRegistry registry = new InFlightRegistry(10);
        assertTrue(registry.tryClaim(5, 0));
        registry.finish(5, 1_000, 10);
        assertFalse(registry.isClaimed(5));
        assertFalse(registry.tryClaim(5, 999));
        assertTrue(registry.tryClaim(5, 1_000));
    }

    @Test
    void finishingAfterTheDeadlineRemembersNothing() {
        InFlightRegistry registry = new InFlightRegistry(10);
        registry.tryClaim(5, 0);
        registry.finish(5, 100, 200);
        assertEquals(0, registry.finishedCount());
        assertTrue(registry.tryClaim(5, 200));
    }

    @Test
    void memoryIsBoundedAndPurgesExpiredEntriesFirst() {
        InFlightRegistry registry = new InFlightRegistry(2);
        registry.finish(1, 100, 0);
        registry.finish(2, 1_000, 0);
        registry.finish(3, 1_000, 50);
        assertEquals(2, registry.finishedCount());
        registry.finish(4, 1_000, 500);
        assertEquals(2, registry.finishedCount());
        assertTrue(registry.tryClaim(3, 500), "not remembered: memory was full of live entries");
        assertFalse(registry.tryClaim(4, 500), "remembered after request 1 expired");
        assertFalse(registry.tryClaim(2, 500));
        assertEquals(1, registry.claimedCount());
    }
}
