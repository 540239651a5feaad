package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void startsWithOneSecondOfBurstThenMakesTheCallerWait() {
        TokenBucket bucket = new TokenBucket(5);
        long t = 1_000 * MS;
        for (int i = 0; i < 5; i++) {
            assertEquals(0, bucket.tryAcquire(t), "token " + i);
        }
        long wait = bucket.tryAcquire(t);
        assertEquals(200 * MS, wait);
    }

    @Test
    void refillsAtTheConfiguredRate() {
        TokenBucket bucket = new TokenBucket(10);
        long t = 0;
        for (int i = 0; i < 10; i++) {
            bucket.tryAcquire(t);
        }
        assertTrue(bucket.tryAcquire(t) > 0);
        t += 100 * MS;
        assertEquals(0, bucket.tryAcquire(t));
        assertTrue(bucket.tryAcquire(t) > 0);
        t += 50 * MS;
        assertEquals(50 * MS, bucket.tryAcquire(t));
    }

    @Test
    void neverHoldsMoreThanOneSecondOfTokens() {
        TokenBucket bucket = new TokenBucket(3);
        bucket.tryAcquire(0);
        assertEquals(3.0, bucket.available(3_600_000 * MS), 1e-9);
    }

    @Test
    void zeroMeansUnlimited() {
        TokenBucket bucket = new TokenBucket(0);
        assertTrue(bucket.unlimited());
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, bucket.tryAcquire(0));
        }
    }

    @Test
    void clockGoingBackwardsTakesNothing() {
        TokenBucket bucket = new TokenBucket(1);
        assertEquals(0, bucket.tryAcquire(10 * MS));
        assertTrue(bucket.tryAcquire(5 * MS) > 0);
    }

    @Test
    void rejectsNegativeRates() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(-1));
    }
}
