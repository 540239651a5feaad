package io.keyfed.party.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.keyfed.party.dkls.Rvole;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SoftSpoken;
import io.keyfed.party.session.EnvelopeHeaders;

/**
 * The payloads of the DKLs23 signing envelopes (kinds 20..25), big-endian, each starting with the attempt:
 *
 * <pre>
 * READY  = u32 attempt | 32 contribution                                         signer → coordinator
 * PLAN   = u32 attempt | 32 messages hash | u8 k | k × (u8 id | 32 contribution)  ids strictly ascending
 * ROUND1 = u32 attempt | 32 sid | u16 m | m × (32 commitment | bytes u | 16 w' | bytes v' | 32 ψ)
 * ROUND2 = u32 attempt | 32 sid | u16 m | m × (bytes τ | 32 η' | 32 μ | 33 R | 32 salt | 33 X | 33 Γ0 | 33 Γ1
 *                                               | 32 commitments digest)
 * ROUND3 = u32 attempt | 32 sid | u16 m | m × (32 u | 32 w)
 * RESULT = u32 attempt | u16 m | m × (32 r | 32 s)
 * </pre>
 *
 * {@code bytes} is a u32 length and that many bytes (the SoftSpokenOT matrices, whose exact shape the engine checks).
 * The sid ({@link DklsRound#sid}) names the plan a round message was computed for, so a signer that holds another
 * plan (a coordinator that equivocated) does not blame the sender. Lengths are checked exactly here, points and
 * scalars by the engine; a payload that fails is {@link SigningWire.Malformed}, which names no one by itself: the caller knows
 * the authenticated sender. Stateless.
 */
final class DklsWire {
    static final int DIGEST_LENGTH = 32;
    static final int POINT = 33;
    static final int SCALAR = 32;
    /** The SoftSpokenOT correlation τ of one multiplication: ξ ({@link Rvole#XI}) OTs of width 3 (x_i, k_i, the check). */
    static final int TAU_BYTES = Rvole.XI * 3 * SCALAR;

    /** PLAN: the signer set (ascending identifiers) and each signer's READY contribution. */
    record Plan(int attempt, byte[] messagesHash, int[] signers, List<byte[]> contributions) {
    }

    /** One round message's header: the attempt and the sid of the plan it was computed for. */
    record Head(int attempt, byte[] sid) {
    }

    private DklsWire() {
    }

    /** The size of a ROUND2 for {@code m} messages (the largest DKLs23 payload). */
    static long round2Bytes(int m) {
        return 4L + DIGEST_LENGTH + 2 + (long) m * (4 + TAU_BYTES + 2 * SCALAR + 4 * POINT + 2 * 32);
    }

    /** The most digests one DKLs23 sign request can carry: its ROUND2 must fit in one envelope. */
    static int maxDigests() {
        int m = 1;
        while (round2Bytes(m + 1) <= EnvelopeHeaders.MAX_DKLS_PAYLOAD_BYTES) {
            m++;
        }
        return m;
    }

    static byte[] ready(int attempt, byte[] contribution) {
        ByteArrayOutputStream out = head(attempt);
        out.writeBytes(contribution);
        return out.toByteArray();
    }

    static byte[] decodeReady(byte[] payload) throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        attempt(b);
        byte[] c = bytes(b, 32);
        end(b);
        return c;
    }

    static byte[] plan(int attempt, byte[] messagesHash, int[] signers, List<byte[]> contributions) {
        ByteArrayOutputStream out = head(attempt);
        out.writeBytes(messagesHash);
        out.write(signers.length);
        for (int i = 0; i < signers.length; i++) {
            out.write(signers[i]);
            out.writeBytes(contributions.get(i));
        }
        return out.toByteArray();
    }

    static Plan decodePlan(byte[] payload, int n) throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int attempt = attempt(b);
        byte[] hash = bytes(b, DIGEST_LENGTH);
        need(b, 1);
        int k = b.get() & 0xff;
        int[] signers = new int[k];
        List<byte[]> contributions = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            need(b, 1);
            signers[i] = b.get() & 0xff;
            if (signers[i] < 1 || signers[i] > n || (i > 0 && signers[i] <= signers[i - 1])) {
                throw new SigningWire.Malformed("the signer list is not ascending identifiers within 1.." + n);
            }
            contributions.add(bytes(b, 32));
        }
        end(b);
        return new Plan(attempt, hash, signers, List.copyOf(contributions));
    }

    /** ROUND1 to one signer: per message, the broadcast commitment and the part for that signer. */
    static byte[] round1(int attempt, byte[] sid, List<SignMessages.Commitment> commitments,
            List<SignMessages.Round1P2p> direct) {
        ByteArrayOutputStream out = head(attempt, sid, direct.size());
        for (int k = 0; k < direct.size(); k++) {
            out.writeBytes(commitments.get(k).commitment());
            SoftSpoken.ExtendMsg e = direct.get(k).extend();
            sized(out, e.u());
            out.writeBytes(e.wPrime());
            sized(out, e.vPrime());
            out.writeBytes(direct.get(k).psi());
        }
        return out.toByteArray();
    }

    /** Decodes a ROUND1 from {@code from} to {@code to}, into the per-message commitments and direct parts. */
    static Head decodeRound1(byte[] payload, int m, int from, int to, List<SignMessages.Commitment> commitments,
            List<SignMessages.Round1P2p> direct) throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        Head h = head(b, m);
        for (int k = 0; k < m; k++) {
            commitments.add(new SignMessages.Commitment(from, bytes(b, 32)));
            byte[] u = sized(b);
            byte[] w = bytes(b, 16);
            byte[] v = sized(b);
            direct.add(new SignMessages.Round1P2p(from, to, new SoftSpoken.ExtendMsg(u, w, v), bytes(b, SCALAR)));
        }
        end(b);
        return h;
    }

    static byte[] round2(int attempt, byte[] sid, List<SignMessages.Round2P2p> perMessage) {
        ByteArrayOutputStream out = head(attempt, sid, perMessage.size());
        for (SignMessages.Round2P2p r : perMessage) {
            sized(out, r.mult().cot().tau());
            out.writeBytes(r.mult().etaPrime());
            out.writeBytes(r.mult().mu());
            out.writeBytes(r.bigR());
            out.writeBytes(r.salt());
            out.writeBytes(r.bigX());
            out.writeBytes(r.gamma0());
            out.writeBytes(r.gamma1());
            out.writeBytes(r.commitmentsDigest());
        }
        return out.toByteArray();
    }

    static Head decodeRound2(byte[] payload, int m, int from, int to, List<SignMessages.Round2P2p> out)
            throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        Head h = head(b, m);
        for (int k = 0; k < m; k++) {
            byte[] tau = sized(b);
            Rvole.SenderMsg mult = new Rvole.SenderMsg(new SoftSpoken.CotMsg(tau), bytes(b, SCALAR), bytes(b, 32));
            out.add(new SignMessages.Round2P2p(from, to, mult, bytes(b, POINT), bytes(b, 32), bytes(b, POINT),
                    bytes(b, POINT), bytes(b, POINT), bytes(b, 32)));
        }
        end(b);
        return h;
    }

    static byte[] round3(int attempt, byte[] sid, List<SignMessages.SignatureShare> perMessage) {
        ByteArrayOutputStream out = head(attempt, sid, perMessage.size());
        for (SignMessages.SignatureShare s : perMessage) {
            out.writeBytes(s.u());
            out.writeBytes(s.w());
        }
        return out.toByteArray();
    }

    static Head decodeRound3(byte[] payload, int m, int from, List<SignMessages.SignatureShare> out)
            throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        Head h = head(b, m);
        for (int k = 0; k < m; k++) {
            out.add(new SignMessages.SignatureShare(from, bytes(b, SCALAR), bytes(b, SCALAR)));
        }
        end(b);
        return h;
    }

    /** RESULT: the signatures as 64 bytes r ‖ s each. */
    static byte[] result(int attempt, List<byte[]> signatures) {
        return SigningWire.result(attempt, signatures);
    }

    static List<byte[]> decodeResult(byte[] payload, int m) throws SigningWire.Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        attempt(b);
        count(b, m);
        List<byte[]> sigs = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            sigs.add(bytes(b, 64));
        }
        end(b);
        return List.copyOf(sigs);
    }

    private static ByteArrayOutputStream head(int attempt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(attempt).array());
        return out;
    }

    private static ByteArrayOutputStream head(int attempt, byte[] sid, int m) {
        ByteArrayOutputStream out = head(attempt);
        out.writeBytes(sid);
        out.write(m >>> 8);
        out.write(m);
        return out;
    }

    private static Head head(ByteBuffer b, int m) throws SigningWire.Malformed {
        int a = attempt(b);
        byte[] sid = bytes(b, 32);
        count(b, m);
        return new Head(a, sid);
    }

    private static void sized(ByteArrayOutputStream out, byte[] v) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(v.length).array());
        out.writeBytes(v);
    }

    private static byte[] sized(ByteBuffer b) throws SigningWire.Malformed {
        need(b, 4);
        int n = b.getInt();
        if (n < 0) {
            throw new SigningWire.Malformed("a field length out of range");
        }
        return bytes(b, n);
    }

    private static int attempt(ByteBuffer b) throws SigningWire.Malformed {
        need(b, 4);
        int a = b.getInt();
        if (a < 0) {
            throw new SigningWire.Malformed("attempt number out of range");
        }
        return a;
    }

    private static void count(ByteBuffer b, int m) throws SigningWire.Malformed {
        need(b, 2);
        int got = b.getShort() & 0xffff;
        if (got != m) {
            throw new SigningWire.Malformed(got + " messages instead of the request's " + m);
        }
    }

    private static byte[] bytes(ByteBuffer b, int n) throws SigningWire.Malformed {
        need(b, n);
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static void need(ByteBuffer b, int n) throws SigningWire.Malformed {
        if (b.remaining() < n) {
            throw new SigningWire.Malformed("payload is truncated");
        }
    }

    private static void end(ByteBuffer b) throws SigningWire.Malformed {
        if (b.hasRemaining()) {
            throw new SigningWire.Malformed(b.remaining() + " bytes after the end of the payload");
        }
    }
}
