package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.SignSessionId;

/**
 * The attempt rules of one sign request's FROST session, from SIGNING.md "A rotating coordinator
 * (a light form of ROAST)": who coordinates attempt {@code a}, who is excluded, when an attempt and when the
 * whole request is given up, and which signer set a coordinator takes.
 *
 * <p>Immutable: {@link #exclude} and {@link #next} return new states. No I/O and no clock: the caller passes
 * the time in as epoch milliseconds. Identifiers are the 1-based positions in the ordered snapshot.
 * Nothing here is secret, so {@link #toString} shows the whole state.
 */
public final class SigningAttempts {
    /**
     * The shortest budget {@link #attemptDeadline} gives an attempt, unless the request deadline is closer:
     * a COMMIT, PACKAGE, SHARE and RESULT round trip must fit in it.
     */
    public static final long MIN_ATTEMPT_MILLIS = 500;

    private final byte[] sessionId;
    private final List<String> snapshot;
    private final Map<String, Integer> positions;
    private final int threshold;
    private final long requestDeadlineMs;
    private final int messageCount;
    private final int attempt;
    /** Exclusion reasons by snapshot position; null where the party is not excluded. */
    private final String[] exclusions;

    /**
     * The state of attempt 0 of a request.
     *
     * @param sessionId          the 32-byte signing session id ({@link SignSessionId#derive})
     * @param orderedSnapshot    the key snapshot's party addresses, strictly ascending byte-wise (UTF-8)
     * @param threshold          t, 1 &lt;= t &lt;= n
     * @param requestDeadlineMs  the request's deadline, epoch milliseconds
     * @param messageCount       the number of messages the request signs, at least 1
     * @throws IllegalArgumentException naming the problem: a session id that is not 32 bytes, a null, empty,
     *                                  too large, unsorted or duplicated snapshot, a threshold out of range,
     *                                  or a message count below 1
     */
    public SigningAttempts(byte[] sessionId, List<String> orderedSnapshot, int threshold, long requestDeadlineMs,
            int messageCount) {
        if (sessionId == null || sessionId.length != SignSessionId.LENGTH) {
            throw new IllegalArgumentException("session id must be " + SignSessionId.LENGTH + " bytes");
        }
        if (orderedSnapshot == null) {
            throw new IllegalArgumentException("snapshot must not be null");
        }
        int n = orderedSnapshot.size();
        if (n < 1 || n > SignSessionId.MAX_PARTIES) {
            throw new IllegalArgumentException("snapshot size " + n + " out of range 1.." + SignSessionId.MAX_PARTIES);
        }
        DkgSessionId.requireSorted(orderedSnapshot);
        if (threshold < 1 || threshold > n) {
            throw new IllegalArgumentException("threshold " + threshold + " out of range 1.." + n);
        }
        if (messageCount < 1) {
            throw new IllegalArgumentException("message count must be at least 1, got " + messageCount);
        }
        this.sessionId = sessionId.clone();
        this.snapshot = List.copyOf(orderedSnapshot);
        Map<String, Integer> pos = new HashMap<>();
        for (int i = 0; i < n; i++) {
            pos.put(snapshot.get(i), i);
        }
        this.positions = Collections.unmodifiableMap(pos);
        this.threshold = threshold;
        this.requestDeadlineMs = requestDeadlineMs;
        this.messageCount = messageCount;
        this.attempt = 0;
        this.exclusions = new String[n];
    }

    private SigningAttempts(SigningAttempts from, int attempt, String[] exclusions) {
        this.sessionId = from.sessionId;
        this.snapshot = from.snapshot;
        this.positions = from.positions;
        this.threshold = from.threshold;
        this.requestDeadlineMs = from.requestDeadlineMs;
        this.messageCount = from.messageCount;
        this.attempt = attempt;
        this.exclusions = exclusions;
    }

    /** The attempt number, from 0. */
    public int attempt() {
        return attempt;
    }

    /**
     * The coordinator of this attempt. SIGNING.md: "Attempt a (from 0) is coordinated by the snapshot party
     * at 0-based position (u64 big-endian of the session id's bytes 0..7 + a) mod n" ({@link
     * SignSessionId#coordinator}). Over n consecutive attempts every party coordinates once.
     */
    public String coordinator() {
        return coordinatorOf(attempt);
    }

    /** The ordered snapshot, n addresses. */
    public List<String> snapshot() {
        return snapshot;
    }

    /** t. */
    public int threshold() {
        return threshold;
    }

    /** The request deadline, epoch milliseconds. */
    public long requestDeadlineMs() {
        return requestDeadlineMs;
    }

    /** The number of messages the request signs (one fresh nonce pair each per attempt). */
    public int messageCount() {
        return messageCount;
    }

    /** The 1-based identifier of a snapshot member, or empty for a non-member. */
    public Optional<Integer> identifier(String address) {
        Integer p = address == null ? null : positions.get(address);
        return p == null ? Optional.empty() : Optional.of(p + 1);
    }

    /**
     * The excluded parties, in identifier order. SIGNING.md: "A signer whose share failed verification is
     * excluded from every later attempt of that request (ROAST's rule)"; a failed share check names them.
     */
    public Set<String> excluded() {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < exclusions.length; i++) {
            if (exclusions[i] != null) {
                out.add(snapshot.get(i));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** Why a party was excluded, or empty if it is not. */
    public Optional<String> exclusionReason(String address) {
        Integer p = address == null ? null : positions.get(address);
        return p == null ? Optional.empty() : Optional.ofNullable(exclusions[p]);
    }

    /**
     * This state with {@code address} excluded from every later attempt (ROAST's rule, SIGNING.md "A signer
     * whose share failed verification is excluded from every later attempt of that request"). Excluding a
     * party twice changes nothing: the first reason stays.
     *
     * @throws IllegalArgumentException for an address outside the snapshot or a blank reason
     */
    public SigningAttempts exclude(String address, String reason) {
        Integer p = address == null ? null : positions.get(address);
        if (p == null) {
            throw new IllegalArgumentException("cannot exclude a party outside the snapshot: " + address);
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an exclusion needs a reason");
        }
        if (exclusions[p] != null) {
            return this;
        }
        String[] next = exclusions.clone();
        next[p] = reason;
        return new SigningAttempts(this, attempt, next);
    }

    /**
     * What follows this attempt once it failed (SIGNING.md: "If the coordinator is silent or slow, or a share
     * is bad, the parties move to attempt a+1 with fresh nonces. There are at most n attempts, all within the
     * deadline."). Checked in this order:
     * <ol>
     *   <li>fewer than t parties are not excluded: give up, naming the excluded and why (no signer set can
     *       form without them);</li>
     *   <li>{@code nowMs} is at or after the request deadline: give up;</li>
     *   <li>otherwise the next attempt whose coordinator is not excluded (an excluded coordinator's attempt
     *       is skipped, and counts as used); if that would be attempt n or later, give up: all n attempts
     *       are used.</li>
     * </ol>
     */
    public Step next(long nowMs) {
        int n = snapshot.size();
        int remaining = n - excluded().size();
        if (remaining < threshold) {
            return new Step.GiveUp("only " + remaining + " of " + n + " parties are not excluded, fewer than t="
                    + threshold + "; excluded: " + describeExclusions());
        }
        if (nowMs >= requestDeadlineMs) {
            return new Step.GiveUp("the request deadline has passed after attempt " + attempt);
        }
        for (int a = attempt + 1; a < n; a++) {
            if (!isExcluded(coordinatorOf(a))) {
                return new Step.Attempt(new SigningAttempts(this, a, exclusions));
            }
        }
        return new Step.GiveUp("all " + n + " attempts are used" + (remaining < n
                ? " (the attempts of excluded coordinators are skipped; excluded: " + describeExclusions() + ")"
                : ""));
    }

    /**
     * When this attempt is given up, epoch milliseconds: the time left to the request deadline split evenly
     * over the attempts that can still run, this one included (SIGNING.md: "at most n attempts, all within
     * the deadline"), i.e. {@code now + (deadline - now) / left}, where {@code left} counts this attempt and
     * every later one below n whose coordinator is not excluded. It is at least {@code now +}
     * {@link #MIN_ATTEMPT_MILLIS} unless the request deadline is closer, and never after the request deadline.
     */
    public long attemptDeadline(long nowMs) {
        if (nowMs >= requestDeadlineMs) {
            return requestDeadlineMs;
        }
        long timeLeft = requestDeadlineMs - nowMs;
        if (timeLeft < 0) { // overflow of the subtraction: a deadline very far ahead
            timeLeft = Long.MAX_VALUE;
        }
        int left = 1;
        for (int a = attempt + 1; a < snapshot.size(); a++) {
            if (!isExcluded(coordinatorOf(a))) {
                left++;
            }
        }
        long share = Math.max(timeLeft / left, Math.min(MIN_ATTEMPT_MILLIS, timeLeft));
        return nowMs + share;
    }

    /**
     * The signer set a coordinator takes from the commitments it holds (SIGNING.md: "The coordinator takes
     * the first t commitments, its own included, sorted by identifier"). Commitments from non-members, from
     * excluded parties and repeated ones after the first are dropped. The coordinator's own commitment is
     * required and always taken; the other t-1 are the first by arrival. The set is returned sorted by
     * identifier, or empty when the coordinator's own commitment is missing (or it is excluded) or fewer than
     * t usable commitments are there.
     *
     * @param committedInArrivalOrder the senders of the commitments, in the order they arrived
     * @throws IllegalArgumentException for a null list
     */
    public List<String> signerSet(List<String> committedInArrivalOrder) {
        if (committedInArrivalOrder == null) {
            throw new IllegalArgumentException("commitment list must not be null");
        }
        String coordinator = coordinator();
        Set<String> seen = new HashSet<>();
        List<String> usable = new ArrayList<>();
        for (String sender : committedInArrivalOrder) {
            if (sender != null && positions.containsKey(sender) && !isExcluded(sender) && seen.add(sender)) {
                usable.add(sender);
            }
        }
        if (!seen.contains(coordinator) || usable.size() < threshold) {
            return List.of();
        }
        List<String> set = new ArrayList<>(threshold);
        set.add(coordinator);
        for (String sender : usable) {
            if (set.size() == threshold) {
                break;
            }
            if (!sender.equals(coordinator)) {
                set.add(sender);
            }
        }
        set.sort((x, y) -> Integer.compare(positions.get(x), positions.get(y)));
        return List.copyOf(set);
    }

    @Override
    public String toString() {
        return "SigningAttempts[attempt=" + attempt + ", coordinator=" + coordinator() + ", excluded="
                + excluded() + "]";
    }

    /**
     * This state moved straight to attempt {@code a}, keeping the exclusions: how a party that hears from a later
     * attempt's coordinator (or, as that coordinator, from a signer of it) catches up with the others. Empty when
     * {@code a} is not after this attempt or not below n.
     */
    public Optional<SigningAttempts> jumpTo(int a) {
        if (a <= attempt || a >= snapshot.size()) {
            return Optional.empty();
        }
        return Optional.of(new SigningAttempts(this, a, exclusions));
    }

    /** The coordinator of attempt {@code a} (from 0), whether or not it is excluded. */
    public String coordinatorOf(int a) {
        return snapshot.get(SignSessionId.coordinator(sessionId, a, snapshot.size()));
    }

    private boolean isExcluded(String address) {
        return exclusions[positions.get(address)] != null;
    }

    private String describeExclusions() {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < exclusions.length; i++) {
            if (exclusions[i] != null) {
                j.add(snapshot.get(i) + " (" + exclusions[i] + ")");
            }
        }
        return j.toString();
    }
}
