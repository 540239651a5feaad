package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.cli.tls.KeyPairs;
import io.keyfed.cli.testing.Cli;

class CertsCommandTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";

    @TempDir
    Path home;
    Path dir;
    Cli cli;
    String party;

    @BeforeEach
    void setUp() {
        cli = new Cli(home, null);
        dir = home.resolve("tls");
        party = cli.run("keys", "add", "p1", "--quiet").out().strip();
    }

    @Test
    void makesCaAndLeavesWithTheirNamesUsagesAndChain() throws Exception {
        Cli.Result r = cli.run("certs", "--dir", dir.toString(), "--ledger", "--party", party, "--connector", party,
                "--client", "alice", "--host", "node1.example", "--host", "10.0.0.5");
        assertEquals(0, r.exit(), r::toString);
        List<String> names = List.of("ca", "ledger", "party-" + party, "connector-" + party, "client-alice");
        StringBuilder expected = new StringBuilder();
        for (String n : names) {
            expected.append("created ").append(dir.resolve(n + ".crt")).append('\n');
            expected.append("created ").append(dir.resolve(n + ".key")).append('\n');
        }
        assertEquals(expected.toString(), r.out());

        X509Certificate ca = cert("ca");
        assertTrue(ca.getBasicConstraints() >= 0, "CA:true");
        assertTrue(ca.getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS));
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
        ca.verify(ca.getPublicKey());

        assertLeaf("ledger", "keyfed:ledger", ca);
        assertLeaf("party-" + party, "keyfed:party:" + party, ca);
        assertLeaf("connector-" + party, "keyfed:connector:" + party, ca);
        assertLeaf("client-alice", "keyfed:client:alice", ca);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            assertEquals(10, files.count(), "no temporary files left");
        }
    }

    private void assertLeaf(String name, String uri, X509Certificate ca) throws Exception {
        X509Certificate c = cert(name);
        assertEquals("CN=" + name, c.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals(Set.of("URI:" + uri, "DNS:localhost", "IP:127.0.0.1", "DNS:node1.example", "IP:10.0.0.5"),
                sans(c));
        boolean[] ku = c.getKeyUsage();
        assertTrue(ku[0] && ku[4], "digitalSignature and keyAgreement");
        assertFalse(ku[5], "not keyCertSign");
        assertTrue(c.getCriticalExtensionOIDs().contains(KEY_USAGE));
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), c.getExtendedKeyUsage());
        assertEquals(-1, c.getBasicConstraints(), "CA:false");
        assertEquals(128, c.getSerialNumber().bitLength());
        // the chain verifies against ca.crt as a trust anchor (PKIX, as a TLS peer checks it)
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        p.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(c)), p);
        // the key: PKCS#8 "PRIVATE KEY", EC P-256, owner-only, and the certificate's
        Path key = dir.resolve(name + ".key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name
                + ".crt"))));
        PrivateKey k = pkcs8(key);
        assertEquals(256, ((ECPrivateKey) k).getParams().getCurve().getField().getFieldSize());
        assertTrue(KeyPairs.matches(k, c.getPublicKey()));
    }

    @Test
    void aSecondRunKeepsEveryFileAndForceReissuesOnlyTheNamedLeafCertificates() throws Exception {
        String d = dir.toString();
        assertEquals(0, cli.run("certs", "--dir", d, "--ledger", "--party", party).exit());
        List<byte[]> before = contents("ca.crt", "ca.key", "ledger.crt", "ledger.key", "party-" + party + ".crt");

        Cli.Result again = cli.run("certs", "--dir", d, "--ledger", "--party", party);
        assertEquals(0, again.exit(), again::toString);
        assertEquals(6, again.out().lines().filter(l -> l.startsWith("kept ")).count(), again::toString);
        List<byte[]> after = contents("ca.crt", "ca.key", "ledger.crt", "ledger.key", "party-" + party + ".crt");
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i));
        }

        Cli.Result forced = cli.run("certs", "--dir", d, "--ledger", "--force");
        assertEquals(0, forced.exit(), forced::toString);
        assertEquals("kept " + dir.resolve("ca.crt") + "\nkept " + dir.resolve("ca.key") + "\nre-issued "
                + dir.resolve("ledger.crt") + "\nkept " + dir.resolve("ledger.key") + "\n", forced.out());
        List<byte[]> forcedFiles = contents("ca.crt", "ca.key", "ledger.crt", "ledger.key", "party-" + party + ".crt");
        assertArrayEquals(before.get(0), forcedFiles.get(0));
        assertArrayEquals(before.get(1), forcedFiles.get(1));
        assertFalse(java.util.Arrays.equals(before.get(2), forcedFiles.get(2)), "ledger.crt re-issued");
        assertArrayEquals(before.get(3), forcedFiles.get(3), "ledger.key stays");
        assertArrayEquals(before.get(4), forcedFiles.get(4), "party certificate not named, not touched");
        assertTrue(KeyPairs.matches(pkcs8(dir.resolve("ledger.key")), cert("ledger").getPublicKey()));
    }

    @Test
    void aMissingFileIsMadeAgainAndTheOthersAreKept() throws Exception {
        String d = dir.toString();
        assertEquals(0, cli.run("certs", "--dir", d, "--ledger", "--client", "bob").exit());
        byte[] key = Files.readAllBytes(dir.resolve("ledger.key"));
        Files.delete(dir.resolve("ledger.crt"));
        Files.delete(dir.resolve("client-bob.key"));
        Files.delete(dir.resolve("client-bob.crt"));

        Cli.Result r = cli.run("certs", "--dir", d, "--ledger", "--client", "bob");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("created " + dir.resolve("ledger.crt") + "\nkept " + dir.resolve("ledger.key")),
                r::toString);
        assertTrue(r.out().contains("created " + dir.resolve("client-bob.crt") + "\ncreated "
                + dir.resolve("client-bob.key")), r::toString);
        assertArrayEquals(key, Files.readAllBytes(dir.resolve("ledger.key")));
        assertTrue(KeyPairs.matches(pkcs8(dir.resolve("ledger.key")), cert("ledger").getPublicKey()));
        cert("ledger").verify(cert("ca").getPublicKey());
    }

    @Test
    void aCertificateOfAnotherCaIsNotKeptSilently() throws Exception {
        String d = dir.toString();
        assertEquals(0, cli.run("certs", "--dir", d, "--ledger").exit());
        Files.delete(dir.resolve("ca.crt"));
        Files.delete(dir.resolve("ca.key"));

        Cli.Result r = cli.run("certs", "--dir", d, "--ledger");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("ledger.crt was not issued by " + dir.resolve("ca.crt")), r::toString);
        assertTrue(r.err().contains("--force"), r::toString);

        Cli.Result forced = cli.run("certs", "--dir", d, "--ledger", "--force");
        assertEquals(0, forced.exit(), forced::toString);
        cert("ledger").verify(cert("ca").getPublicKey());
    }

    @Test
    void refusesAKeyFileThatOthersCanRead() throws Exception {
        assertEquals(0, cli.run("certs", "--dir", dir.toString()).exit());
        Files.setPosixFilePermissions(dir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Result r = cli.run("certs", "--dir", dir.toString(), "--ledger");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("chmod 600 " + dir.resolve("ca.key")), r::toString);
        assertFalse(Files.exists(dir.resolve("ledger.key")));
    }

    @Test
    void refusesBadAddressesNamesAndHostsBeforeWritingAnything() {
        String d = dir.toString();
        String[][] bad = {
                {"--party", "zen1notanaddress", "--party 'zen1notanaddress' is not valid bech32"},
                // the checksum broken: the last character changed (to another one, whatever it was)
                {"--connector", party.substring(0, party.length() - 1) + (party.endsWith("q") ? "p" : "q"),
                        "--connector '"},
                {"--party", party.replaceFirst("^zen", "cosmos"), "is not valid bech32"},
                {"--client", "../evil", "--client '../evil'"},
                {"--host", "bad host", "--host 'bad host' is neither an IP address nor a DNS name"},
                {"--days", "0", "--days must be between 1 and"},
        };
        for (String[] b : bad) {
            Cli.Result r = cli.run("certs", "--dir", d, b[0], b[1]);
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().startsWith("error: ") && r.err().contains(b[2]), r::toString);
        }
        Cli.Result prefix = cli.run("certs", "--dir", d, "--party", party, "--prefix", "other");
        assertEquals(2, prefix.exit(), prefix::toString);
        assertTrue(prefix.err().contains("has prefix 'zen', expected 'other'"), prefix::toString);
        assertFalse(Files.exists(dir), "nothing written");
    }

    @Test
    void jsonListsTheFilesAndWhatHappened() throws Exception {
        Cli.Result r = cli.run("certs", "--dir", dir.toString(), "--client", "c1", "--json");
        assertEquals(0, r.exit(), r::toString);
        var doc = Output.mapper().readTree(r.out());
        assertEquals(4, doc.get("files").size());
        assertEquals("created", doc.get("files").get(2).get("action").asText());
        assertEquals(dir.resolve("client-c1.crt").toString(), doc.get("files").get(2).get("file").asText());
    }

    private X509Certificate cert(String name) throws Exception {
        byte[] pem = Files.readAllBytes(dir.resolve(name + ".crt"));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }

    /** Reads a key the way a service without BouncyCastle would: JDK KeyFactory over PKCS#8. */
    private static PrivateKey pkcs8(Path key) throws Exception {
        String pem = Files.readString(key);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.lines().findFirst().orElse(""));
        String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static Set<String> sans(X509Certificate c) throws Exception {
        Set<String> out = new TreeSet<>();
        for (List<?> n : c.getSubjectAlternativeNames()) {
            int type = (Integer) n.get(0);
            out.add((type == 6 ? "URI:" : type == 2 ? "DNS:" : type == 7 ? "IP:" : "?:") + n.get(1));
        }
        return out;
    }

    private List<byte[]> contents(String... files) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            out.add(Files.readAllBytes(dir.resolve(f)));
        }
        return out;
    }
}
