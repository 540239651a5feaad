package io.keyfed.party.hsm;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

/** EC public-key encodings used by the token facade (validated with BouncyCastle). */
final class EcKeys {
    static final ASN1ObjectIdentifier SECP256K1 = SECObjectIdentifiers.secp256k1;
    static final ASN1ObjectIdentifier P256 = X9ObjectIdentifiers.prime256v1;

    private EcKeys() {
    }

    /**
     * The 33-byte compressed point of an EC public key, which must be on {@code curve}.
     *
     * @throws IllegalArgumentException if the key is not an EC key on that curve
     */
    static byte[] compressed(PublicKey key, ASN1ObjectIdentifier curve) {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key has no X.509 encoding");
        }
        AlgorithmIdentifier alg = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
                || !curve.equals(alg.getParameters())) {
            throw new IllegalArgumentException("public key is not an EC key on " + curveName(curve));
        }
        return decode(spki.getPublicKeyData().getBytes(), curve).getEncoded(true);
    }

    /** Decodes and validates a compressed (33-byte) or uncompressed (65-byte) point. */
    static ECPoint decode(byte[] encoded, ASN1ObjectIdentifier curve) {
        X9ECParameters params = CustomNamedCurves.getByOID(curve);
        if (encoded == null || !(encoded.length == 33 || encoded.length == 65)) {
            throw new IllegalArgumentException("EC public key must be a 33-byte compressed or 65-byte uncompressed "
                    + curveName(curve) + " point");
        }
        ECPoint p;
        try {
            p = params.getCurve().decodePoint(encoded);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("EC public key is not a point on " + curveName(curve));
        }
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("EC public key is not a valid " + curveName(curve) + " point");
        }
        return p.normalize();
    }

    /** A JCA public key (default provider) for a validated point on {@code curve}. */
    static ECPublicKey toJca(ECPoint point, ASN1ObjectIdentifier curve) {
        try {
            SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), point.getEncoded(false));
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(spki.getEncoded(ASN1Encoding.DER)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an EC public key for " + curveName(curve), e);
        }
    }

    /** The JCA (ECGenParameterSpec) name of a supported curve. */
    static String jcaName(ASN1ObjectIdentifier curve) {
        if (SECP256K1.equals(curve)) {
            return "secp256k1";
        }
        if (P256.equals(curve)) {
            return "secp256r1";
        }
        throw new IllegalArgumentException("unsupported curve " + curve.getId());
    }

    static String curveName(ASN1ObjectIdentifier curve) {
        return SECP256K1.equals(curve) ? "secp256k1" : P256.equals(curve) ? "P-256" : curve.getId();
    }
}
