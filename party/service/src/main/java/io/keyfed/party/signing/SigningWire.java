package io.keyfed.party.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.frost.Ciphersuite;
import io.keyfed.party.frost.FrostAbort;
import io.keyfed.party.frost.SignatureShare;
import io.keyfed.party.frost.SigningCommitments;

/**
 * The payloads of the FROST signing envelopes (kinds 16..19), big-endian, each starting with the attempt:
 *
 * <pre>
 * COMMIT  = u32 attempt | u16 m | m × (D ‖ E)                                   (D, E encoded points)
 * PACKAGE = u32 attempt | 32 messages hash | u16 m | u8 k | k × (u8 id | m × (D ‖ E))   ids strictly ascending
 * SHARE   = u32 attempt | 32 package digest | u16 m | m × z                     (canonical scalars)
 * RESULT  = u32 attempt | u16 m | m × signature                                (the suite's encoding)
 * </pre>
 *
 * The package digest is SHA-256 of the PACKAGE payload: a share names the package it was computed for, so a party
 * that holds another package (a coordinator that equivocated) does not blame the signer. Decoding checks every
 * length exactly and every point (on the curve, in the prime-order group, not the identity) and scalar
 * (canonical); a payload that fails is {@link Malformed}, which names no one by itself: the caller knows the
 * authenticated sender. Stateless.
 */
public final class SigningWire {
    /** The most messages one sign request carries (as the ledger allows). */
    public static final int MAX_MESSAGES = 64;
    public static final int DIGEST_LENGTH = 32;

    /** A payload that does not decode; the message names the problem, never a secret. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /** COMMIT: the sender's commitments for one attempt, one pair per message. */
    public record Commit(int attempt, List<SigningCommitments> perMessage) {
    }

    /** PACKAGE: the signer set (ascending identifiers) and each signer's commitments, per message. */
    public record Package(int attempt, byte[] messagesHash, int[] signers, List<List<SigningCommitments>> perMessage,
            byte[] digest) {
    }

    /** SHARE: the sender's signature shares for the package with {@code packageDigest}, one per message. */
    public record Share(int attempt, byte[] packageDigest, List<SignatureShare> perMessage) {
    }

    /** RESULT: the aggregated signatures, one per message. */
    public record Result(int attempt, List<byte[]> signatures) {
    }

    private SigningWire() {
    }

    /** The size of a PACKAGE for {@code signers} signers and {@code m} messages. */
    static long packageBytes(Curve curve, int signers, int m) {
        return 4L + DIGEST_LENGTH + 2 + 1 + (long) signers * (1 + (long) m * 2 * curve.pointLength());
    }

    public static byte[] commit(Curve curve, int attempt, List<SigningCommitments> perMessage) {
        ByteArrayOutputStream out = head(attempt);
        u16(out, perMessage.size());
        perMessage.forEach(c -> pair(out, curve, c));
        return out.toByteArray();
    }

    public static Commit decodeCommit(Curve curve, int sender, byte[] payload, int m) throws Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int attempt = attempt(b);
        count(b, m);
        List<SigningCommitments> out = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            out.add(pair(b, curve, sender));
        }
        end(b);
        return new Commit(attempt, List.copyOf(out));
    }

    /** {@code bySigner.get(i).get(k)}: signer {@code signers[i]}'s commitments for message k. */
    public static byte[] packagePayload(Curve curve, int attempt, byte[] messagesHash, int[] signers,
            List<List<SigningCommitments>> bySigner, int m) {
        ByteArrayOutputStream out = head(attempt);
        out.writeBytes(messagesHash);
        u16(out, m);
        out.write(signers.length);
        for (int i = 0; i < signers.length; i++) {
            out.write(signers[i]);
            bySigner.get(i).forEach(c -> pair(out, curve, c));
        }
        return out.toByteArray();
    }

    /**
     * Decodes a PACKAGE; {@code perMessage.get(k)} is message k's commitment list, sorted by identifier. Checks
     * the identifiers are ascending, distinct and within 1..n; the caller checks the rest (SIGNING.md).
     */
    public static Package decodePackage(Curve curve, byte[] payload, int m, int n) throws Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int attempt = attempt(b);
        byte[] hash = bytes(b, DIGEST_LENGTH);
        count(b, m);
        need(b, 1);
        int k = b.get() & 0xff;
        int[] signers = new int[k];
        List<List<SigningCommitments>> perMessage = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            perMessage.add(new ArrayList<>(k));
        }
        for (int i = 0; i < k; i++) {
            need(b, 1);
            signers[i] = b.get() & 0xff;
            if (signers[i] < 1 || signers[i] > n || (i > 0 && signers[i] <= signers[i - 1])) {
                throw new Malformed("the signer list is not ascending identifiers within 1.." + n);
            }
            for (int j = 0; j < m; j++) {
                perMessage.get(j).add(pair(b, curve, signers[i]));
            }
        }
        end(b);
        List<List<SigningCommitments>> frozen = new ArrayList<>();
        perMessage.forEach(l -> frozen.add(List.copyOf(l)));
        return new Package(attempt, hash, signers, List.copyOf(frozen), digest(payload));
    }

    public static byte[] share(Curve curve, int attempt, byte[] packageDigest, List<SignatureShare> perMessage) {
        ByteArrayOutputStream out = head(attempt);
        out.writeBytes(packageDigest);
        u16(out, perMessage.size());
        perMessage.forEach(s -> out.writeBytes(s.encode(curve)));
        return out.toByteArray();
    }

    public static Share decodeShare(Curve curve, int sender, byte[] payload, int m) throws Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int attempt = attempt(b);
        byte[] pkg = bytes(b, DIGEST_LENGTH);
        count(b, m);
        List<SignatureShare> out = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            byte[] z = bytes(b, curve.scalarLength());
            try {
                out.add(SignatureShare.decode(curve, sender, z));
            } catch (FrostAbort e) {
                throw new Malformed("signature share " + k + " is not a canonical scalar");
            }
        }
        end(b);
        return new Share(attempt, pkg, List.copyOf(out));
    }

    public static byte[] result(int attempt, List<byte[]> signatures) {
        ByteArrayOutputStream out = head(attempt);
        u16(out, signatures.size());
        signatures.forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static Result decodeResult(Ciphersuite suite, byte[] payload, int m) throws Malformed {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int attempt = attempt(b);
        count(b, m);
        int len = suite.rLength() + suite.curve().scalarLength();
        List<byte[]> sigs = new ArrayList<>(m);
        for (int k = 0; k < m; k++) {
            sigs.add(bytes(b, len));
        }
        end(b);
        return new Result(attempt, List.copyOf(sigs));
    }

    /** The attempt a payload is for, read without decoding the rest; -1 when it is too short. */
    public static int attemptOf(byte[] payload) {
        return payload.length < 4 ? -1 : ByteBuffer.wrap(payload).getInt() & Integer.MAX_VALUE;
    }

    static byte[] digest(byte[] payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static ByteArrayOutputStream head(int attempt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(attempt).array());
        return out;
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void pair(ByteArrayOutputStream out, Curve curve, SigningCommitments c) {
        out.writeBytes(c.hidingBytes(curve));
        out.writeBytes(c.bindingBytes(curve));
    }

    private static SigningCommitments pair(ByteBuffer b, Curve curve, int identifier) throws Malformed {
        byte[] d = bytes(b, curve.pointLength());
        byte[] e = bytes(b, curve.pointLength());
        try {
            return SigningCommitments.decode(curve, identifier, d, e);
        } catch (FrostAbort bad) {
            throw new Malformed("commitment of participant " + identifier + " is not a valid point");
        }
    }

    private static int attempt(ByteBuffer b) throws Malformed {
        need(b, 4);
        int a = b.getInt();
        if (a < 0) {
            throw new Malformed("attempt number out of range");
        }
        return a;
    }

    private static void count(ByteBuffer b, int m) throws Malformed {
        need(b, 2);
        int got = b.getShort() & 0xffff;
        if (got != m) {
            throw new Malformed(got + " messages instead of the request's " + m);
        }
    }

    private static byte[] bytes(ByteBuffer b, int n) throws Malformed {
        need(b, n);
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static void need(ByteBuffer b, int n) throws Malformed {
        if (b.remaining() < n) {
            throw new Malformed("payload is truncated");
        }
    }

    private static void end(ByteBuffer b) throws Malformed {
        if (b.hasRemaining()) {
            throw new Malformed(b.remaining() + " bytes after the end of the payload");
        }
    }

    static boolean sameDigest(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
