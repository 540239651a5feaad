package io.keyfed.cli.certs;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;

import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.jce.spec.ECParameterSpec;

/** The public key of an EC private key: Q = d·G on the key's curve (BouncyCastle's point arithmetic). */
final class EcKeys {
    private EcKeys() {
    }

    static PublicKey publicKey(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("not an EC key but " + key.getAlgorithm());
        }
        ECParameterSpec spec = EC5Util.convertSpec(ec.getParams());
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(ec.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
    }
}
