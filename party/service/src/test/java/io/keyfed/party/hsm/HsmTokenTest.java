package io.keyfed.party.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;

/** {@link HsmToken} against real SoftHSM2 tokens created by {@link SoftHsmTestTokens}. */
class HsmTokenTest {
    private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

    private static SoftHsmTestTokens.TestToken mainToken;
    private static HsmToken main;

    @BeforeAll
    static void openMain() {
        mainToken = SoftHsmTestTokens.token("hsm-main");
        main = HsmToken.open(mainToken.config());
    }

    @AfterAll
    static void closeMain() {
        if (main != null) {
            main.close();
        }
    }

    // --- keys ---------------------------------------------------------------------------

    @Test
    void keysAreCreatedOnFirstOpenAndFoundAgainByANewProvider() {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-lifecycle");
        byte[] identity;
        byte[] agreement;
        byte[] sealed;
        byte[] aad = "share/42/party-1/ecdsa".getBytes(StandardCharsets.UTF_8);
        byte[] secret = "a secret share".getBytes(StandardCharsets.UTF_8);
        String firstProvider;
        try (HsmToken first = HsmToken.open(t.config())) {
            identity = first.identityPublicKey();
            agreement = first.agreementPublicKey();
            sealed = first.seal(secret, aad);
            firstProvider = first.providerName();
            assertEquals(33, identity.length);
            assertTrue(Secp256k1.isValidPublicKey(identity));
            assertEquals(33, agreement.length);
        }
        // a new SunPKCS11 provider instance, keys must already exist
        try (HsmToken second = HsmToken.open(t.config().createMissingKeys(false))) {
            assertArrayEquals(identity, second.identityPublicKey());
            assertArrayEquals(agreement, second.agreementPublicKey());
            assertArrayEquals(secret, second.unseal(sealed, aad));
            assertEquals(firstProvider, second.providerName()); // same name, distinct instance
            byte[] msg = "after restart".getBytes(StandardCharsets.UTF_8);
            assertTrue(Secp256k1.verify(identity, msg, second.signIdentity(msg)));
        }
    }

    @Test
    void closedFacadeRefusesOperations() {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-closed");
        HsmToken token = HsmToken.open(t.config());
        token.close();
        token.close(); // idempotent
        HsmException e = assertThrows(HsmException.class, () -> token.signIdentity(new byte[] { 1 }));
        assertEquals(HsmException.Kind.CLOSED, e.kind());
        assertEquals(33, token.identityPublicKey().length); // public data stays readable
    }

    @Test
    void keysAreReportedAsSensitiveNonExtractableTokenObjects() {
        List<KeyStatus> status = main.keyStatus();
        assertEquals(3, status.size());
        for (KeyStatus s : status) {
            assertTrue(s.known(), s.toString());
            assertTrue(s.protectedInToken(), s.toString());
            assertTrue(s.tokenObject(), s.toString());
            assertTrue(s.sensitive(), s.toString());
            assertFalse(s.extractable(), s.toString());
        }
        assertEquals(256, status.get(1).bits());
    }

    @Test
    void pkcs11ToolSeesOnlySensitiveNeverExtractableKeys() throws Exception {
        String pin = Files.readAllLines(mainToken.userPinFile()).get(0);
        ProcessBuilder pb = new ProcessBuilder("pkcs11-tool", "--module", "/usr/lib/softhsm/libsofthsm2.so",
                "--slot-index", String.valueOf(mainToken.slotListIndex()), "--login", "--pin", "env:KEYFED_TEST_PIN", "--list-objects");
        pb.environment().put("KEYFED_TEST_PIN", pin);
        String out = SoftHsmTestTokens.run(pb, "pkcs11-tool --list-objects");

        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : out.split("\n")) {
            if (!line.startsWith(" ") && !line.startsWith("\t")) {
                if (current != null) {
                    blocks.add(current.toString());
                }
                current = new StringBuilder();
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            blocks.add(current.toString());
        }
        int privateKeys = 0;
        int secretKeys = 0;
        for (String b : blocks) {
            boolean priv = b.startsWith("Private Key Object");
            boolean secret = b.startsWith("Secret Key Object");
            if (priv || secret) {
                String access = b.lines().filter(l -> l.trim().startsWith("Access:")).findFirst().orElse("");
                assertTrue(access.contains("sensitive") && access.contains("never extractable"),
                        "key not protected: " + b);
                privateKeys += priv ? 1 : 0;
                secretKeys += secret ? 1 : 0;
            }
        }
        assertEquals(2, privateKeys, out); // identity and agreement
        assertEquals(1, secretKeys, out); // sealing
        assertTrue(out.contains("keyfed-sealing"), out);
        assertFalse(out.contains("Public Key Object"), "no stray public key objects: " + out);
    }

    // --- signing ------------------------------------------------------------------------

    @Test
    void inTokenSignatureVerifiesWithBouncyCastleAndIsLowS() {
        byte[] pub = main.identityPublicKey();
        for (int i = 0; i < 24; i++) {
            byte[] msg = ("response " + i).getBytes(StandardCharsets.UTF_8);
            byte[] sig = main.signIdentity(msg);
            assertEquals(64, sig.length);
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            assertTrue(s.compareTo(HALF_N) <= 0, "S must be low");
            assertTrue(Secp256k1.verify(pub, msg, sig));
            assertFalse(Secp256k1.verify(pub, ("other " + i).getBytes(StandardCharsets.UTF_8), sig));
        }
    }

    @Test
    void agreementCertificateIsIssuedByTheIdentityKey() throws Exception {
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(main.agreementCertificate()));
        assertEquals("1.2.840.10045.4.3.2", cert.getSigAlgOID());
        ASN1Sequence sig = ASN1Sequence.getInstance(cert.getSignature());
        BigInteger r = ASN1Integer.getInstance(sig.getObjectAt(0)).getPositiveValue();
        BigInteger s = ASN1Integer.getInstance(sig.getObjectAt(1)).getPositiveValue();
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(Secp256k1.decodePublicKey(main.identityPublicKey()),
                Secp256k1.DOMAIN));
        assertTrue(verifier.verifySignature(Hashes.sha256(cert.getTBSCertificate()), r, s));
        assertArrayEquals(main.agreementPublicKey(), EcKeys.compressed(cert.getPublicKey(), EcKeys.P256));
    }

    // --- sealing ------------------------------------------------------------------------

    @Test
    void sealRoundTripsAndUsesAFreshIvEveryTime() {
        byte[] plain = new byte[100];
        Arrays.fill(plain, (byte) 7);
        byte[] aad = "key 9 / party 2 / bitcoin".getBytes(StandardCharsets.UTF_8);
        byte[] a = main.seal(plain, aad);
        byte[] b = main.seal(plain, aad);
        assertFalse(Arrays.equals(a, b));
        int header = 2 + "keyfed-sealing".length();
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, header, header + 12), Arrays.copyOfRange(b, header, header + 12)),
                "IVs must differ");
        assertEquals(HsmToken.SEAL_VERSION, a[0]);
        assertEquals(header + HsmToken.IV_LENGTH + plain.length + HsmToken.TAG_LENGTH, a.length);
        assertEquals("keyfed-sealing", main.sealingKeyId());
        assertArrayEquals(plain, main.unseal(a, aad));
        assertArrayEquals(plain, main.unseal(b, aad));
        assertArrayEquals(new byte[0], main.unseal(main.seal(new byte[0], null), new byte[0]));
    }

    @Test
    void tamperedSealedDataOrAadIsRejected() {
        byte[] plain = "the share".getBytes(StandardCharsets.UTF_8);
        byte[] aad = "key 1".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = main.seal(plain, aad);
        // every byte from the key id onwards: key id, IV, ciphertext, tag
        for (int i = 2; i < sealed.length; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 0x01;
            HsmException e = assertThrows(HsmException.class, () -> main.unseal(t, aad), "byte " + i);
            assertEquals(HsmException.Kind.UNSEAL_FAILED, e.kind(), e.getMessage());
        }
        assertEquals(HsmException.Kind.UNSEAL_FAILED,
                assertThrows(HsmException.class, () -> main.unseal(sealed, "key 2".getBytes(StandardCharsets.UTF_8)))
                        .kind());
        assertEquals(HsmException.Kind.UNSEAL_FAILED,
                assertThrows(HsmException.class, () -> main.unseal(sealed, null)).kind());
        byte[] version = sealed.clone();
        version[0] = 2;
        assertEquals(HsmException.Kind.UNSEAL_FAILED,
                assertThrows(HsmException.class, () -> main.unseal(version, aad)).kind());
        byte[] truncated = Arrays.copyOf(sealed, sealed.length - HsmToken.TAG_LENGTH - plain.length - 1);
        assertEquals(HsmException.Kind.UNSEAL_FAILED,
                assertThrows(HsmException.class, () -> main.unseal(truncated, aad)).kind());
        // still fine untouched
        assertArrayEquals(plain, main.unseal(sealed, aad));
    }

    // --- ECDH ---------------------------------------------------------------------------

    @Test
    void ecdhBetweenTwoTokensGivesTheSameKey() {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-peer");
        try (HsmToken peer = HsmToken.open(t.config())) {
            byte[] info = "session 7 | party 1 -> party 2".getBytes(StandardCharsets.UTF_8);
            byte[] ours = main.ecdh(peer.agreementPublicKey(), info);
            byte[] theirs = peer.ecdh(main.agreementPublicKey(), info);
            assertEquals(32, ours.length);
            assertArrayEquals(ours, theirs);
            assertFalse(Arrays.equals(ours, main.ecdh(peer.agreementPublicKey(), "other".getBytes(StandardCharsets.UTF_8))));
            assertFalse(Arrays.equals(peer.agreementPublicKey(), main.agreementPublicKey()));
            assertFalse(Arrays.equals(peer.identityPublicKey(), main.identityPublicKey()));
        }
        byte[] xTooLarge = new byte[33];
        Arrays.fill(xTooLarge, (byte) 0xff);
        xTooLarge[0] = 2; // x = 2^256 - 1 is not a field element of P-256
        assertThrows(IllegalArgumentException.class, () -> main.ecdh(xTooLarge, null));
        byte[] offCurve = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("secp256r1").getG().getEncoded(false);
        offCurve[64] ^= 1; // generator with a wrong y
        assertThrows(IllegalArgumentException.class, () -> main.ecdh(offCurve, null));
        assertThrows(IllegalArgumentException.class, () -> main.ecdh(new byte[12], null));
    }

    // --- threads ------------------------------------------------------------------------

    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Callable<Boolean>> tasks = new ArrayList<>();
            byte[] pub = main.identityPublicKey();
            byte[] peer = main.agreementPublicKey();
            byte[] expectedKey = main.ecdh(peer, "threads".getBytes(StandardCharsets.UTF_8));
            for (int t = 0; t < 4; t++) {
                int id = t;
                tasks.add(() -> {
                    for (int i = 0; i < 15; i++) {
                        byte[] msg = ("thread " + id + " op " + i).getBytes(StandardCharsets.UTF_8);
                        if (!Secp256k1.verify(pub, msg, main.signIdentity(msg))) {
                            return false;
                        }
                        if (!Arrays.equals(msg, main.unseal(main.seal(msg, msg), msg))) {
                            return false;
                        }
                        if (!Arrays.equals(expectedKey, main.ecdh(peer, "threads".getBytes(StandardCharsets.UTF_8)))) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (java.util.concurrent.Future<Boolean> f : pool.invokeAll(tasks)) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- inspection ---------------------------------------------------------------------

    @Test
    void inspectReportsMechanismsLoginAndKeysWithoutCreatingAnything() throws Exception {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-inspect");
        HsmReport empty = HsmToken.inspect(t.config());
        assertTrue(empty.loginError().isEmpty(), empty.toString());
        assertTrue(empty.mechanisms().stream().allMatch(HsmReport.Mechanism::available), empty.toString());
        assertEquals(5, empty.mechanisms().size());
        assertEquals(3, empty.keys().size());
        assertTrue(empty.keys().stream().noneMatch(KeyStatus::present), empty.toString());
        assertFalse(empty.ok());

        try (HsmToken created = HsmToken.open(t.config())) {
            assertEquals(33, created.identityPublicKey().length);
        }
        HsmReport full = HsmToken.inspect(t.config());
        assertTrue(full.ok(), full.toString());
        assertTrue(full.toString().contains("non-extractable"), full.toString());

        Path wrong = SoftHsmTestTokens.baseDir().resolve("pins").resolve("inspect-wrong.pin");
        SoftHsmTestTokens.writeSecretFile(wrong, SoftHsmTestTokens.randomPin());
        HsmReport denied = HsmToken.inspect(t.config().pinFile(wrong.toString()));
        assertTrue(denied.loginError().orElse("").contains("CKR_PIN_INCORRECT"), denied.toString());
        assertFalse(denied.ok());

        String cfg = Files.readString(t.sunPkcs11Config());
        Path noGcm = SoftHsmTestTokens.baseDir().resolve("inspect-no-gcm.cfg");
        Files.writeString(noGcm, cfg.replaceAll("(?m)^name = (.*)$", "name = $1-inspect-nogcm")
                + "\ndisabledMechanisms = {\n  CKM_AES_GCM\n}\n");
        HsmReport noGcmReport = HsmToken.inspect(t.config().configFile(noGcm.toString()));
        assertFalse(noGcmReport.ok());
        assertTrue(noGcmReport.toString().contains("CKM_AES_GCM (Cipher AES/GCM/NoPadding): MISSING"),
                noGcmReport.toString());
    }

    // --- start-up failures --------------------------------------------------------------

    @Test
    void missingPinIsAClearError() {
        TestHsmConfig cfg = mainToken.config().pinFile(null).pinEnv("KEYFED_TEST_NO_SUCH_PIN_VARIABLE");
        HsmException e = assertThrows(HsmException.class, () -> HsmToken.open(cfg));
        assertEquals(HsmException.Kind.PIN_MISSING, e.kind());
        assertTrue(e.getMessage().contains("KEYFED_TEST_NO_SUCH_PIN_VARIABLE"), e.getMessage());
        assertTrue(e.getMessage().contains("pin-file"), e.getMessage());
    }

    @Test
    void wrongPinCarriesCkrPinIncorrect() throws Exception {
        // a token nobody in this JVM has logged in to (PKCS#11 login state is per process)
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-wrong-pin");
        Path wrong = SoftHsmTestTokens.baseDir().resolve("pins").resolve("wrong.pin");
        SoftHsmTestTokens.writeSecretFile(wrong, SoftHsmTestTokens.randomPin());
        HsmException e = assertThrows(HsmException.class, () -> HsmToken.open(t.config().pinFile(wrong.toString())));
        assertEquals(HsmException.Kind.LOGIN, e.kind());
        assertEquals("CKR_PIN_INCORRECT", e.returnCode().orElse(null), e.getMessage());
        assertTrue(e.getMessage().contains("CKR_PIN_INCORRECT"), e.getMessage());
        String pin = Files.readAllLines(wrong).get(0);
        assertFalse(e.getMessage().contains(pin));
        // the right PIN still works afterwards
        try (HsmToken ok = HsmToken.open(t.config())) {
            assertEquals(33, ok.identityPublicKey().length);
        }
    }

    @Test
    void missingKeyInDoNotCreateModeIsAClearError() {
        SoftHsmTestTokens.TestToken t = SoftHsmTestTokens.token("hsm-empty");
        HsmException e = assertThrows(HsmException.class, () -> HsmToken.open(t.config().createMissingKeys(false)));
        assertEquals(HsmException.Kind.KEY_MISSING, e.kind());
        assertTrue(e.getMessage().contains("keyfed-identity"), e.getMessage());
        assertTrue(e.getMessage().contains("create-missing-keys"), e.getMessage());

        // a token that has the identity key but not a differently named sealing key (a failed open
        // logs the process out of the token, so not the token the other tests keep open)
        try (HsmToken created = HsmToken.open(t.config())) {
            assertEquals(3, created.keyStatus().size());
        }
        HsmException e2 = assertThrows(HsmException.class,
                () -> HsmToken.open(t.config().createMissingKeys(false).sealingAlias("keyfed-sealing-2")));
        assertEquals(HsmException.Kind.KEY_MISSING, e2.kind());
        assertTrue(e2.getMessage().contains("keyfed-sealing-2"), e2.getMessage());
    }

    @Test
    void missingConfigFileIsAClearError() {
        HsmException e = assertThrows(HsmException.class,
                () -> HsmToken.open(new TestHsmConfig("/nonexistent/keyfed/sunpkcs11.cfg")));
        assertEquals(HsmException.Kind.CONFIG, e.kind());
        assertTrue(e.getMessage().contains("config-file"), e.getMessage());
    }

    @Test
    void badSlotOrLibraryIsAClearError() throws Exception {
        String cfg = Files.readString(mainToken.sunPkcs11Config());
        Path badSlot = SoftHsmTestTokens.baseDir().resolve("bad-slot.cfg");
        Files.writeString(badSlot, cfg.replaceAll("(?m)^slotListIndex = \\d+", "slotListIndex = 99"));
        HsmException e = assertThrows(HsmException.class, () -> HsmToken.open(mainToken.config().configFile(badSlot.toString())));
        assertEquals(HsmException.Kind.LIBRARY, e.kind());
        assertTrue(e.getMessage().contains("slotListIndex"), e.getMessage());

        Path badLib = SoftHsmTestTokens.baseDir().resolve("bad-library.cfg");
        Files.writeString(badLib, cfg.replaceAll("(?m)^library = .*$", "library = /nonexistent/libvendor-pkcs11.so"));
        HsmException e2 = assertThrows(HsmException.class, () -> HsmToken.open(mainToken.config().configFile(badLib.toString())));
        assertEquals(HsmException.Kind.LIBRARY, e2.kind());
        assertTrue(e2.getMessage().contains("library"), e2.getMessage());
    }

    @Test
    void missingMechanismIsNamedWithWhatThePartyCannotDo() throws Exception {
        String cfg = Files.readString(mainToken.sunPkcs11Config());
        Path noGcm = SoftHsmTestTokens.baseDir().resolve("no-gcm.cfg");
        Files.writeString(noGcm, cfg.replaceAll("(?m)^name = (.*)$", "name = $1-nogcm")
                + "\ndisabledMechanisms = {\n  CKM_AES_GCM\n}\n");
        HsmException e = assertThrows(HsmException.class, () -> HsmToken.open(mainToken.config().configFile(noGcm.toString())));
        assertEquals(HsmException.Kind.MECHANISM_MISSING, e.kind());
        assertTrue(e.getMessage().contains("CKM_AES_GCM"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot seal or unseal"), e.getMessage());

        Path noEcdh = SoftHsmTestTokens.baseDir().resolve("no-ecdh.cfg");
        Files.writeString(noEcdh, cfg.replaceAll("(?m)^name = (.*)$", "name = $1-noecdh")
                + "\ndisabledMechanisms = {\n  CKM_ECDH1_DERIVE\n}\n");
        HsmException e2 = assertThrows(HsmException.class, () -> HsmToken.open(mainToken.config().configFile(noEcdh.toString())));
        assertEquals(HsmException.Kind.MECHANISM_MISSING, e2.kind());
        assertTrue(e2.getMessage().contains("CKM_ECDH1_DERIVE"), e2.getMessage());
        assertNotNull(main.identityPublicKey());
    }
}
