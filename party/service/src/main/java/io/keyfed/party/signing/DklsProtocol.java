package io.keyfed.party.signing;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.keyfed.api.verify.EcdsaVerifier;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.DklsError;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.pairing.PairSetups;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The DKLs23 messages of one attempt (SIGNING.md "DKLs23 for ECDSA"), over the pure engine ({@code DklsSign}):
 * <ul>
 * <li>READY (every party → the attempt's coordinator): a fresh 32-byte random contribution;</li>
 * <li>PLAN (coordinator → every party): the signer set, the first t READY senders with itself
 * ({@link SigningAttempts#signerSet}: excluded parties never chosen), and each signer's contribution. A signer checks
 * it came from the coordinator, is for the ledger-confirmed messages, has at least t signers, none excluded, and its
 * own contribution unchanged; the attempt's sid is {@link DklsRound#sid};</li>
 * <li>each signer gets its pairwise setup with every other signer ({@link PairSetups#ensure}, in parallel), then runs
 * the engine's three rounds for every message ({@link DklsSteps}): ROUND1 and ROUND2 to each other signer, ROUND3
 * (its share of each signature) to each other signer, and the verified low-S signatures;</li>
 * <li>RESULT (each signer → every other party): accepted from any attempt if every signature verifies (low-S ECDSA
 * under the key, over this party's own ledger-confirmed digests).</li>
 * </ul>
 * An engine abort names its culprit, who is excluded from later attempts; after a failed OT, multiplication or Γ check
 * the pair's setup is discarded. "No single culprit" moves on to the next attempt without exclusion. Runs under its
 * session's lock; the engine states and setups are wiped when the attempt ends.
 */
final class DklsProtocol implements AttemptProtocol {
    static final SecureRandom RANDOM = new SecureRandom();

    private final SignSpec spec;
    private final SigningSession session;
    private final PairSetups pairSetups;
    private final DklsSteps steps;
    private final byte[] verifyingKey;
    private final int m;
    private DklsRound round;

    DklsProtocol(SignSpec spec, SecretShare share, PublicKeyPackage pub, PairSetups pairSetups,
            SigningSession session) {
        this.spec = spec;
        this.session = session;
        this.pairSetups = pairSetups;
        this.steps = new DklsSteps(spec, share, pub, session, this);
        this.verifyingKey = spec.request().getVerifyingKey().toByteArray();
        this.m = spec.messages().size();
    }

    @Override
    public String name() {
        return "dkls23";
    }

    @Override
    public boolean anyAttempt(int kind) {
        return kind == EnvelopeCodec.KIND_DKLS_RESULT;
    }

    @Override
    public String catchUp(int kind, boolean fromItsCoordinator, boolean selfCoordinatesIt) {
        if (kind == EnvelopeCodec.KIND_DKLS_PLAN && fromItsCoordinator) {
            return "the plan";
        }
        return kind == EnvelopeCodec.KIND_DKLS_READY && selfCoordinatesIt ? "a READY" : null;
    }

    @Override
    public String stalled() {
        if (round.plan == null) {
            return "sent no plan";
        }
        if (round.signers != null && !round.isSigner(spec.selfId())) {
            return "sent a plan without this party; no RESULT arrived";
        }
        return "sent a plan; " + (round.states == null ? "pairwise setups not ready" : "at " + round.stage
                + ", messages of other signers missing");
    }

    @Override
    public void endAttempt() {
        if (round != null) {
            round.destroy();
        }
    }

    @Override
    public void started(int attempt, String coordinator) {
        byte[] contribution = new byte[32];
        RANDOM.nextBytes(contribution);
        round = new DklsRound(attempt, coordinator, contribution);
        if (coordinator.equals(spec.self())) {
            round.readies.put(spec.self(), contribution);
            tryPlan(round);
        } else {
            session.send(coordinator, EnvelopeCodec.KIND_DKLS_READY, DklsWire.ready(attempt, contribution));
        }
    }

    @Override
    public void handle(int kind, int j, String from, byte[] payload) {
        DklsRound r = round;
        if (kind == EnvelopeCodec.KIND_DKLS_RESULT) {
            result(from, payload);
            return;
        }
        if (r.ended) {
            return; // the attempt is over here
        }
        try {
            switch (kind) {
            case EnvelopeCodec.KIND_DKLS_READY -> ready(r, from, DklsWire.decodeReady(payload));
            case EnvelopeCodec.KIND_DKLS_PLAN -> plan(r, from, payload);
            default -> roundMessage(r, kind - EnvelopeCodec.KIND_DKLS_ROUND1, j, from, payload);
            }
        } catch (SigningWire.Malformed bad) {
            session.fault(from, "malformed_message", "kind " + kind + ": " + bad.getMessage());
        }
    }

    private void ready(DklsRound r, String from, byte[] contribution) {
        if (!r.coordinator.equals(spec.self())) {
            session.fault(from, "ready_to_non_coordinator", "sent a READY for attempt " + r.attempt + ", which "
                    + r.coordinator + " coordinates");
            return;
        }
        if (session.attempts().excluded().contains(from)) {
            return; // excluded from every later attempt: never chosen
        }
        r.readies.putIfAbsent(from, contribution);
        tryPlan(r);
    }

    private void tryPlan(DklsRound r) {
        if (r.planSent) {
            return;
        }
        List<String> set = session.attempts().signerSet(new ArrayList<>(r.readies.keySet()));
        if (set.isEmpty()) {
            return;
        }
        int[] ids = new int[set.size()];
        List<byte[]> contributions = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = spec.identifierOf(set.get(i));
            contributions.add(r.readies.get(set.get(i)));
        }
        byte[] payload = DklsWire.plan(r.attempt, spec.messagesHash(), ids, contributions);
        r.planSent = true;
        session.broadcast(EnvelopeCodec.KIND_DKLS_PLAN, payload);
        plan(r, spec.self(), payload);
    }

    private void plan(DklsRound r, String from, byte[] payload) {
        if (!from.equals(r.coordinator)) {
            session.fault(from, "plan_from_non_coordinator", "sent a plan for attempt " + r.attempt + ", which "
                    + r.coordinator + " coordinates");
            return;
        }
        if (r.plan != null) {
            return;
        }
        DklsWire.Plan p;
        try {
            p = DklsWire.decodePlan(payload, spec.n());
        } catch (SigningWire.Malformed bad) {
            planRefused(r, from, "malformed_plan", bad.getMessage());
            return;
        }
        if (!MessageDigest.isEqual(p.messagesHash(), spec.messagesHash())) {
            planRefused(r, from, "plan_for_other_messages", "the plan's messages hash is not the hash of the messages"
                    + " confirmed with the ledger");
            return;
        }
        if (p.signers().length < spec.threshold()) {
            planRefused(r, from, "too_few_signers", p.signers().length + " signers, t = " + spec.threshold());
            return;
        }
        List<Integer> signers = new ArrayList<>();
        for (int i = 0; i < p.signers().length; i++) {
            signers.add(p.signers()[i]);
        }
        r.plan = p;
        r.signers = List.copyOf(signers);
        int self = spec.selfId();
        if (!r.isSigner(self)) {
            r.stage = DklsRound.Stage.OVER; // not a signer: waits for a RESULT
            r.received.forEach(Map::clear);
            return;
        }
        for (int id : signers) {
            if (session.attempts().excluded().contains(spec.addressOf(id))) {
                // Not the coordinator's fault: only the party whose check failed knows of the exclusion (the checks
                // are pairwise). This party sits the attempt out; no one is blamed for it.
                SigningSession.LOG.infof("sign request %s: attempt %d's plan includes %s, excluded here (%s); "
                        + "not signing in this attempt", spec.requestIdText(), r.attempt, spec.addressOf(id),
                        session.attempts().exclusionReason(spec.addressOf(id)).orElse(""));
                r.plan = null;
                r.signers = null;
                r.destroy();
                return;
            }
        }
        if (!MessageDigest.isEqual(p.contributions().get(signers.indexOf(self)), r.contribution)) {
            planRefused(r, from, "own_contribution_changed", "this party's READY contribution is not in the plan"
                    + " unchanged");
            return;
        }
        r.sid = DklsRound.sid(spec.requestId(), spec.sessionIdBytes(), p);
        ensureSetups(r);
    }

    private void planRefused(DklsRound r, String coordinator, String check, String detail) {
        r.plan = null;
        r.signers = null;
        r.destroy();
        session.fault(coordinator, check, "plan of attempt " + r.attempt + " refused: " + detail);
    }

    /** Gets the setup with every other signer, in parallel; round 1 starts once all are there. */
    private void ensureSetups(DklsRound r) {
        int self = spec.selfId();
        List<Integer> others = r.others(self);
        List<CompletableFuture<PairwiseSetupOutput>> futures = new ArrayList<>();
        SignSessionManager manager = session.manager();
        long until = session.attemptEndsAt(); // a peer that does not answer holds up this attempt only
        for (int j : others) {
            String peer = spec.addressOf(j);
            futures.add(manager.clients().identity(peer, spec.identityKey(peer), until)
                    .thenCompose(identity -> pairSetups.ensure(identity, self, j, spec.requestId(), until)));
        }
        CompletableFuture<Map<Integer, PairwiseSetupOutput>> all = CompletableFuture
                .allOf(futures.toArray(CompletableFuture[]::new)).handle((v, err) -> {
                    Map<Integer, PairwiseSetupOutput> out = new TreeMap<>();
                    for (int i = 0; i < others.size(); i++) {
                        CompletableFuture<PairwiseSetupOutput> f = futures.get(i);
                        if (f.isDone() && !f.isCompletedExceptionally()) {
                            out.put(others.get(i), f.join());
                        }
                    }
                    if (err != null) {
                        out.values().forEach(PairwiseSetupOutput::destroy);
                        throw err instanceof CompletionException ce ? ce : new CompletionException(err);
                    }
                    return out;
                });
        session.whenDone(r.attempt, all, (setups, err) -> {
            if (err != null && !r.ended) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                r.destroy();
                session.nextAttempt("a pairwise setup failed: " + cause.getMessage());
                return;
            }
            if (err != null) {
                return;
            }
            if (r.ended || r != round) { // the attempt failed here meanwhile (and no later one is left)
                setups.values().forEach(PairwiseSetupOutput::destroy);
                return;
            }
            r.setups = setups;
            steps.start(r);
        }, setups -> setups.values().forEach(PairwiseSetupOutput::destroy));
    }

    private void roundMessage(DklsRound r, int index, int j, String from, byte[] payload) throws SigningWire.Malformed {
        if (r.signers != null && (!r.isSigner(j) || !r.isSigner(spec.selfId()))) {
            session.fault(from, "not_a_signer", "sent a round-" + (index + 1) + " message for attempt " + r.attempt
                    + ", whose plan has signers " + r.signers + (r.isSigner(spec.selfId()) ? "" : " (not this party)"));
            return;
        }
        if (r.stage == DklsRound.Stage.OVER) {
            return;
        }
        r.received.get(index).putIfAbsent(j, payload);
        try {
            steps.advance(r);
        } catch (RuntimeException e) { // a local failure, not the sender's: this party's attempt ends here
            r.destroy();
            session.nextAttempt("this party's round " + (index + 1) + " failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * An engine abort: the culprit is named, excluded from later attempts and, after a failed OT, multiplication or
     * Γ check, its setup with this party discarded; without a single culprit the next attempt follows without
     * exclusion.
     */
    void aborted(DklsRound r, String step, DklsAbort a) {
        DklsError e = a.error();
        r.destroy();
        int c = e.culprit();
        boolean attributable = c != DklsError.UNATTRIBUTABLE && c != spec.selfId() && c >= 1 && c <= spec.n()
                && !(e instanceof DklsError.InconsistentCommitments) && !(e instanceof DklsError.KeyShareSum)
                && !(e instanceof DklsError.InvalidSignature);
        if (!attributable) {
            session.nextAttempt(step + " aborted: " + e.describe());
            return;
        }
        String culprit = spec.addressOf(c);
        boolean pairwise = e instanceof DklsError.MultiplicationCheck || e instanceof DklsError.OtConsistencyCheck
                || e instanceof DklsError.GammaCheck || e instanceof DklsError.SetupUnusable;
        session.fault(culprit, e.check(), step + ": " + e.describe() + "; excluded from later attempts"
                + (pairwise ? ", its pairwise setup with this party discarded" : ""));
        if (pairwise) {
            session.manager().clients().identity(culprit, spec.identityKey(culprit), session.endMillis())
                    .thenAccept(p -> pairSetups.discard(p, e.check() + " in sign request " + spec.requestIdText()));
        }
        session.exclude(culprit, e.check() + " in attempt " + r.attempt);
        session.nextAttempt(culprit + " failed " + e.check());
    }

    /** A round message that does not decode: its authenticated sender is named and excluded. */
    void malformed(DklsRound r, String from, String detail) {
        r.destroy();
        session.fault(from, "malformed_message", detail + "; excluded from later attempts");
        session.exclude(from, "malformed_message in attempt " + r.attempt);
        session.nextAttempt(from + " sent a malformed message");
    }

    /**
     * The signer set's signatures, computed here: sent to every other party and answered. The other signers need it
     * too: one whose last round failed (a tampered share of the signature reaches only it) has no signature of its
     * own, and the parties that hold one end their sessions.
     */
    void signed(DklsRound r, List<byte[]> signatures) {
        r.stage = DklsRound.Stage.OVER;
        session.broadcast(EnvelopeCodec.KIND_DKLS_RESULT, DklsWire.result(r.attempt, signatures));
        List<String> names = new ArrayList<>();
        r.signers.forEach(id -> names.add(spec.addressOf(id)));
        session.signed(signatures, r.attempt, "computed here with " + String.join(", ", names));
    }

    /** Whether every signature is a low-S ECDSA signature under the key over this party's own digest. */
    boolean verifies(List<byte[]> signatures) {
        for (int k = 0; k < m; k++) {
            if (!EcdsaVerifier.verifyLowS(verifyingKey, spec.messages().get(k), signatures.get(k))) {
                return false;
            }
        }
        return true;
    }

    private void result(String from, byte[] payload) {
        List<byte[]> sigs;
        try {
            sigs = DklsWire.decodeResult(payload, m);
        } catch (SigningWire.Malformed bad) {
            session.fault(from, "malformed_message", "RESULT: " + bad.getMessage());
            return;
        }
        int a = SigningWire.attemptOf(payload);
        if (!verifies(sigs)) {
            session.fault(from, "invalid_result", "a signature of its RESULT for attempt " + a + " does not verify");
            return;
        }
        session.signed(sigs, a, "RESULT of attempt " + a + " from " + from + ", verified against this party's copy"
                + " of the request");
    }
}
