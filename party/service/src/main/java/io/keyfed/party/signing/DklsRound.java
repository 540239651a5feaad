package io.keyfed.party.signing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;

/**
 * One DKLs23 attempt of a signing session on this party: its coordinator, this party's READY contribution, the
 * READYs the coordinator collects in arrival order, the attempt's plan and sid, and for a signer the pairwise setups
 * handed out for it, the engine's states (one per message, memory only, each used once) and the round messages
 * received. {@link #destroy} wipes the states and setups, whatever the outcome. Not thread-safe: owned by one
 * {@link DklsProtocol}, used under its session's lock.
 */
final class DklsRound {
    /** Where this party is in the attempt. */
    enum Stage {
        /** Waiting for the plan, or (a signer) for its pairwise setups. */
        PLANNING,
        /** ROUND1 sent: waiting for the other signers' ROUND1. */
        ROUND1,
        ROUND2,
        ROUND3,
        /** Signed, failed or not a signer: nothing more to send. */
        OVER
    }

    final int attempt;
    final String coordinator;
    /** This party's fresh random contribution to the attempt's sid (public). */
    final byte[] contribution;
    /** Coordinator only: the READY contributions received (its own first), by sender, in arrival order. */
    final Map<String, byte[]> readies = new LinkedHashMap<>();
    boolean planSent;
    DklsWire.Plan plan;
    /** The plan's signers as identifiers, ascending, and the attempt's sid; once the plan is accepted. */
    List<Integer> signers;
    byte[] sid;
    Stage stage = Stage.PLANNING;
    /** The setups handed out for this attempt, by peer identifier (a signer's, once they are all there). */
    Map<Integer, PairwiseSetupOutput> setups;
    /** The engine's state for each message; null before round 1. */
    SignState[] states;
    /** This party's round-3 shares, one per message. */
    List<SignMessages.SignatureShare> ownShares;
    /** Round messages received, by kind offset (0: ROUND1, 1: ROUND2, 2: ROUND3), then sender identifier. */
    final List<Map<Integer, byte[]>> received = List.of(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    /** Whether the attempt is over on this party (timed out, failed, or the session moved on). */
    boolean ended;

    DklsRound(int attempt, String coordinator, byte[] contribution) {
        this.attempt = attempt;
        this.coordinator = coordinator;
        this.contribution = contribution.clone();
    }

    boolean isSigner(int identifier) {
        return signers != null && signers.contains(identifier);
    }

    /** The other signers, ascending. */
    List<Integer> others(int self) {
        List<Integer> out = new ArrayList<>(signers);
        out.remove(Integer.valueOf(self));
        return out;
    }

    /**
     * The attempt's sid: SHA-256 over a domain, the sign request id, the signing session id, the attempt, the signers
     * and their contributions. Fresh for every attempt (the contributions are random), so the engine's per-message
     * session ids, and with them the OT extension and the zero shares, are never repeated, even after a crash.
     */
    static byte[] sid(long signRequestId, byte[] signingSessionId, DklsWire.Plan p) {
        MessageDigest md = sha256();
        md.update("keyfed/dkls23/sign/sid/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        md.update(ByteBuffer.allocate(12).putLong(signRequestId).putInt(p.attempt()).array());
        md.update(signingSessionId);
        md.update((byte) p.signers().length);
        for (int i = 0; i < p.signers().length; i++) {
            md.update((byte) p.signers()[i]);
            md.update(p.contributions().get(i));
        }
        return md.digest();
    }

    /** The engine's 32-byte session id for message {@code k}: H(sid, k). */
    static byte[] messageSid(byte[] sid, int k) {
        MessageDigest md = sha256();
        md.update("keyfed/dkls23/sign/message/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        md.update(sid);
        md.update(ByteBuffer.allocate(4).putInt(k).array());
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Wipes the engine states and the setups handed out; the attempt is over here. */
    void destroy() {
        ended = true;
        stage = Stage.OVER;
        if (states != null) {
            for (SignState s : states) {
                if (s != null) {
                    s.destroy();
                }
            }
            states = null;
        }
        if (setups != null) {
            setups.values().forEach(PairwiseSetupOutput::destroy);
            setups = null;
        }
        received.forEach(Map::clear);
    }

    @Override
    public String toString() {
        return "DklsRound[attempt " + attempt + ", coordinator " + coordinator + ", " + stage + "]";
    }
}
