package io.keyfed.party.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SigningAttemptsTest {
    private static final List<String> FOUR = List.of("party-a", "party-b", "party-c", "party-d");
    private static final List<String> FIVE = List.of("party-a", "party-b", "party-c", "party-d", "party-e");
    private static final long DEADLINE = 60_000;

    /** A session id whose bytes 0..7 read as the u64 {@code head}, so attempt a's coordinator is (head+a) mod n. */
    private static byte[] sessionWithHead(long head) {
        byte[] id = new byte[32];
        Arrays.fill(id, 8, 32, (byte) 0x5a);
        for (int i = 7; i >= 0; i--) {
            id[i] = (byte) head;
            head >>>= 8;
        }
        return id;
    }

    private static SigningAttempts attempts(long head, List<String> snapshot, int t) {
        return new SigningAttempts(sessionWithHead(head), snapshot, t, DEADLINE, 1);
    }

    private static SigningAttempts advance(SigningAttempts s, long now) {
        return assertInstanceOf(Step.Attempt.class, s.next(now)).state();
    }

    @Test
    void theCoordinatorRotatesOverEveryPartyInNAttempts() {
        SigningAttempts s = attempts(2, FOUR, 2);
        List<String> coordinators = new ArrayList<>();
        coordinators.add(s.coordinator());
        for (int a = 1; a < 4; a++) {
            s = advance(s, 0);
            assertEquals(a, s.attempt());
            coordinators.add(s.coordinator());
        }
        assertEquals(List.of("party-c", "party-d", "party-a", "party-b"), coordinators);
    }

    @Test
    void theRotationDoesNotWrapAt2To64() {
        // bytes 0..7 = ff..ff: (2^64 - 1) mod 4 = 3, then attempt 1 gives 2^64 mod 4 = 0.
        SigningAttempts s = attempts(-1L, FOUR, 2);
        assertEquals("party-d", s.coordinator());
        assertEquals("party-a", advance(s, 0).coordinator());
    }

    @Test
    void nAttemptsAtMost() {
        SigningAttempts s = attempts(1, List.of("p1", "p2", "p3"), 2);
        int attemptsRun = 1;
        Step step;
        while ((step = s.next(0)) instanceof Step.Attempt next) {
            s = next.state();
            attemptsRun++;
        }
        assertEquals(3, attemptsRun);
        assertEquals(2, s.attempt());
        assertTrue(((Step.GiveUp) step).reason().contains("all 3 attempts are used"), ((Step.GiveUp) step).reason());
    }

    @Test
    void anExcludedCoordinatorIsSkipped() {
        SigningAttempts s = attempts(0, FOUR, 2).exclude("party-b", "bad share in attempt 0");
        SigningAttempts next = advance(s, 0);
        assertEquals(2, next.attempt());
        assertEquals("party-c", next.coordinator());
    }

    @Test
    void theSkippedAttemptsCountAgainstTheBudget() {
        // Attempt 0 by d; the later coordinators a, b, c are all excluded but t=1 leaves enough signers.
        SigningAttempts s = attempts(3, FOUR, 1)
                .exclude("party-a", "bad share").exclude("party-b", "bad share").exclude("party-c", "bad share");
        Step.GiveUp up = assertInstanceOf(Step.GiveUp.class, s.next(0));
        assertTrue(up.reason().contains("all 4 attempts are used"), up.reason());
    }

    @Test
    void anExcludedSignerIsNeverInALaterSignerSet() {
        SigningAttempts s = attempts(0, FOUR, 2).exclude("party-b", "bad share in attempt 0");
        List<String> everyoneCommits = List.of("party-b", "party-a", "party-c", "party-d");
        int later = 0;
        Step step;
        while ((step = s.next(0)) instanceof Step.Attempt next) {
            s = next.state();
            later++;
            List<String> set = s.signerSet(everyoneCommits);
            assertEquals(2, set.size(), set.toString());
            assertFalse(set.contains("party-b"), set.toString());
        }
        assertEquals(2, later); // attempts 2 (c) and 3 (d); attempt 1 (b) skipped
        assertInstanceOf(Step.GiveUp.class, step);
    }

    @Test
    void anExcludedCoordinatorTakesNoSignerSet() {
        SigningAttempts s = attempts(0, FOUR, 2).exclude("party-a", "bad share");
        assertEquals(List.of(), s.signerSet(FOUR));
    }

    @Test
    void fewerThanTRemainingGivesUpNamingTheExcluded() {
        SigningAttempts s = attempts(0, List.of("p1", "p2", "p3"), 2)
                .exclude("p2", "share failed verification in attempt 0")
                .exclude("p3", "share failed verification in attempt 1");
        Step.GiveUp up = assertInstanceOf(Step.GiveUp.class, s.next(0));
        String r = up.reason();
        assertTrue(r.contains("fewer than t=2"), r);
        assertTrue(r.contains("p2 (share failed verification in attempt 0)"), r);
        assertTrue(r.contains("p3 (share failed verification in attempt 1)"), r);
        assertFalse(r.contains("p1"), r);
    }

    @Test
    void exactlyTRemainingStillAttempts() {
        SigningAttempts s = attempts(0, List.of("p1", "p2", "p3"), 2).exclude("p3", "bad share");
        assertEquals(1, advance(s, 0).attempt());
    }

    @Test
    void aPassedDeadlineGivesUp() {
        SigningAttempts s = attempts(0, FOUR, 2);
        Step.GiveUp up = assertInstanceOf(Step.GiveUp.class, s.next(DEADLINE));
        assertTrue(up.reason().contains("deadline has passed"), up.reason());
        assertInstanceOf(Step.Attempt.class, s.next(DEADLINE - 1));
    }

    @Test
    void theAttemptBudgetSplitsTheTimeLeft() {
        SigningAttempts s = new SigningAttempts(sessionWithHead(0), FOUR, 2, 41_000, 1);
        assertEquals(1_000 + 40_000 / 4, s.attemptDeadline(1_000));
        SigningAttempts second = advance(s, 11_000);
        assertEquals(11_000 + 30_000 / 3, second.attemptDeadline(11_000));
        // Excluding c removes attempt 2 from the attempts left: two remain, this one and d's.
        assertEquals(11_000 + 30_000 / 2, second.exclude("party-c", "bad share").attemptDeadline(11_000));
        SigningAttempts last = advance(advance(second, 21_000), 31_000);
        assertEquals(3, last.attempt());
        assertEquals(41_000, last.attemptDeadline(31_000));
    }

    @Test
    void theAttemptBudgetHasAFloorButNeverPassesTheRequestDeadline() {
        SigningAttempts s = new SigningAttempts(sessionWithHead(0), FOUR, 2, 1_000, 1);
        assertEquals(SigningAttempts.MIN_ATTEMPT_MILLIS, s.attemptDeadline(0)); // 1000 / 4 = 250 is below the floor
        assertEquals(1_000, s.attemptDeadline(700)); // the request deadline is closer than the floor
        assertEquals(1_000, s.attemptDeadline(5_000)); // already past: never later than the request deadline
    }

    @Test
    void signerSetTakesTheFirstTByArrivalSortedByIdentifier() {
        SigningAttempts s = attempts(0, FIVE, 3); // coordinator party-a
        List<String> arrived = List.of("party-e", "stranger", "party-d", "party-d", "party-a", "party-b", "party-c");
        assertEquals(List.of("party-a", "party-d", "party-e"), s.signerSet(arrived));
    }

    @Test
    void signerSetRequiresTheCoordinatorsOwnCommitment() {
        SigningAttempts s = attempts(0, FOUR, 2); // coordinator party-a
        assertEquals(List.of(), s.signerSet(List.of("party-b", "party-c", "party-d")));
        // Its own commitment is always taken, even when it arrived last.
        assertEquals(List.of("party-a", "party-c"), s.signerSet(List.of("party-c", "party-b", "party-d", "party-a")));
    }

    @Test
    void fewerThanTUsableCommitmentsGiveNoSignerSet() {
        SigningAttempts s = attempts(0, FOUR, 3).exclude("party-c", "bad share");
        assertEquals(List.of(), s.signerSet(List.of("party-a", "party-b", "party-b", "party-c", "stranger")));
        assertEquals(List.of("party-a", "party-b", "party-d"),
                s.signerSet(List.of("party-a", "party-b", "party-c", "party-d")));
    }

    @Test
    void excludingReturnsANewStateAndTwiceChangesNothing() {
        SigningAttempts s = attempts(0, FOUR, 2);
        SigningAttempts once = s.exclude("party-c", "first reason");
        assertEquals(Set.of(), s.excluded());
        assertEquals(Set.of("party-c"), once.excluded());
        assertSame(once, once.exclude("party-c", "second reason"));
        assertEquals(Optional.of("first reason"), once.exclusionReason("party-c"));
        assertEquals(Optional.empty(), once.exclusionReason("party-a"));
        assertEquals(List.of("party-b", "party-c"),
                List.copyOf(once.exclude("party-b", "r").excluded())); // identifier order
    }

    @Test
    void excludingANonMemberOrWithoutAReasonIsRefused() {
        SigningAttempts s = attempts(0, FOUR, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.exclude("stranger", "r"));
        assertTrue(e.getMessage().contains("outside the snapshot"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.exclude(null, "r"));
        assertThrows(IllegalArgumentException.class, () -> s.exclude("party-a", " "));
    }

    @Test
    void badInputIsRefused() {
        byte[] id = sessionWithHead(0);
        assertRefused("session id must be 32 bytes", () -> new SigningAttempts(new byte[31], FOUR, 2, DEADLINE, 1));
        assertRefused("session id must be 32 bytes", () -> new SigningAttempts(null, FOUR, 2, DEADLINE, 1));
        assertRefused("snapshot must not be null", () -> new SigningAttempts(id, null, 2, DEADLINE, 1));
        assertRefused("snapshot size 0", () -> new SigningAttempts(id, List.of(), 1, DEADLINE, 1));
        assertRefused("strictly ascending",
                () -> new SigningAttempts(id, List.of("party-b", "party-a"), 1, DEADLINE, 1));
        assertRefused("strictly ascending",
                () -> new SigningAttempts(id, List.of("party-a", "party-a"), 1, DEADLINE, 1));
        assertRefused("threshold 0 out of range", () -> new SigningAttempts(id, FOUR, 0, DEADLINE, 1));
        assertRefused("threshold 5 out of range", () -> new SigningAttempts(id, FOUR, 5, DEADLINE, 1));
        assertRefused("message count", () -> new SigningAttempts(id, FOUR, 2, DEADLINE, 0));
        assertRefused("commitment list", () -> new SigningAttempts(id, FOUR, 2, DEADLINE, 1).signerSet(null));
    }

    @Test
    void theSessionIdIsCopied() {
        byte[] id = sessionWithHead(0);
        SigningAttempts s = new SigningAttempts(id, FOUR, 2, DEADLINE, 1);
        id[7] = 1;
        assertEquals("party-a", s.coordinator());
    }

    @Test
    void toStringShowsAttemptCoordinatorAndExcluded() {
        SigningAttempts s = attempts(0, FOUR, 2).exclude("party-b", "bad share");
        assertEquals("SigningAttempts[attempt=0, coordinator=party-a, excluded=[party-b]]", s.toString());
    }

    private static void assertRefused(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
