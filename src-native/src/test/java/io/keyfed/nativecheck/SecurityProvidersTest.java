package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/** The security providers the native build registers load and work in this JVM. */
class SecurityProvidersTest {
    static final String SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final char[] TEST_USER_PIN = "native-check-user".toCharArray();

    @Test
    void nativeBuildRegistersBouncyCastleAndSunPkcs11() {
        List<String> providers = NativeBuild.securityProviders();
        assertTrue(providers.contains("BC"), "quarkus.security.security-providers lacks BC: " + providers);
        assertTrue(providers.contains("SunPKCS11"), "quarkus.security.security-providers lacks SunPKCS11: " + providers);
        // The party registers SunPKCS11 for native-image itself too (works without quarkus-security).
        assertTrue(NativeBuild.additionalSecurityProviders("party/service").contains("sun.security.pkcs11.SunPKCS11"),
                "party/service native-image.properties does not name sun.security.pkcs11.SunPKCS11");
    }

    @Test
    void everyConfiguredProviderLoads() throws Exception {
        for (String name : NativeBuild.securityProviders()) {
            Provider p = switch (name) {
                case "BC" -> new BouncyCastleProvider();
                default -> Security.getProvider(name);
            };
            assertNotNull(p, "provider " + name + " is not available in this JVM");
            assertEquals(name, p.getName());
        }
        for (String className : NativeBuild.additionalSecurityProviders("party/service")) {
            Class<?> c = Class.forName(className, false, ClassLoader.getSystemClassLoader());
            assertTrue(Provider.class.isAssignableFrom(c), className + " is not a JCA provider");
        }
    }

    @Test
    void bouncyCastleSignsAndVerifiesOnSecp256k1() throws Exception {
        Provider bc = new BouncyCastleProvider();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", bc);
        g.initialize(new ECGenParameterSpec("secp256k1"));
        KeyPair kp = g.generateKeyPair();
        byte[] msg = "keyfed native check".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withECDSA", bc);
        s.initSign(kp.getPrivate());
        s.update(msg);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA", bc);
        v.initVerify(kp.getPublic());
        v.update(msg);
        assertTrue(v.verify(sig));
        assertEquals(new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16),
                ((ECPublicKey) kp.getPublic()).getParams().getOrder());
    }

    /**
     * SunPKCS11 configured the way the party configures it (hsm-config templates, rendered by
     * hsm-config/init-token.sh) against a fresh SoftHSM2 token: log in, generate a secp256k1 key in the
     * token, sign in the token and verify with BouncyCastle. Skipped only when SoftHSM2 is not installed.
     */
    @Test
    void sunPkcs11WorksWithSoftHsm2Token() throws Exception {
        Provider base = Security.getProvider("SunPKCS11");
        assertNotNull(base, "this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        assumeTrue(Files.isRegularFile(Path.of(SOFTHSM_LIBRARY)), "SoftHSM2 not installed: token part skipped");
        String conf = System.getenv("SOFTHSM2_CONF");
        assumeTrue(conf != null && !conf.isBlank(), "SOFTHSM2_CONF not set by the build: token part skipped");

        Path confFile = Path.of(conf);
        Path dir = confFile.getParent();
        deleteTree(dir);
        Files.createDirectories(dir);
        Path cfg = dir.resolve("sunpkcs11.cfg");
        ProcessBuilder pb = new ProcessBuilder("bash", Repo.root().resolve("hsm-config/init-token.sh").toString());
        pb.environment().put("KEYFED_HSM_LABEL", "native-check");
        pb.environment().put("KEYFED_HSM_SO_PIN", "native-check-so");
        pb.environment().put("KEYFED_HSM_USER_PIN", new String(TEST_USER_PIN));
        pb.environment().put("KEYFED_HSM_DIR", dir.toString());
        pb.environment().put("KEYFED_HSM_SUNPKCS11_CFG", cfg.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "init-token.sh did not finish");
        assertEquals(0, p.exitValue(), "init-token.sh failed:\n" + out);
        assertTrue(Files.isRegularFile(cfg), "init-token.sh wrote no SunPKCS11 config:\n" + out);

        Provider token = base.configure(cfg.toString());
        Security.addProvider(token);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", token);
            ks.load(null, TEST_USER_PIN);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", token);
            g.initialize(new ECGenParameterSpec("secp256k1"));
            KeyPair kp = g.generateKeyPair();
            byte[] msg = "signed inside the token".getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("SHA256withECDSA", token);
            s.initSign(kp.getPrivate());
            s.update(msg);
            byte[] sig = s.sign();
            // SunEC no longer verifies secp256k1: BouncyCastle does.
            Signature v = Signature.getInstance("SHA256withECDSA", new BouncyCastleProvider());
            v.initVerify(kp.getPublic());
            v.update(msg);
            assertTrue(v.verify(sig), "in-token secp256k1 signature does not verify");
        } finally {
            Security.removeProvider(token.getName());
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
