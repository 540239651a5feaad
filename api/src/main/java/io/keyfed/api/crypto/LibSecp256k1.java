package io.keyfed.api.crypto;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * libsecp256k1 through JNI ({@code fr.acinq.secp256k1:secp256k1-kmp-jni-jvm}), where its library loads on this
 * machine; {@link Secp256k1} uses it for ECDSA verification and falls back to BouncyCastle where it does not.
 * Invariants: loaded at most once per JVM; a failed load is logged once and never retried; setting the system
 * property {@value #PROPERTY} (or the environment variable {@value #ENV}) to {@code false} forces BouncyCastle.
 */
final class LibSecp256k1 {
    static final String PROPERTY = "keyfed.secp256k1.native";
    static final String ENV = "KEYFED_SECP256K1_NATIVE";
    private static final Logger LOG = Logger.getLogger(LibSecp256k1.class.getName());

    private LibSecp256k1() {
    }

    private static final class Holder {
        static final fr.acinq.secp256k1.Secp256k1 LIB = load(setting());
    }

    /** The native library, or null when it is disabled or could not be loaded here. */
    static fr.acinq.secp256k1.Secp256k1 get() {
        return Holder.LIB;
    }

    private static String setting() {
        String p = System.getProperty(PROPERTY);
        return p != null ? p : System.getenv(ENV);
    }

    /** Loads the library unless {@code setting} is {@code false}; null (logged) when it cannot load. */
    static fr.acinq.secp256k1.Secp256k1 load(String setting) {
        if ("false".equalsIgnoreCase(setting == null ? "" : setting.strip())) {
            return null;
        }
        try {
            fr.acinq.secp256k1.Secp256k1 lib = fr.acinq.secp256k1.Secp256k1.Companion.get();
            // A call that must succeed: the library is really there, not only its Java side.
            if (!lib.secKeyVerify(ONE)) {
                throw new IllegalStateException("libsecp256k1 refused the scalar 1");
            }
            return lib;
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, an extraction IOException...
            LOG.log(Level.WARNING, "libsecp256k1 (JNI) could not be loaded here, secp256k1 stays on BouncyCastle: "
                    + e);
            return null;
        }
    }

    private static final byte[] ONE = new byte[32];

    static {
        ONE[31] = 1;
    }
}
