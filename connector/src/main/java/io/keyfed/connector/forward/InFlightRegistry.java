package io.keyfed.connector.forward;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * In-process de-duplication of requests. A request id is <em>claimed</em> while it waits in the queue or is
 * being forwarded, so a second event for it (a PARTIAL transition, a replay after reconnect) does not start
 * it twice. After it is done (answer accepted, ledger said "already final/answered", or ledger refused it) it
 * is remembered as <em>finished</em> until its deadline, so later events for it are ignored too.
 *
 * <p>This memory is an optimisation only: after a restart it is empty, and the party's per-request
 * idempotency plus the ledger's refusal of a second answer keep a repeated forward harmless.
 */
public final class InFlightRegistry {

    private final Set<Long> claimed = new HashSet<>();
    private final Map<Long, Long> finishedUntil = new HashMap<>();
    private final int maxFinished;

    public InFlightRegistry(int maxFinished) {
        this.maxFinished = maxFinished;
    }

    /** Claims the id; false when it is already claimed or finished. */
    public synchronized boolean tryClaim(long requestId, long nowMillis) {
        Long until = finishedUntil.get(requestId);
        if (until != null) {
            if (until > nowMillis) {
                return false;
            }
            finishedUntil.remove(requestId);
        }
        return claimed.add(requestId);
    }

    /** Releases a claim without remembering the request (it may be forwarded again). */
    public synchronized void release(long requestId) {
        claimed.remove(requestId);
    }

    /** Releases the claim and remembers the request as finished until {@code untilMillis}. */
    public synchronized void finish(long requestId, long untilMillis, long nowMillis) {
        claimed.remove(requestId);
        if (untilMillis <= nowMillis) {
            return;
        }
        if (finishedUntil.size() >= maxFinished) {
            purge(nowMillis);
        }
        if (finishedUntil.size() < maxFinished) {
            finishedUntil.put(requestId, untilMillis);
        }
    }

    public synchronized boolean isClaimed(long requestId) {
        return claimed.contains(requestId);
    }

    public synchronized int claimedCount() {
        return claimed.size();
    }

    public synchronized int finishedCount() {
        return finishedUntil.size();
    }

    private void purge(long nowMillis) {
        for (Iterator<Map.Entry<Long, Long>> it = finishedUntil.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() <= nowMillis) {
                it.remove();
            }
        }
    }
}
