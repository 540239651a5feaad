package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET state of the SoftSpokenOT receiver (Bob, the holder of the choice bits) between its two steps;
 * see {@link SoftSpoken} for the protocol. Used once; {@link #destroy()} (or finishing) wipes it.
 */
public final class SoftSpokenReceiver implements Destroyable {
    private final byte[] sid;
    private final int sender;
    private final int count;
    private final int width;
    private final byte[] xTilde;
    private final byte[] v;
    private boolean used;

    private SoftSpokenReceiver(byte[] sid, int sender, int count, int width, byte[] xTilde, byte[] v) {
        this.sid = sid;
        this.sender = sender;
        this.count = count;
        this.width = width;
        this.xTilde = xTilde;
        this.v = v;
    }

    /**
     * Step 1: extends this party's base OTs as base-OT sender ({@code setup}'s peer is the extension
     * sender) into {@code count} OTs with the given choice bits (packed LSB-first), for one session.
     */
    public static Step<SoftSpokenReceiver, SoftSpoken.ExtendMsg> extend(PairwiseSetupOutput setup, byte[] sessionId,
            byte[] choices, int count, int width, SecureRandom rng) throws DklsAbort {
        SoftSpoken.checkBatch(count, width);
        Vsot.checkSid(sessionId);
        if (choices.length != count / 8) {
            throw new IllegalArgumentException("expected " + count / 8 + " bytes of choice bits");
        }
        OtSenderOutput base = setup.asSender();
        byte[] sid = SoftSpoken.sid(sessionId, setup.setupId(), setup.peer(), setup.self());
        int rowBytes = (count + SoftSpoken.PAD_BITS) / 8;
        byte[] xTilde = Arrays.copyOf(choices, rowBytes);
        byte[] pad = new byte[SoftSpoken.PAD_BITS / 8];
        rng.nextBytes(pad);
        System.arraycopy(pad, 0, xTilde, count / 8, pad.length);
        Arrays.fill(pad, (byte) 0);

        byte[] u = new byte[SoftSpoken.KAPPA * rowBytes];
        byte[] v = new byte[SoftSpoken.KAPPA * rowBytes];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            byte[] r0 = SoftSpoken.prg(sid, i, base.pad0(i), rowBytes);
            byte[] r1 = SoftSpoken.prg(sid, i, base.pad1(i), rowBytes);
            for (int b = 0; b < rowBytes; b++) {
                u[i * rowBytes + b] = (byte) (r0[b] ^ r1[b] ^ xTilde[b]);
                v[i * rowBytes + b] = r1[b];
            }
            Arrays.fill(r0, (byte) 0);
            Arrays.fill(r1, (byte) 0);
        }
        byte[][] chi = SoftSpoken.chi(sid, u, count / 128);
        byte[] wPrime = SoftSpoken.compress(xTilde, 0, chi);
        byte[] vPrime = new byte[SoftSpoken.KAPPA * Gf128.BYTES];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            System.arraycopy(SoftSpoken.compress(v, i * rowBytes, chi), 0, vPrime, i * Gf128.BYTES, Gf128.BYTES);
        }
        SoftSpokenReceiver r = new SoftSpokenReceiver(sid, setup.peer(), count, width, xTilde, v);
        return new Step<>(r, new SoftSpoken.ExtendMsg(u, wPrime, vPrime));
    }

    /** Step 2: from the sender's τ, this side's shares t^B_j = x_j·τ_j − H_q(ψ_j). */
    public static CotOutput finish(SoftSpokenReceiver r, SoftSpoken.CotMsg msg) throws DklsAbort {
        synchronized (r) {
            if (r.used) {
                throw new IllegalStateException("SoftSpokenOT receiver state already used");
            }
            r.used = true;
        }
        try {
            byte[] tau = msg.tau();
            if (tau.length != r.count * r.width * 32) {
                throw new DklsAbort(new DklsError.MalformedMessage(r.sender,
                        "expected " + r.count * r.width + " correlation scalars, got " + tau.length + " bytes"));
            }
            int rowBytes = (r.count + SoftSpoken.PAD_BITS) / 8;
            Scalar[][] out = new Scalar[r.count][r.width];
            for (int j = 0; j < r.count; j++) {
                byte[] psi = SoftSpoken.column(r.v, rowBytes, j);
                Scalar x = SoftSpoken.C.scalarOf((r.xTilde[j >>> 3] >>> (j & 7)) & 1);
                for (int c = 0; c < r.width; c++) {
                    Scalar t;
                    try {
                        t = SoftSpoken.C.decodeScalar(Arrays.copyOfRange(tau, (j * r.width + c) * 32,
                                (j * r.width + c + 1) * 32));
                    } catch (InvalidEncodingException e) {
                        destroyAll(out);
                        throw new DklsAbort(new DklsError.MalformedMessage(r.sender,
                                "correlation scalar " + j + "/" + c + " is not canonical"));
                    }
                    Scalar h = SoftSpoken.hq(r.sid, j, c, psi);
                    Scalar minusH = SoftSpoken.C.scalarNegate(h);
                    out[j][c] = SoftSpoken.C.scalarMulAdd(x, t, minusH);
                    h.destroy();
                    minusH.destroy();
                }
                x.destroy();
                Arrays.fill(psi, (byte) 0);
            }
            return new CotOutput(out);
        } finally {
            r.destroy();
        }
    }

    private static void destroyAll(Scalar[][] out) {
        for (Scalar[] row : out) {
            for (Scalar s : row) {
                if (s != null) {
                    s.destroy();
                }
            }
        }
    }

    /** x̃_j (module-internal, for the tests). */
    int choiceBit(int j) {
        return (xTilde[j >>> 3] >>> (j & 7)) & 1;
    }

    @Override
    public synchronized void destroy() {
        Arrays.fill(xTilde, (byte) 0);
        Arrays.fill(v, (byte) 0);
        used = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return used;
    }

    @Override
    public String toString() {
        return "SoftSpokenReceiver[sender=" + sender + ", " + count + " OTs, REDACTED]";
    }
}
