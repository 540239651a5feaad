package io.keyfed.party.signing;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.DklsSign;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;
import io.keyfed.party.dkls.Step;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * A signer's three DKLs23 rounds in one attempt, for every message of the request at once, over the pure engine
 * ({@link DklsSign}): round 1 once the setups are there, round 2 once every other signer's ROUND1 is, round 3 once
 * every ROUND2 is, and the signatures once every ROUND3 is. Message k uses the engine session id
 * {@link DklsRound#messageSid}. A round message computed for another plan (its sid differs) names the coordinator,
 * who sent two plans; one that does not decode names its sender. Runs under the session's lock.
 */
final class DklsSteps {
    private final SignSpec spec;
    private final SecretShare share;
    private final PublicKeyPackage pub;
    private final SigningSession session;
    private final DklsProtocol protocol;
    private final int m;

    DklsSteps(SignSpec spec, SecretShare share, PublicKeyPackage pub, SigningSession session, DklsProtocol protocol) {
        this.spec = spec;
        this.share = share;
        this.pub = pub;
        this.session = session;
        this.protocol = protocol;
        this.m = spec.messages().size();
    }

    /** Round 1 for every message; ROUND1 to each other signer. */
    void start(DklsRound r) {
        int self = spec.selfId();
        r.states = new SignState[m];
        List<SignMessages.Commitment> commitments = new ArrayList<>(m);
        List<List<SignMessages.Round1P2p>> direct = new ArrayList<>(m);
        try {
            for (int k = 0; k < m; k++) {
                Step<SignState, SignMessages.Round1> s = DklsSign.round1(share, pub, r.signers, r.setups,
                        DklsRound.messageSid(r.sid, k), spec.messages().get(k), DklsProtocol.RANDOM);
                r.states[k] = s.state();
                commitments.add(s.message().broadcast());
                direct.add(s.message().direct());
            }
        } catch (DklsAbort a) {
            protocol.aborted(r, "round 1", a);
            return;
        }
        for (int j : r.others(self)) {
            List<SignMessages.Round1P2p> forJ = new ArrayList<>(m);
            for (int k = 0; k < m; k++) {
                forJ.add(pick(direct.get(k), j));
            }
            session.send(spec.addressOf(j), EnvelopeCodec.KIND_DKLS_ROUND1,
                    DklsWire.round1(r.attempt, r.sid, commitments, forJ));
        }
        r.stage = DklsRound.Stage.ROUND1;
        advance(r);
    }

    /** Runs every round whose inputs are all here. */
    void advance(DklsRound r) {
        while (!r.ended && r.states != null && complete(r)) {
            switch (r.stage) {
            case ROUND1 -> round2(r);
            case ROUND2 -> round3(r);
            case ROUND3 -> finish(r);
            default -> {
                return;
            }
            }
        }
    }

    private boolean complete(DklsRound r) {
        int index = r.stage.ordinal() - DklsRound.Stage.ROUND1.ordinal();
        if (index < 0 || index > 2) {
            return false;
        }
        Map<Integer, byte[]> got = r.received.get(index);
        for (int j : r.others(spec.selfId())) {
            if (!got.containsKey(j)) {
                return false;
            }
        }
        return true;
    }

    private void round2(DklsRound r) {
        int self = spec.selfId();
        List<List<SignMessages.Commitment>> commitments = perMessage();
        List<List<SignMessages.Round1P2p>> direct = perMessage();
        for (int j : r.others(self)) {
            List<SignMessages.Commitment> c = new ArrayList<>(m);
            List<SignMessages.Round1P2p> d = new ArrayList<>(m);
            try {
                if (!sameSid(r, j, DklsWire.decodeRound1(r.received.get(0).get(j), m, j, self, c, d))) {
                    return;
                }
            } catch (SigningWire.Malformed bad) {
                protocol.malformed(r, spec.addressOf(j), "ROUND1: " + bad.getMessage());
                return;
            }
            for (int k = 0; k < m; k++) {
                commitments.get(k).add(c.get(k));
                direct.get(k).add(d.get(k));
            }
        }
        List<List<SignMessages.Round2P2p>> out = new ArrayList<>(m);
        try {
            for (int k = 0; k < m; k++) {
                out.add(DklsSign.round2(r.states[k], commitments.get(k), direct.get(k), DklsProtocol.RANDOM)
                        .message());
            }
        } catch (DklsAbort a) {
            protocol.aborted(r, "round 2", a);
            return;
        }
        r.stage = DklsRound.Stage.ROUND2;
        for (int j : r.others(self)) {
            List<SignMessages.Round2P2p> forJ = new ArrayList<>(m);
            for (int k = 0; k < m; k++) {
                forJ.add(out.get(k).stream().filter(x -> x.to() == j).findFirst().orElseThrow());
            }
            session.send(spec.addressOf(j), EnvelopeCodec.KIND_DKLS_ROUND2, DklsWire.round2(r.attempt, r.sid, forJ));
        }
    }

    private void round3(DklsRound r) {
        int self = spec.selfId();
        List<List<SignMessages.Round2P2p>> in = perMessage();
        for (int j : r.others(self)) {
            List<SignMessages.Round2P2p> got = new ArrayList<>(m);
            try {
                if (!sameSid(r, j, DklsWire.decodeRound2(r.received.get(1).get(j), m, j, self, got))) {
                    return;
                }
            } catch (SigningWire.Malformed bad) {
                protocol.malformed(r, spec.addressOf(j), "ROUND2: " + bad.getMessage());
                return;
            }
            for (int k = 0; k < m; k++) {
                in.get(k).add(got.get(k));
            }
        }
        List<SignMessages.SignatureShare> own = new ArrayList<>(m);
        try {
            for (int k = 0; k < m; k++) {
                own.add(DklsSign.round3(r.states[k], in.get(k)).message());
            }
        } catch (DklsAbort a) {
            protocol.aborted(r, "round 3", a);
            return;
        }
        r.ownShares = own;
        r.stage = DklsRound.Stage.ROUND3;
        byte[] payload = DklsWire.round3(r.attempt, r.sid, own);
        for (int j : r.others(self)) {
            session.send(spec.addressOf(j), EnvelopeCodec.KIND_DKLS_ROUND3, payload);
        }
    }

    private void finish(DklsRound r) {
        List<List<SignMessages.SignatureShare>> shares = perMessage();
        for (int k = 0; k < m; k++) {
            shares.get(k).add(r.ownShares.get(k));
        }
        for (int j : r.others(spec.selfId())) {
            List<SignMessages.SignatureShare> got = new ArrayList<>(m);
            try {
                if (!sameSid(r, j, DklsWire.decodeRound3(r.received.get(2).get(j), m, j, got))) {
                    return;
                }
            } catch (SigningWire.Malformed bad) {
                protocol.malformed(r, spec.addressOf(j), "ROUND3: " + bad.getMessage());
                return;
            }
            for (int k = 0; k < m; k++) {
                shares.get(k).add(got.get(k));
            }
        }
        List<byte[]> signatures = new ArrayList<>(m);
        try {
            for (int k = 0; k < m; k++) {
                SignMessages.EcdsaSignature sig = DklsSign.finish(r.states[k], shares.get(k));
                byte[] rs = new byte[64];
                System.arraycopy(sig.r(), 0, rs, 0, 32);
                System.arraycopy(sig.s(), 0, rs, 32, 32);
                signatures.add(rs);
            }
        } catch (DklsAbort a) {
            protocol.aborted(r, "the signature", a);
            return;
        }
        if (!protocol.verifies(signatures)) { // finish verified each; checked again in the ledger's encoding
            r.destroy();
            session.nextAttempt("a combined signature does not verify as low-S ECDSA under the key");
            return;
        }
        r.destroy();
        protocol.signed(r, signatures);
    }

    /**
     * Whether signer j's round message is for this party's plan. Otherwise the coordinator sent two plans (the plan
     * j holds is authenticated as the coordinator's) or, when this party coordinates, j signs another plan than the
     * one it was sent.
     */
    private boolean sameSid(DklsRound r, int j, DklsWire.Head h) {
        if (MessageDigest.isEqual(h.sid(), r.sid)) {
            return true;
        }
        r.destroy();
        if (r.coordinator.equals(spec.self())) {
            session.fault(spec.addressOf(j), "other_plan", "its round message of attempt " + r.attempt + " is for"
                    + " another plan than the one this party, its coordinator, sent");
        } else {
            session.fault(r.coordinator, "equivocating_plan", spec.addressOf(j) + "'s round message is for another"
                    + " plan of attempt " + r.attempt + " than the one this party received");
        }
        return false;
    }

    private static SignMessages.Round1P2p pick(List<SignMessages.Round1P2p> direct, int to) {
        return direct.stream().filter(d -> d.to() == to).findFirst().orElseThrow();
    }

    private <T> List<List<T>> perMessage() {
        List<List<T>> out = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            out.add(new ArrayList<>());
        }
        return out;
    }
}
