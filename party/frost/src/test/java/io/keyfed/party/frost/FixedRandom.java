package io.keyfed.party.frost;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;

/** TEST ONLY: a "random" source that hands out the given byte strings in order (a vector's randomness). */
final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient Deque<byte[]> queue = new ArrayDeque<>();

    FixedRandom(byte[]... outputs) {
        for (byte[] o : outputs) {
            queue.add(o);
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = queue.remove();
        if (next.length != bytes.length) {
            throw new IllegalStateException("asked for " + bytes.length + " bytes, have " + next.length);
        }
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }

    boolean drained() {
        return queue.isEmpty();
    }
}
