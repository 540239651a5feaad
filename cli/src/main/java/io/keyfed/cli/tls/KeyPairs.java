package io.keyfed.cli.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Whether a private key and a public key (of a certificate) belong together: a test signature verifies. */
public final class KeyPairs {
    private static final byte[] PROBE = "keyfed key pair check".getBytes(StandardCharsets.US_ASCII);

    private KeyPairs() {
    }

    public static boolean matches(PrivateKey priv, PublicKey pub) {
        if (!priv.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        String alg = switch (priv.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> priv.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(priv);
            s.update(PROBE);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(PROBE);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
