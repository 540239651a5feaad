package io.keyfed.connector.fake;

import java.util.function.BooleanSupplier;

/** Waiting for a state in the connector tests. */
public final class Await {
    private Await() {
    }

    /** Polls until the condition holds, failing after a generous bound (not a timing assertion). */
    public static void await(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("gave up waiting: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting: " + what);
            }
        }
    }
}
