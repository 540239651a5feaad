package io.keyfed.party.signing;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.frost.Frost;
import io.keyfed.party.frost.FrostAbort;
import io.keyfed.party.frost.FrostError;
import io.keyfed.party.frost.KeyPackage;
import io.keyfed.party.frost.Signature;
import io.keyfed.party.frost.SignatureShare;
import io.keyfed.party.frost.SigningCommitments;
import io.keyfed.party.frost.SigningNonces;
import io.keyfed.party.frost.SigningPackage;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The FROST messages of one attempt, as SIGNING.md gives them, over the pure engine ({@link Frost}):
 * <ul>
 * <li>COMMIT (signer → coordinator): the coordinator takes the first t commitments, its own included
 * ({@link SigningAttempts#signerSet}), and sends PACKAGE to every party;</li>
 * <li>PACKAGE (coordinator → all): each party checks it came from the attempt's coordinator and is for its own
 * messages' hash, with at least t signers; a signer's own commitment must be there unchanged and its nonces
 * unused ({@link Frost#sign}); then it sends SHARE to every party;</li>
 * <li>SHARE (signer → all): checked against the package it names; once every signer's share is there, each party
 * aggregates ({@link Frost#aggregate} verifies every share against Y_j and the signature): a bad share names its
 * sender, who is excluded from every later attempt (ROAST's rule);</li>
 * <li>RESULT (coordinator → all): accepted from any attempt if every signature verifies against this party's copy
 * of the request.</li>
 * </ul>
 * Runs under its session's lock; a check that fails on an authenticated message names its sender. The nonces are
 * fresh for every attempt, in memory only, used once and wiped when the attempt ends ({@link FrostRound}).
 */
final class FrostProtocol implements AttemptProtocol {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignSpec spec;
    private final KeyPackage key;
    private final PublicKeyPackage pub;
    private final SigningSession session;
    private final Curve curve;
    private final int m;
    private FrostRound round;
    /** The attempt before this one (nonces wiped): a share for it that arrives late is still checked. */
    private FrostRound previous;

    FrostProtocol(SignSpec spec, KeyPackage key, SigningSession session) {
        this.spec = spec;
        this.key = key;
        this.pub = key.publicKeys();
        this.session = session;
        this.curve = spec.suite().curve();
        this.m = spec.messages().size();
    }

    @Override
    public String name() {
        return "frost";
    }

    @Override
    public boolean anyAttempt(int kind) {
        return kind == EnvelopeCodec.KIND_SIGN_RESULT;
    }

    @Override
    public String catchUp(int kind, boolean fromItsCoordinator, boolean selfCoordinatesIt) {
        if (kind == EnvelopeCodec.KIND_SIGN_PACKAGE && fromItsCoordinator) {
            return "the package";
        }
        return kind == EnvelopeCodec.KIND_SIGN_COMMIT && selfCoordinatesIt ? "a commitment" : null;
    }

    @Override
    public String stalled() {
        return round.pkg == null ? "sent no package" : "sent a package, shares missing";
    }

    @Override
    public void endAttempt() {
        if (round != null) {
            round.destroy();
        }
    }

    /** A new attempt: fresh nonces; commitments to its coordinator (or, for the coordinator, the first it holds). */
    @Override
    public void started(int attempt, String coordinator) {
        SigningNonces[] nonces = new SigningNonces[m];
        for (int k = 0; k < m; k++) {
            nonces[k] = Frost.commit(spec.suite(), key.share(), RANDOM).nonces();
        }
        previous = round;
        round = new FrostRound(attempt, coordinator, nonces);
        FrostRound r = round;
        if (r.coordinator.equals(spec.self())) {
            r.commits.put(spec.self(), r.own);
            tryPackage(r);
        } else {
            session.send(r.coordinator, EnvelopeCodec.KIND_SIGN_COMMIT, SigningWire.commit(curve, r.attempt, r.own));
        }
    }

    /**
     * A share of the previous attempt that arrives after this party moved on (it caught up with a later attempt
     * first): still checked with the others of that attempt, so a bad share is named (and its sender excluded) by
     * every honest party alike; if they verify, the signatures are answered.
     */
    @Override
    public void late(int attempt, int kind, int j, String from, byte[] payload) {
        FrostRound r = previous;
        if (r == null || r.attempt != attempt || kind != EnvelopeCodec.KIND_SIGN_SHARE) {
            return;
        }
        try {
            share(r, j, from, payload);
        } catch (SigningWire.Malformed bad) {
            badShare(r, from, "malformed_share", bad.getMessage());
        }
    }

    @Override
    public void handle(int kind, int j, String from, byte[] payload) {
        FrostRound r = round;
        if (r.ended && kind != EnvelopeCodec.KIND_SIGN_RESULT) {
            return; // the attempt is over here (no attempt is left, or this party waits for the deadline)
        }
        try {
            switch (kind) {
            case EnvelopeCodec.KIND_SIGN_COMMIT -> commit(r, from, SigningWire.decodeCommit(curve, j, payload, m));
            case EnvelopeCodec.KIND_SIGN_PACKAGE -> packageFrom(r, from, payload);
            case EnvelopeCodec.KIND_SIGN_SHARE -> share(r, j, from, payload);
            default -> result(from, SigningWire.decodeResult(spec.suite(), payload, m));
            }
        } catch (SigningWire.Malformed bad) {
            if (kind == EnvelopeCodec.KIND_SIGN_SHARE) {
                badShare(r, from, "malformed_share", bad.getMessage());
            } else {
                session.fault(from, "malformed_message", "kind " + kind + ": " + bad.getMessage());
            }
        }
    }

    private void commit(FrostRound r, String from, SigningWire.Commit c) {
        if (!r.coordinator.equals(spec.self())) {
            session.fault(from, "commit_to_non_coordinator", "sent a commitment for attempt " + r.attempt
                    + ", which " + r.coordinator + " coordinates");
            return;
        }
        if (session.attempts().excluded().contains(from)) {
            return; // excluded from every later attempt: its commitment is not taken
        }
        r.commits.putIfAbsent(from, c.perMessage());
        tryPackage(r);
    }

    private void tryPackage(FrostRound r) {
        if (r.packageSent) {
            return;
        }
        List<String> set = session.attempts().signerSet(new ArrayList<>(r.commits.keySet()));
        if (set.isEmpty()) {
            return;
        }
        int[] ids = new int[set.size()];
        List<List<SigningCommitments>> bySigner = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = spec.identifierOf(set.get(i));
            bySigner.add(r.commits.get(set.get(i)));
        }
        byte[] payload = SigningWire.packagePayload(curve, r.attempt, spec.messagesHash(), ids, bySigner, m);
        r.packageSent = true;
        session.broadcast(EnvelopeCodec.KIND_SIGN_PACKAGE, payload);
        packageFrom(r, spec.self(), payload);
    }

    private void packageFrom(FrostRound r, String from, byte[] payload) {
        if (!from.equals(r.coordinator)) {
            session.fault(from, "package_from_non_coordinator", "sent a package for attempt " + r.attempt
                    + ", which " + r.coordinator + " coordinates");
            return;
        }
        if (r.pkg != null || r.failed) {
            return;
        }
        SigningWire.Package p;
        try {
            p = SigningWire.decodePackage(curve, payload, m, spec.n());
        } catch (SigningWire.Malformed bad) {
            packageRefused(r, from, "malformed_package", bad.getMessage());
            return;
        }
        if (!MessageDigest.isEqual(p.messagesHash(), spec.messagesHash())) {
            packageRefused(r, from, "package_for_other_messages", "the package's messages hash is not the hash of"
                    + " the messages confirmed with the ledger");
            return;
        }
        if (p.signers().length < spec.threshold()) {
            packageRefused(r, from, "too_few_signers", p.signers().length + " signers, t = " + spec.threshold());
            return;
        }
        r.pkg = p;
        int self = spec.selfId();
        SigningNonces[] nonces = r.takeNonces();
        if (r.isSigner(self) && nonces == null) {
            r.pkg = null;
            packageRefused(r, from, "nonce_reuse", "this party's nonces of the attempt are already used or wiped");
            return;
        }
        if (r.isSigner(self)) {
            List<SignatureShare> mine = new ArrayList<>(m);
            try {
                for (int k = 0; k < m; k++) {
                    mine.add(Frost.sign(spec.suite(), signingPackage(p, k), nonces[k], keyPackage()));
                }
            } catch (FrostAbort a) {
                r.pkg = null;
                packageRefused(r, from, a.error().check(), a.error().describe());
                return;
            } finally {
                for (SigningNonces n : nonces) {
                    n.destroy(); // each is used once: wiped whether or not it signed
                }
            }
            byte[] out = SigningWire.share(curve, r.attempt, p.digest(), mine);
            session.broadcast(EnvelopeCodec.KIND_SIGN_SHARE, out);
            r.shares.put(self, new SigningWire.Share(r.attempt, p.digest(), mine));
        } else if (nonces != null) {
            for (SigningNonces n : nonces) {
                n.destroy();
            }
        }
        r.shares.keySet().removeIf(j -> !r.isSigner(j)
                || !MessageDigest.isEqual(r.shares.get(j).packageDigest(), p.digest()));
        tryAggregate(r);
    }

    private void packageRefused(FrostRound r, String coordinator, String check, String detail) {
        r.failed = true;
        r.destroy();
        session.fault(coordinator, check, "package of attempt " + r.attempt + " refused: " + detail);
    }

    private void share(FrostRound r, int j, String from, byte[] payload) throws SigningWire.Malformed {
        SigningWire.Share s = SigningWire.decodeShare(curve, j, payload, m);
        if (r.pkg == null) {
            r.shares.put(j, s); // checked against the package once it is here
            return;
        }
        if (!r.isSigner(j)) {
            return;
        }
        if (!MessageDigest.isEqual(s.packageDigest(), r.pkg.digest())) {
            // Not the signer's fault: it signed another package than ours, so the coordinator sent two.
            session.fault(r.coordinator, "equivocating_package", from + "'s share is for another package of"
                    + " attempt " + r.attempt + " than the one this party received");
            return;
        }
        r.shares.put(j, s);
        tryAggregate(r);
    }

    private void tryAggregate(FrostRound r) {
        if (r.pkg == null || r.shares.size() < r.pkg.signers().length) {
            return;
        }
        List<byte[]> signatures = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            List<SignatureShare> shares = new ArrayList<>();
            for (SigningWire.Share s : r.shares.values()) {
                shares.add(s.perMessage().get(k));
            }
            try {
                Signature sig = Frost.aggregate(spec.suite(), signingPackage(r.pkg, k), shares, pub);
                signatures.add(sig.bytes());
            } catch (FrostAbort a) {
                FrostError e = a.error();
                if (e.culprit() != FrostError.UNATTRIBUTABLE) {
                    badShare(r, spec.addressOf(e.culprit()), e.check(), "message " + k + ": " + e.describe());
                } else if (r == round) {
                    session.nextAttempt("aggregation failed: " + e.describe());
                }
                return;
            }
        }
        if (r.coordinator.equals(spec.self()) && r == round) {
            session.broadcast(EnvelopeCodec.KIND_SIGN_RESULT, SigningWire.result(r.attempt, signatures));
        }
        session.signed(signatures, r.attempt, "aggregated here from the shares of " + signerNames(r.pkg.signers()));
    }

    /**
     * A share that failed verification: its sender is named and excluded, and (for the current attempt) the next
     * attempt starts.
     */
    private void badShare(FrostRound r, String culprit, String check, String detail) {
        session.fault(culprit, check, "invalid signature share: " + detail + "; excluded from later attempts");
        session.exclude(culprit, check + " in attempt " + r.attempt);
        if (r == round) {
            session.nextAttempt(culprit + " sent an invalid signature share");
        }
    }

    private void result(String from, SigningWire.Result res) {
        for (int k = 0; k < m; k++) {
            boolean ok;
            try {
                ok = Frost.verify(spec.suite(), pub, spec.messages().get(k), res.signatures().get(k));
            } catch (FrostAbort a) {
                ok = false;
            }
            if (!ok) {
                session.fault(from, "invalid_result", "signature " + k + " of its RESULT for attempt "
                        + res.attempt() + " does not verify");
                return;
            }
        }
        session.signed(res.signatures(), res.attempt(), "RESULT of attempt " + res.attempt() + " from " + from
                + ", verified against this party's copy of the request");
    }

    private SigningPackage signingPackage(SigningWire.Package p, int k) {
        return new SigningPackage(p.perMessage().get(k), spec.messages().get(k));
    }

    private KeyPackage keyPackage() {
        return key;
    }

    private String signerNames(int[] ids) {
        List<String> names = new ArrayList<>();
        for (int id : ids) {
            names.add(spec.addressOf(id));
        }
        return String.join(", ", names);
    }
}
