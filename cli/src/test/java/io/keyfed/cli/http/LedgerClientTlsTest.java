package io.keyfed.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.cli.testing.Cli;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * The client against an HTTPS ledger stand-in served by Vert.x (what Quarkus's HTTP server and TLS registry run
 * on) from the PEM files of {@code keyfed certs}: the ledger's key and certificate, and mutual TLS with the CA as
 * the trust for client certificates.
 */
class LedgerClientTlsTest {
    @TempDir
    static Path tmp;
    static Path certs;
    static Path otherCerts;
    static Vertx vertx;
    static HttpServer mutual;
    static HttpServer serverOnly;
    static HttpServer impostor;
    static final AtomicInteger served = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        certs = tmp.resolve("certs");
        otherCerts = tmp.resolve("other");
        Cli cli = new Cli(tmp.resolve("home"), null);
        Cli.Result made = cli.run("certs", "--dir", certs.toString(), "--ledger", "--client", "alice");
        assertEquals(0, made.exit(), made::toString);
        Cli.Result other = cli.run("certs", "--dir", otherCerts.toString(), "--client", "mallory");
        assertEquals(0, other.exit(), other::toString);
        vertx = Vertx.vertx();
        mutual = listen(ClientAuth.REQUIRED);
        serverOnly = listen(ClientAuth.NONE);
        // another certificate of the same CA, with the same host names, standing in for the ledger
        impostor = listen(ClientAuth.NONE, "client-alice");
    }

    private static HttpServer listen(ClientAuth clientAuth) throws Exception {
        return listen(clientAuth, "ledger");
    }

    private static HttpServer listen(ClientAuth clientAuth, String holder) throws Exception {
        HttpServerOptions o = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.resolve(holder + ".crt").toString())
                        .setKeyPath(certs.resolve(holder + ".key").toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(certs.resolve("ca.crt").toString()))
                .setClientAuth(clientAuth);
        return vertx.createHttpServer(o).requestHandler(req -> {
            served.incrementAndGet();
            req.response().putHeader("Content-Type", "application/json")
                    .end("{\"chain_id\":\"tls-chain\",\"address_prefix\":\"zen\"}");
        }).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String url(HttpServer s) {
        return "https://127.0.0.1:" + s.actualPort();
    }

    private static Cli cli(HttpServer s) {
        return new Cli(tmp.resolve("home"), url(s));
    }

    private static String f(String name) {
        return certs.resolve(name).toString();
    }

    @Test
    void reachesAMutualTlsLedgerWithTheCaAndAClientCertificate() {
        int before = served.get();
        Cli.Result r = cli(mutual).run("params", "--quiet", "--ca", f("ca.crt"), "--client-cert",
                f("client-alice.crt"), "--client-key", f("client-alice.key"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("tls-chain\n", r.out());
        assertEquals(before + 1, served.get());
    }

    @Test
    void takesTheFilesFromTheEnvironment() {
        Cli c = cli(mutual).env("KEYFED_CA", f("ca.crt")).env("KEYFED_CLIENT_CERT", f("client-alice.crt"))
                .env("KEYFED_CLIENT_KEY", f("client-alice.key"));
        Cli.Result r = c.run("params", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("tls-chain\n", r.out());
    }

    @Test
    void reachesAServerOnlyTlsLedgerWithTheCaAlone() {
        Cli.Result r = cli(serverOnly).run("params", "--quiet", "--ca", f("ca.crt"));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("tls-chain\n", r.out());
    }

    @Test
    void withoutTheCaTheLedgerIsNotTrustedAndNothingIsServed() {
        int before = served.get();
        Cli.Result r = cli(serverOnly).run("params");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("error: UNAVAILABLE: TLS with the ledger at " + url(serverOnly) + " failed: the server's "
                + "certificate is not trusted; give the CA that issued it with --ca FILE (or $KEYFED_CA)\n", r.err());
        assertEquals(before, served.get());
    }

    @Test
    void aCaThatDidNotIssueTheLedgersCertificateIsRefused() {
        Path otherCa = otherCerts.resolve("ca.crt");
        Cli.Result r = cli(serverOnly).run("params", "--ca", otherCa.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("the server's certificate is not issued by a CA in " + otherCa), r::toString);
    }

    @Test
    void withoutAClientCertificateAMutualTlsLedgerRefuses() {
        int before = served.get();
        Cli.Result r = cli(mutual).run("params", "--ca", f("ca.crt"));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: UNAVAILABLE: TLS with the ledger at " + url(mutual) + " failed: "),
                r::toString);
        assertTrue(r.err().contains("the server asks for a client certificate; give one with --client-cert FILE "
                + "--client-key FILE"), r::toString);
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        assertEquals(before, served.get());
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefused() {
        int before = served.get();
        Cli.Result r = cli(mutual).run("params", "--ca", f("ca.crt"), "--client-cert",
                otherCerts.resolve("client-mallory.crt").toString(), "--client-key",
                otherCerts.resolve("client-mallory.key").toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: UNAVAILABLE: TLS with the ledger at " + url(mutual) + " failed: the "
                + "server refused the client certificate " + otherCerts.resolve("client-mallory.crt")), r::toString);
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        assertEquals(before, served.get());
    }

    @Test
    void aPinnedCertificateIsTrustedWithoutTheCaAndAnotherOfTheSameCaIsNot() {
        Cli.Result pinned = cli(serverOnly).run("params", "--quiet", "--ca", f("ledger.crt"));
        assertEquals(0, pinned.exit(), pinned::toString);
        assertEquals("tls-chain\n", pinned.out());

        int before = served.get();
        Cli.Result withCa = cli(impostor).run("params", "--quiet", "--ca", f("ca.crt"));
        assertEquals(0, withCa.exit(), "whoever the CA certified passes a CA trust store: " + withCa);
        Cli.Result stoodIn = cli(impostor).run("params", "--ca", f("ledger.crt"));
        assertEquals(1, stoodIn.exit(), stoodIn::toString);
        assertTrue(stoodIn.err().contains("the server's certificate is not issued by a CA in " + f("ledger.crt")),
                stoodIn::toString);
        assertEquals(before + 1, served.get(), "only the CA-trusting call was served");
    }

    @Test
    void aMissingOrBadCaFileIsAClearError() throws Exception {
        Path missing = tmp.resolve("nope.crt");
        Cli.Result r = cli(serverOnly).run("params", "--ca", missing.toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("error: INVALID_ARGUMENT: CA file " + missing + " does not exist\n", r.err());

        Path notPem = tmp.resolve("not.pem");
        Files.writeString(notPem, "hello\n");
        Cli.Result bad = cli(serverOnly).run("params", "--ca", notPem.toString());
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("CA file " + notPem + " holds no PEM certificate"), bad::toString);

        Cli.Result aKey = cli(serverOnly).run("params", "--ca", f("ledger.key"));
        assertEquals(1, aKey.exit(), aKey::toString);
        assertTrue(aKey.err().contains("holds a PEM object that is not a certificate"), aKey::toString);
    }

    @Test
    void aClientCertificateNeedsItsOwnKey() {
        Cli.Result half = cli(mutual).run("params", "--ca", f("ca.crt"), "--client-cert", f("client-alice.crt"));
        assertEquals(1, half.exit(), half::toString);
        assertTrue(half.err().contains("give both --client-cert and --client-key"), half::toString);

        Cli.Result wrong = cli(mutual).run("params", "--ca", f("ca.crt"), "--client-cert", f("client-alice.crt"),
                "--client-key", f("ledger.key"));
        assertEquals(1, wrong.exit(), wrong::toString);
        assertTrue(wrong.err().contains("client key " + f("ledger.key") + " does not belong to the certificate"),
                wrong::toString);
    }

    @Test
    void plainHttpDoesNotReadTheTlsFiles() throws Exception {
        try (var ledger = new io.keyfed.cli.testing.FakeLedger()) {
            ledger.json("GET", "/v1/params", "{\"chain_id\":\"plain\"}");
            Cli.Result r = new Cli(tmp.resolve("home"), ledger.url()).run("params", "--quiet", "--ca",
                    tmp.resolve("nope.crt").toString());
            assertEquals(0, r.exit(), r::toString);
            assertEquals("plain\n", r.out());
        }
        assertFalse(Files.exists(tmp.resolve("nope.crt")));
    }
}
