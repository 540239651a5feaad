package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        assertEquals(200, backoff.baseDelayMillis(0));
        assertEquals(400, backoff.baseDelayMillis(1));
        assertEquals(800, backoff.baseDelayMillis(2));
        assertEquals(1600, backoff.baseDelayMillis(3));
        assertEquals(3200, backoff.baseDelayMillis(4));
        assertEquals(5000, backoff.baseDelayMillis(5));
        assertEquals(5000, backoff.baseDelayMillis(6));
    }

    @Test
    void hugeAttemptNumbersStayAtTheCap() {
        assertEquals(5000, backoff.baseDelayMillis(Integer.MAX_VALUE));
    }

    @Test
    void jitterOnlyShortensTheDelayByAtMostItsShare() {
        assertEquals(800, backoff.delayMillis(2, () -> 0.0));
        assertEquals(640, backoff.delayMillis(2, () -> 1.0));
        long mid = backoff.delayMillis(2, () -> 0.5);
        assertTrue(mid > 640 && mid < 800, "got " + mid);
    }

    @Test
    void delayIsNeverZero() {
        Backoff full = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1.0);
        assertEquals(1, full.delayMillis(0, () -> 0.999));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
        assertThrows(IllegalArgumentException.class, () -> backoff.baseDelayMillis(-1));
    }
}
