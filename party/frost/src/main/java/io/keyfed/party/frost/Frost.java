package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * FROST signing (RFC 9591 section 5) as pure functions over a {@link Ciphersuite}: {@link #commit} (round
 * one, each signer), {@link #sign} (round two, each signer) and {@link #aggregate} (the coordinator). No
 * I/O, no clocks, no logging. Secret arithmetic uses the curve's constant-time scalar operations.
 */
public final class Frost {
    private Frost() {
    }

    /** Round-one output: the secret nonces (kept by the signer) and their public commitments (sent). */
    public static final class Round1 {
        private final SigningNonces nonces;

        Round1(SigningNonces nonces) {
            this.nonces = nonces;
        }

        public SigningNonces nonces() {
            return nonces;
        }

        public SigningCommitments commitments() {
            return nonces.commitments();
        }
    }

    /**
     * Draws a hedged nonce pair for {@code share}: each nonce is H3(random_bytes(32) || SerializeScalar(s_i))
     * (RFC 9591 nonce_generate), hiding first, then binding; commitments D = d·G, E = e·G.
     */
    public static Round1 commit(Ciphersuite cs, SecretShare share, SecureRandom rng) {
        Curve curve = cs.curve();
        if (share.curve().id() != curve.id()) {
            throw new IllegalArgumentException("share is not on " + curve.id());
        }
        Scalar d = nonceGenerate(cs, share.value(), rng);
        Scalar e = nonceGenerate(cs, share.value(), rng);
        SigningCommitments c = new SigningCommitments(share.identifier(), curve.mulBase(d), curve.mulBase(e));
        return new Round1(new SigningNonces(share.identifier(), d, e, c));
    }

    private static Scalar nonceGenerate(Ciphersuite cs, Scalar secret, SecureRandom rng) {
        byte[] random = new byte[32];
        rng.nextBytes(random);
        byte[] secretEnc = cs.curve().encodeScalar(secret);
        byte[] input = Signature.concat(random, secretEnc);
        try {
            return cs.h3(input);
        } finally {
            Arrays.fill(random, (byte) 0);
            Arrays.fill(secretEnc, (byte) 0);
            Arrays.fill(input, (byte) 0);
        }
    }

    /**
     * Round two: signer i's share z_i = d + e·rho_i + λ_i·s_i·c (with the ciphersuite's key adjustment
     * applied to an in-memory copy of s_i, and d, e negated when a BIP-340 R has odd y). Checks, in order:
     * the nonces are unused (then consumed: they are wiped when this returns or throws), they and the key
     * are this signer's, the package (see {@link PackageChecks}), and the signer's own commitment is in it,
     * unchanged.
     */
    public static SignatureShare sign(Ciphersuite cs, SigningPackage pkg, SigningNonces nonces, KeyPackage key)
            throws FrostAbort {
        int self = key.identifier();
        if (!nonces.consume()) {
            throw new FrostAbort(new FrostError.NonceReuse(FrostError.UNATTRIBUTABLE, self));
        }
        try {
            return signOnce(cs, pkg, nonces, key);
        } finally {
            nonces.destroy();
        }
    }

    private static SignatureShare signOnce(Ciphersuite cs, SigningPackage pkg, SigningNonces nonces, KeyPackage key)
            throws FrostAbort {
        Curve curve = cs.curve();
        PublicKeyPackage pub = key.publicKeys();
        int self = key.identifier();
        if (pub.curve().id() != curve.id()) {
            throw new FrostAbort(new FrostError.KeyMismatch(self, "key is not on " + curve.id()));
        }
        if (nonces.identifier() != self) {
            throw new FrostAbort(new FrostError.KeyMismatch(self, "nonces of participant " + nonces.identifier()));
        }
        PackageChecks.check(cs, pkg, pub.threshold(), pub.n());
        List<SigningCommitments> list = pkg.commitments();
        int at = indexOf(list, self);
        if (at < 0) {
            throw new FrostAbort(new FrostError.OwnCommitmentMissing(FrostError.UNATTRIBUTABLE, self));
        }
        if (!list.get(at).equals(nonces.commitments())) {
            throw new FrostAbort(new FrostError.OwnCommitmentChanged(FrostError.UNATTRIBUTABLE, self));
        }
        KeyAdjustment adj = cs.adjustment(pub.groupKey());
        GroupElement groupKey = adj.applyPublic(curve, pub.groupKey());
        Scalar[] rho = SigningMath.bindingFactors(cs, groupKey, pkg);
        GroupElement r = SigningMath.groupCommitment(curve, list, rho);
        if (curve.isIdentity(r)) {
            throw new FrostAbort(new FrostError.IdentityGroupCommitment(FrostError.UNATTRIBUTABLE));
        }
        byte[] message = pkg.message();
        Scalar lambdaC = curve.scalarMul(SigningMath.lagrange(curve, pkg.signers(), self),
                cs.challenge(r, groupKey, message));
        boolean negate = cs.negatesR(r);
        Scalar d = negate ? curve.scalarNegate(nonces.hiding()) : nonces.hiding().copy();
        Scalar e = negate ? curve.scalarNegate(nonces.binding()) : nonces.binding().copy();
        Scalar s = adj.applySecret(curve, key.share().value());
        Scalar nonceTerm = null;
        Scalar keyTerm = null;
        try {
            nonceTerm = curve.scalarMulAdd(e, rho[at], d);
            keyTerm = curve.scalarMul(s, lambdaC);
            return new SignatureShare(self, curve.scalarAdd(nonceTerm, keyTerm));
        } finally {
            d.destroy();
            e.destroy();
            s.destroy();
            if (nonceTerm != null) {
                nonceTerm.destroy();
            }
            if (keyTerm != null) {
                keyTerm.destroy();
            }
        }
    }

    /**
     * The coordinator: checks the package, that there is exactly one share per signer in it, and each share
     * against its signer's verification share (z_j·G == R_j + c·λ_j·Y_j, after the key adjustment; a
     * failure names j); then sums the shares and verifies the signature before returning it.
     */
    public static Signature aggregate(Ciphersuite cs, SigningPackage pkg, List<SignatureShare> shares,
                                      PublicKeyPackage pub) throws FrostAbort {
        Curve curve = cs.curve();
        if (pub.curve().id() != curve.id()) {
            throw new FrostAbort(new FrostError.KeyMismatch(FrostError.UNATTRIBUTABLE, "key is not on " + curve.id()));
        }
        PackageChecks.check(cs, pkg, pub.threshold(), pub.n());
        List<SigningCommitments> list = pkg.commitments();
        Map<Integer, SignatureShare> byId = new HashMap<>();
        for (SignatureShare sh : shares) {
            if (indexOf(list, sh.identifier()) < 0 || byId.putIfAbsent(sh.identifier(), sh) != null) {
                throw new FrostAbort(new FrostError.UnexpectedShare(sh.identifier()));
            }
            if (sh.z().curveId() != curve.id()) {
                throw new FrostAbort(new FrostError.MalformedShare(sh.identifier()));
            }
        }
        for (SigningCommitments c : list) {
            if (!byId.containsKey(c.identifier())) {
                throw new FrostAbort(new FrostError.MissingShare(c.identifier()));
            }
        }
        KeyAdjustment adj = cs.adjustment(pub.groupKey());
        GroupElement groupKey = adj.applyPublic(curve, pub.groupKey());
        Scalar[] rho = SigningMath.bindingFactors(cs, groupKey, pkg);
        GroupElement r = SigningMath.groupCommitment(curve, list, rho);
        if (curve.isIdentity(r)) {
            throw new FrostAbort(new FrostError.IdentityGroupCommitment(FrostError.UNATTRIBUTABLE));
        }
        byte[] message = pkg.message();
        Scalar c = cs.challenge(r, groupKey, message);
        boolean negate = cs.negatesR(r);
        int[] signers = pkg.signers();
        Scalar z = curve.scalarOf(0);
        for (int k = 0; k < list.size(); k++) {
            int j = list.get(k).identifier();
            GroupElement rj = SigningMath.commitmentShare(curve, list.get(k), rho[k]);
            if (negate) {
                rj = cs.negate(rj);
            }
            GroupElement yj = adj.applyPublic(curve, pub.verificationShare(j));
            Scalar zj = byId.get(j).z();
            Scalar lambdaC = curve.scalarMul(SigningMath.lagrange(curve, signers, j), c);
            if (!SchnorrCheck.holds(curve, rj, zj, yj, lambdaC)) {
                throw new FrostAbort(new FrostError.InvalidShare(j));
            }
            z = curve.scalarAdd(z, zj);
        }
        if (!cs.verify(r, z, groupKey, message)) {
            throw new FrostAbort(new FrostError.InvalidSignature(FrostError.UNATTRIBUTABLE));
        }
        return new Signature(r, z, cs.encodeSignature(r, z), cs.encodeVerifyingKey(groupKey));
    }

    /**
     * The encoded key the suite's signatures verify under, for the DKG's group key: ed25519 Y (32 bytes),
     * secp256k1 Y (33), BIP-340 x(even Y) (32), Taproot x(Q) of the BIP-86 output key (32).
     */
    public static byte[] verifyingKey(Ciphersuite cs, PublicKeyPackage pub) throws FrostAbort {
        return cs.encodeVerifyingKey(cs.adjustment(pub.groupKey()).applyPublic(cs.curve(), pub.groupKey()));
    }

    /**
     * Whether {@code signature} (the suite's encoding) signs {@code message} under the DKG key {@code pub}, after
     * the suite's key adjustment: how a party checks a RESULT against its own copy of the request. Any
     * malformed input is simply not a valid signature.
     */
    public static boolean verify(Ciphersuite cs, PublicKeyPackage pub, byte[] message, byte[] signature)
            throws FrostAbort {
        Curve curve = cs.curve();
        if (pub.curve().id() != curve.id() || signature == null
                || signature.length != cs.rLength() + curve.scalarLength()) {
            return false;
        }
        GroupElement r;
        Scalar z;
        try {
            r = cs.decodeR(Arrays.copyOfRange(signature, 0, cs.rLength()));
            z = curve.decodeScalar(Arrays.copyOfRange(signature, cs.rLength(), signature.length));
        } catch (InvalidEncodingException e) {
            return false;
        }
        GroupElement key = cs.adjustment(pub.groupKey()).applyPublic(curve, pub.groupKey());
        return cs.verify(r, z, key, message);
    }

    private static int indexOf(List<SigningCommitments> list, int identifier) {
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k).identifier() == identifier) {
                return k;
            }
        }
        return -1;
    }
}
