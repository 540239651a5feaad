package io.keyfed.party.signing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The faults this party's signing sessions pinned on a peer, newest last, for the admin view
 * ({@code GET /admin/signing/faults}): who, in which sign request and attempt, which check, and what followed
 * (excluded from later attempts, or the attempt dropped). Only checks this party made itself on authenticated
 * messages name a party: a share that fails verification against the package it names, a package or result
 * that fails its checks. Bounded: the oldest entries go first. Thread-safe. Public data only.
 */
public final class SigningFaults {
    /** One named fault. */
    public record Fault(long signRequestId, int attempt, String culprit, String check, String detail,
            long atUnixMs) {
    }

    private final int max;
    private final Deque<Fault> faults = new ArrayDeque<>();

    public SigningFaults(int max) {
        this.max = max;
    }

    synchronized void record(Fault f) {
        if (faults.size() >= max) {
            faults.removeFirst();
        }
        faults.addLast(f);
    }

    /** The recorded faults, oldest first. */
    public synchronized List<Fault> all() {
        return new ArrayList<>(faults);
    }
}
