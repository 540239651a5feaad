package io.keyfed.party.dkg;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.dkg.secret.SecretPolynomial;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.dkg.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Pedersen DKG with Feldman VSS and a Schnorr proof of knowledge of the constant term, as in FROST's
 * KeyGen (Komlo–Goldberg 2020, Figure 1; RFC 9591 appendix C), plus an echo round against equivocation.
 *
 * <p>Each round is a pure function of its explicit state and the incoming packages; no I/O, no clocks.
 * Inputs are never mutated; callers {@code destroy()} states they no longer need. Any failed check throws
 * {@link DkgAbort} naming the culprit; no output is released unless every check passed.
 *
 * <pre>
 *   round1(params, rng)              → Round1Output(Round1State, Round1Package broadcast)
 *   echo(Round1State, n−1 round-1)   → EchoOutput(EchoState, EchoPackage broadcast)
 *   round2(EchoState, n−1 echoes)    → Round2Output(Round2State, n−1 Round2Package, one per peer, SECRET)
 *   finish(Round2State, n−1 shares)  → DkgResult(PublicKeyPackage, SecretShare)
 * </pre>
 */
public final class Dkg {
    /** hashToScalar domain of the proof-of-knowledge challenge. */
    public static final String POK_DOMAIN = "pok";
    private static final byte[] ECHO_DOMAIN = "KEYFED-DKG-v1-echo".getBytes(StandardCharsets.US_ASCII);

    private Dkg() {
    }

    /**
     * {@code broadcast} is sent signed: the caller signs {@link #digest()} with its identity key and broadcasts
     * {@link #signed(byte[])}.
     */
    public record Round1Output(Round1State state, Round1Package broadcast) {
        /** The digest to sign: {@link Dkg#round1Digest} of our package. */
        public byte[] digest() {
            return round1Digest(broadcast.sessionId(), broadcast);
        }

        /** Our package with our signature over {@link #digest()}, as it is broadcast. */
        public SignedRound1Package signed(byte[] signature) {
            return new SignedRound1Package(broadcast, signature);
        }
    }

    public record EchoOutput(EchoState state, EchoPackage broadcast) {
    }

    /** {@code shares} holds one SECRET package per other participant, in identifier order. */
    public record Round2Output(Round2State state, List<Round2Package> shares) {
    }

    // ---------------------------------------------------------------- round 1

    /**
     * Round 1 (Komlo–Goldberg Fig. 1, round 1):
     * <ol>
     *   <li>"Every P_i samples t random values (a_i0, ..., a_i(t−1)) ← Z_q, and uses these values as
     *       coefficients to define a degree t − 1 polynomial f_i(x) = Σ a_ij x^j."</li>
     *   <li>"Every P_i computes a proof of knowledge to the corresponding secret a_i0 by calculating
     *       σ_i = (R_i, μ_i), such that k ← Z_q, R_i = g^k, c_i = H(i, Φ, g^a_i0, R_i), μ_i = k + a_i0·c_i"
     *       — here Φ is the session id.</li>
     *   <li>"Every participant P_i computes a public commitment C_i = ⟨φ_i0, ..., φ_i(t−1)⟩, where
     *       φ_ij = g^a_ij."</li>
     *   <li>"Every P_i broadcasts C_i, σ_i to all other participants."</li>
     * </ol>
     */
    public static Round1Output round1(DkgParameters params, SecureRandom rng) {
        Objects.requireNonNull(rng, "rng");
        Curve curve = params.curve();
        int t = params.threshold();
        SecretPolynomial f = SecretPolynomial.random(curve, t, rng);
        List<GroupElement> commitments = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            commitments.add(curve.mulBase(f.coefficient(k))); // φ_ik = a_ik·G
        }
        Scalar nonce = curve.randomScalar(rng);
        GroupElement r = curve.mulBase(nonce); // R_i = k·G
        Scalar c = challenge(curve, params.sessionId(), params.self(), commitments.get(0), r);
        Scalar mu = curve.scalarMulAdd(f.coefficient(0), c, nonce); // μ_i = k + a_i0·c_i (constant time)
        nonce.destroy();
        Round1Package pkg = new Round1Package(curve, params.self(), params.sessionId(), commitments, r, mu);
        return new Round1Output(new Round1State(params, f, pkg), pkg);
    }

    /**
     * c_i = H("pok", lp(sid) || u16(i) || lp(enc(φ_i0)) || lp(enc(R_i))), with the curve's
     * {@link Curve#hashToScalar} (domain-separated by the curve context string).
     */
    public static Scalar challenge(Curve curve, SessionId sid, int i, GroupElement c0, GroupElement r) {
        WireWriter w = new WireWriter();
        w.bytes(sid.toBytes()).u16(i).bytes(curve.encodePoint(c0)).bytes(curve.encodePoint(r));
        return curve.hashToScalar(POK_DOMAIN, w.toByteArray());
    }

    // ---------------------------------------------------------------- echo

    /**
     * Verifies every other participant's signed round-1 package and broadcasts the echo digests.
     * Round 1 step 5 (Komlo–Goldberg): "Upon receiving C_ℓ, σ_ℓ from participants 1 ≤ ℓ ≤ n, ℓ ≠ i,
     * participant P_i verifies σ_ℓ = (R_ℓ, μ_ℓ), aborting on failure, by checking
     * R_ℓ ?= g^μ_ℓ · φ_ℓ0^(−c_ℓ), where c_ℓ = H(ℓ, Φ, φ_ℓ0, R_ℓ)."
     * In addition: known / distinct / authenticated senders, matching session, then every sender's signature
     * over its package's digest ({@code verifier}; InvalidSignature), then exactly t commitments, no identity
     * commitment, points on the right curve, μ &lt; q.
     *
     * @param ownSignature our signature over {@link Round1Output#digest()}, checked with {@code verifier}
     * @param verifier     pure signature check, kept for {@link #round2} to weigh disputing echoes
     */
    public static EchoOutput echo(Round1State state, byte[] ownSignature, List<Inbound<SignedRound1Package>> received,
                                  Round1Verifier verifier) throws DkgAbort {
        Objects.requireNonNull(verifier, "verifier");
        DkgParameters p = state.params;
        Curve curve = p.curve();
        List<SignedRound1Package> signed = collect(p, received, s -> s.pkg().sender(), s -> s.pkg().sessionId(),
                s -> s.pkg().curve(), EchoEvidence.own(p, state.own, ownSignature, verifier));
        List<byte[]> digests = EchoEvidence.checkSignatures(p, signed, verifier, pkg -> verifyRound1(p, pkg));
        List<Round1Package> all = new ArrayList<>(p.n());
        for (SignedRound1Package s : signed) {
            all.add(s.pkg());
        }
        for (Round1Package pkg : all) {
            if (pkg.sender() != p.self()) {
                verifyRound1(p, pkg);
            }
        }
        EchoPackage echo = new EchoPackage(curve, p.self(), p.sessionId(), EchoEvidence.entries(signed, digests));
        return new EchoOutput(new EchoState(p, state.polynomial, all, digests, verifier), echo);
    }

    private static void verifyRound1(DkgParameters p, Round1Package pkg) throws DkgAbort {
        Curve curve = p.curve();
        int j = pkg.sender();
        List<GroupElement> cs = pkg.commitments();
        if (cs.size() != p.threshold()) {
            throw new DkgAbort(new DkgError.InvalidCommitmentCount(j, p.threshold(), cs.size()));
        }
        for (int k = 0; k < cs.size(); k++) {
            GroupElement c = cs.get(k);
            if (c.curveId() != curve.id()) {
                throw new DkgAbort(new DkgError.InvalidPoint(j, "commitment " + k + ": wrong curve"));
            }
            if (curve.isIdentity(c)) {
                throw new DkgAbort(new DkgError.IdentityCommitment(j, k));
            }
        }
        if (pkg.proofR().curveId() != curve.id()) {
            throw new DkgAbort(new DkgError.InvalidPoint(j, "proof R: wrong curve"));
        }
        if (curve.isIdentity(pkg.proofR())) {
            throw new DkgAbort(new DkgError.InvalidProof(j));
        }
        Scalar mu = pkg.proofMu(); // a Scalar is in [0, q) by construction: decoding rejected μ >= q
        if (mu.curveId() != curve.id()) {
            throw new DkgAbort(new DkgError.InvalidScalar(j, "proof mu"));
        }
        // "R_ℓ ?= g^μ_ℓ · φ_ℓ0^(−c_ℓ), where c_ℓ = H(ℓ, Φ, φ_ℓ0, R_ℓ)": additively R_ℓ ?= μ_ℓ·G + (−c_ℓ)·φ_ℓ0.
        // μ_ℓ, c_ℓ and φ_ℓ0 are all public (broadcast or derived from the broadcast), so the right-hand
        // side is one variable-time double-scalar multiply (mulBaseAddPublic), never a secret scalar.
        Scalar c = challenge(curve, p.sessionId(), j, cs.get(0), pkg.proofR());
        Scalar minusC = curve.scalarNegate(c);
        GroupElement expectedR = curve.mulBaseAddPublic(mu, cs.get(0), minusC);
        if (!expectedR.equals(pkg.proofR())) {
            throw new DkgAbort(new DkgError.InvalidProof(j));
        }
    }

    /**
     * The round-1 digest that is signed and echoed:
     * SHA-256(lp("KEYFED-DKG-v1-echo") || lp(sid) || u16(k) || lp(encode(round1_k))).
     */
    public static byte[] round1Digest(SessionId sid, Round1Package pkg) {
        WireWriter w = new WireWriter();
        w.bytes(ECHO_DOMAIN).bytes(sid.toBytes()).u16(pkg.sender()).bytes(pkg.encode());
        try {
            return MessageDigest.getInstance("SHA-256").digest(w.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- round 2

    /**
     * Compares every echo with our own view of round 1 (a disputed digest blames k if k signed it —
     * Equivocation — and the echo's sender if not — FalseEcho), then computes the shares.
     * Round 2 step 1 (Komlo–Goldberg): "Each P_i securely sends to each other participant P_ℓ a secret
     * share (ℓ, f_i(ℓ)), deleting f_i and each share afterward except for (i, f_i(i)), which they keep for
     * themselves." (Deletion is the caller's {@code destroy()} of the echo state.)
     */
    public static Round2Output round2(EchoState state, List<Inbound<EchoPackage>> echoes) throws DkgAbort {
        DkgParameters p = state.params;
        Curve curve = p.curve();
        List<EchoPackage> all = collect(p, echoes, EchoPackage::sender, EchoPackage::sessionId,
                EchoPackage::curve, null);
        for (EchoPackage e : all) {
            if (e == null) {
                continue; // our own slot
            }
            int j = e.sender();
            if (e.digestCount() != p.n()) {
                throw new DkgAbort(new DkgError.MalformedMessage(j, "echo carries " + e.digestCount()
                        + " digests, expected " + p.n()));
            }
            EchoEvidence.compare(p, state.digests, e, state.verifier);
        }
        List<Round2Package> out = new ArrayList<>(p.n() - 1);
        SecretShare own = null;
        for (int l = 1; l <= p.n(); l++) {
            Scalar share = state.polynomial.evaluate(curve.scalarOf(l)); // f_i(ℓ)
            if (l == p.self()) {
                own = new SecretShare(curve, l, share);
            } else {
                out.add(new Round2Package(curve, p.self(), l, p.sessionId(), share));
            }
            share.destroy();
        }
        return new Round2Output(new Round2State(p, own, state.packages), List.copyOf(out));
    }

    // ---------------------------------------------------------------- finish

    /**
     * Round 2 steps 2–4 (Komlo–Goldberg):
     * <ol>
     *   <li>"Each P_i verifies their shares by calculating: g^f_ℓ(i) ?= Π_k φ_ℓk^(i^k mod q), aborting
     *       if the check fails."</li>
     *   <li>"Each P_i calculates their long-lived private signing share by computing s_i = Σ_ℓ f_ℓ(i),
     *       stores s_i securely, and deletes each f_ℓ(i)."</li>
     *   <li>"Each P_i calculates their public verification share Y_i = g^s_i, and the group's public key
     *       Y = Π_j φ_j0. Any participant can compute the public verification share of any other
     *       participant by calculating Y_i = Π_j Π_k φ_jk^(i^k mod q)."</li>
     * </ol>
     * Also checks Y_i == s_i·G and that neither Y nor any Y_j is the identity.
     */
    public static DkgResult finish(Round2State state, List<Inbound<Round2Package>> received) throws DkgAbort {
        DkgParameters p = state.params;
        Curve curve = p.curve();
        List<Round2Package> all = collect(p, received, Round2Package::sender, Round2Package::sessionId,
                Round2Package::curve, null);
        Scalar self = curve.scalarOf(p.self());
        for (Round2Package r2 : all) {
            if (r2 == null) {
                continue;
            }
            int j = r2.sender();
            if (r2.recipient() != p.self()) {
                throw new DkgAbort(new DkgError.Misaddressed(j, r2.recipient()));
            }
            checkShare(curve, state.packages.get(j - 1).commitments(), self, r2);
        }
        // Aggregate commitments A_k = Σ_j φ_jk, so that Y = A_0 and Y_ℓ = Σ_k ℓ^k·A_k.
        int t = p.threshold();
        List<GroupElement> agg = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            GroupElement acc = curve.identity();
            for (Round1Package pkg : state.packages) {
                acc = curve.add(acc, pkg.commitments().get(k));
            }
            agg.add(acc);
        }
        GroupElement groupKey = agg.get(0);
        if (curve.isIdentity(groupKey)) {
            throw new DkgAbort(new DkgError.InconsistentResult(DkgError.UNATTRIBUTABLE, "group key is the identity"));
        }
        List<GroupElement> shares = new ArrayList<>(p.n());
        for (int l = 1; l <= p.n(); l++) {
            GroupElement yl = evalCommitment(curve, agg, curve.scalarOf(l));
            if (curve.isIdentity(yl)) {
                throw new DkgAbort(new DkgError.InconsistentResult(DkgError.UNATTRIBUTABLE,
                        "verification share " + l + " is the identity"));
            }
            shares.add(yl);
        }
        // s_i = Σ_ℓ f_ℓ(i), constant time; every share was verified above.
        Scalar s = state.ownShare.value().copy();
        for (Round2Package r2 : all) {
            if (r2 != null) {
                Scalar next = curve.scalarAdd(s, r2.share());
                s.destroy();
                s = next;
            }
        }
        try {
            if (!curve.mulBase(s).equals(shares.get(p.self() - 1))) {
                throw new DkgAbort(new DkgError.InconsistentResult(p.self(), "Y_i != s_i·G"));
            }
            PublicKeyPackage pub = new PublicKeyPackage(curve, p.sessionId(), t, groupKey, shares);
            return new DkgResult(pub, new SecretShare(curve, p.self(), s));
        } finally {
            s.destroy();
        }
    }

    /** Σ_k x^k·C_k by Horner's rule on points (x is public). */
    /**
     * Feldman's check of a received share (Komlo–Goldberg round 2, step 2: "g^f_ℓ(i) ?= Π_k φ_ℓk^(i^k mod q)"),
     * written additively as f_j(i)·G == Σ_k i^k·φ_jk; the culprit is the package's sender j.
     */
    static void checkShare(Curve curve, List<GroupElement> senderCommitments, Scalar recipient, Round2Package r2)
            throws DkgAbort {
        int j = r2.sender();
        Scalar share = r2.share(); // in [0, q) by construction: decoding rejected values >= q
        if (share.curveId() != curve.id()) {
            throw new DkgAbort(new DkgError.InvalidScalar(j, "share"));
        }
        if (!curve.mulBase(share).equals(evalCommitment(curve, senderCommitments, recipient))) {
            throw new DkgAbort(new DkgError.InvalidShare(j));
        }
    }

    static GroupElement evalCommitment(Curve curve, List<GroupElement> c, Scalar x) {
        GroupElement acc = c.get(c.size() - 1);
        for (int k = c.size() - 2; k >= 0; k--) {
            acc = curve.add(curve.mul(acc, x), c.get(k));
        }
        return acc;
    }

    // ---------------------------------------------------------------- inbound checks

    /**
     * Checks the envelope of every inbound package and returns a list indexed by sender − 1 with
     * {@code own} (possibly null) in our own slot. Order of checks: sender known, not ourselves,
     * sender field equals the authenticated sender, no duplicate, curve, session; then every peer present.
     */
    private static <P> List<P> collect(DkgParameters p, List<Inbound<P>> received, ToIntFunction<P> senderOf,
                                       Function<P, SessionId> sessionOf, Function<P, Curve> curveOf, P own)
            throws DkgAbort {
        Objects.requireNonNull(received, "received");
        List<P> slots = new ArrayList<>(p.n());
        for (int i = 0; i < p.n(); i++) {
            slots.add(null);
        }
        boolean[] seen = new boolean[p.n() + 1];
        for (Inbound<P> in : received) {
            int from = in.from();
            P msg = in.message();
            if (from < 1 || from > p.n()) {
                throw new DkgAbort(new DkgError.UnknownSender(from));
            }
            int claimed = senderOf.applyAsInt(msg);
            if (from == p.self() || claimed == p.self()) {
                throw new DkgAbort(new DkgError.ReflectedPackage(from));
            }
            if (claimed != from) {
                throw new DkgAbort(new DkgError.SenderMismatch(from, claimed));
            }
            if (seen[from]) {
                throw new DkgAbort(new DkgError.DuplicateSender(from));
            }
            seen[from] = true;
            if (curveOf.apply(msg).id() != p.curve().id()) {
                throw new DkgAbort(new DkgError.MalformedMessage(from, "wrong curve"));
            }
            if (!p.sessionId().equals(sessionOf.apply(msg))) {
                throw new DkgAbort(new DkgError.SessionMismatch(from));
            }
            slots.set(from - 1, msg);
        }
        for (int j = 1; j <= p.n(); j++) {
            if (j != p.self() && !seen[j]) {
                throw new DkgAbort(new DkgError.MissingPackage(j));
            }
        }
        slots.set(p.self() - 1, own);
        return slots;
    }
}
