package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The public computations shared by signing and aggregation (RFC 9591 section 4): binding factors, the
 * group commitment and its shares, and Lagrange coefficients. Every input here is public.
 */
final class SigningMath {
    private SigningMath() {
    }

    /** SerializeScalar(identifier): the identifier as a scalar in the curve's byte order. */
    static byte[] encodeIdentifier(Curve curve, int identifier) {
        return curve.encodeScalar(curve.scalarOf(identifier));
    }

    /** encode_group_commitment_list: identifier || D || E for each entry, in list order. */
    static byte[] encodeCommitmentList(Curve curve, List<SigningCommitments> list) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SigningCommitments c : list) {
            out.writeBytes(encodeIdentifier(curve, c.identifier()));
            out.writeBytes(curve.encodePoint(c.hiding()));
            out.writeBytes(curve.encodePoint(c.binding()));
        }
        return out.toByteArray();
    }

    /** rho_input for {@code identifier}: enc(Y) || H4(msg) || H5(commitment list) || enc(identifier). */
    static byte[] bindingFactorInput(Ciphersuite cs, GroupElement groupKey, SigningPackage pkg, int identifier) {
        Curve curve = cs.curve();
        return Signature.concat(curve.encodePoint(groupKey), cs.h4(pkg.message()),
                cs.h5(encodeCommitmentList(curve, pkg.commitments())), encodeIdentifier(curve, identifier));
    }

    /** rho_i = H1(rho_input_i) for each entry of the list, in list order. */
    static Scalar[] bindingFactors(Ciphersuite cs, GroupElement groupKey, SigningPackage pkg) {
        Curve curve = cs.curve();
        byte[] prefix = Signature.concat(curve.encodePoint(groupKey), cs.h4(pkg.message()),
                cs.h5(encodeCommitmentList(curve, pkg.commitments())));
        List<SigningCommitments> list = pkg.commitments();
        Scalar[] rho = new Scalar[list.size()];
        for (int k = 0; k < rho.length; k++) {
            rho[k] = cs.h1(Signature.concat(prefix, encodeIdentifier(curve, list.get(k).identifier())));
        }
        return rho;
    }

    /** D_i + rho_i·E_i. */
    static GroupElement commitmentShare(Curve curve, SigningCommitments c, Scalar rho) {
        return curve.add(c.hiding(), curve.mul(c.binding(), rho));
    }

    /** R = Σ (D_i + rho_i·E_i). */
    static GroupElement groupCommitment(Curve curve, List<SigningCommitments> list, Scalar[] rho) {
        GroupElement r = curve.identity();
        for (int k = 0; k < rho.length; k++) {
            r = curve.add(r, commitmentShare(curve, list.get(k), rho[k]));
        }
        return r;
    }

    /** λ_i = Π_{j≠i} x_j / (x_j − x_i) over the signer set (distinct identifiers). */
    static Scalar lagrange(Curve curve, int[] signers, int i) {
        Scalar num = curve.scalarOf(1);
        Scalar den = curve.scalarOf(1);
        Scalar xi = curve.scalarOf(i);
        Scalar minusXi = curve.scalarNegate(xi);
        for (int j : signers) {
            if (j == i) {
                continue;
            }
            Scalar xj = curve.scalarOf(j);
            num = curve.scalarMul(num, xj);
            den = curve.scalarMul(den, curve.scalarAdd(xj, minusXi));
        }
        return curve.scalarMul(num, invert(curve, den));
    }

    /**
     * x^(q−2) = x^−1 mod q (Fermat), square-and-multiply over the bits of q − 2, which is the encoding of
     * the scalar −2. Fixed sequence of operations for a given curve; used on public values.
     */
    static Scalar invert(Curve curve, Scalar x) {
        byte[] e = curve.encodeScalar(curve.scalarNegate(curve.scalarOf(2)));
        boolean littleEndian = curve.id() == CurveId.ED25519;
        Scalar acc = curve.scalarOf(1);
        for (int k = 0; k < e.length; k++) {
            int b = e[littleEndian ? e.length - 1 - k : k] & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                acc = curve.scalarMul(acc, acc);
                if (((b >>> bit) & 1) == 1) {
                    acc = curve.scalarMul(acc, x);
                }
            }
        }
        return acc;
    }
}
