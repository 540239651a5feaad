package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.cli.Main;
import io.keyfed.cli.command.CommandRegistry;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;

/**
 * A sign request nobody answers: with the real federation (ledger, three parties, three connectors) an ed25519
 * key is made, then the connectors are stopped, so no party hears of the sign requests made through the client;
 * each ends REJECTED "deadline exceeded" at its deadline, its fee refunded, and supply is conserved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class SignRequestTimeoutIT {
    private static final long KEY_FEE = 100;
    private static final long SIG_FEE = 7;
    private static final long GENESIS_OWNER = 10_000;
    private static final long GENESIS_ADMIN = 5_000;

    private Federation fed;
    private Client client;
    private Path home;
    private SigningKey owner;
    private final SigningKey admin = Client.newKey("admin");
    private String keyring;
    private long keyId;

    @BeforeAll
    void startFederationAndMakeAKey() throws Exception {
        fed = new Federation("sign-timeout");
        home = Files.createTempDirectory(Path.of("target"), "sign-timeout-home").toAbsolutePath();
        owner = new KeyStore(home).create("owner", new SecureRandom());
        Path genesis = fed.writeGenesis(Map.of(owner, GENESIS_OWNER, admin, GENESIS_ADMIN));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        keyring = client.newKeyring(admin, 2, KEY_FEE, SIG_FEE, "e2e sign timeout", fed.parties);
        fed.startConnectors(keyring);
        String workspace = client.newWorkspace(owner);
        keyId = client.requestKey(owner, workspace, keyring, "ed25519", 120);
        JsonNode key = client.awaitFinal(keyId, 180);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", key.path("status").asText(), key.toString());
        // The parties sign (SigningFlowIT); with the connectors stopped no party hears of the sign requests below.
        for (ManagedProcess c : fed.connectors) {
            c.stop();
        }
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The client, in this JVM, with the owner's key home and the run's CA. */
    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("KEYFED_HOME", home.toString(), "KEYFED_LEDGER", fed.ledgerUrl(),
                "KEYFED_CA", fed.caFile().toString());
        int exit = new Main(CommandRegistry.standard()).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private long ownerBalance() throws Exception {
        return client.balance(owner.address("zen"));
    }

    private long escrow() throws Exception {
        return client.balance(client.params().path("escrow_address").asText());
    }

    @Test
    void aSignRequestNobodyAnswersEndsRejectedAtItsDeadlineAndIsRefunded() throws Exception {
        long before = ownerBalance();
        long escrowBefore = escrow();
        long keyringBefore = client.balance(keyring);

        // Without --wait: the fee (sig_req_fee x 2 messages) is escrowed at once.
        Run first = cli("sign", "--from", "owner", "--key", Long.toString(keyId), "--message", "00ff",
                "--message", "6869", "--timeout", "3", "--quiet");
        assertEquals(0, first.exit(), first::toString);
        long firstId = Long.parseLong(first.out().strip());
        assertEquals(before - 2 * SIG_FEE, ownerBalance());
        assertEquals(escrowBefore + 2 * SIG_FEE, escrow());

        // With --wait: progress until final, then the reason and the refund, exit status 1.
        Run second = cli("sign", "--from", "owner", "--key", Long.toString(keyId), "--message", "01", "--timeout", "4",
                "--wait", "--wait-timeout", "120");
        assertEquals(1, second.exit(), second::toString);
        assertTrue(second.out().contains("status: SIGN_REQUEST_STATUS_PENDING (0 of 2 answers)"), second::toString);
        assertTrue(second.out().contains("status: SIGN_REQUEST_STATUS_REJECTED (0 of 2 answers)"), second::toString);
        assertTrue(second.out().contains("reject_reason: deadline exceeded\nrefunded: " + SIG_FEE + "\n"),
                second::toString);
        long secondId = Long.parseLong(second.out().lines().filter(l -> l.startsWith("sign_request_id:"))
                .findFirst().orElseThrow().replaceAll("\\D", ""));
        assertTrue(second.err().contains("error: REJECTED: sign request " + secondId
                + " was rejected: deadline exceeded; fee " + SIG_FEE + " refunded"), second::toString);

        // The first request is final too (its deadline came first; the sweep may still be on its way), and refunded.
        long until = System.nanoTime() + 60_000_000_000L;
        Run status = cli("sign", "show", Long.toString(firstId), "--quiet");
        while (!status.out().contains("REJECTED") && System.nanoTime() < until) {
            Thread.sleep(200);
            status = cli("sign", "show", Long.toString(firstId), "--quiet");
        }
        Run shown = cli("sign", "show", Long.toString(firstId), "--json");
        assertEquals(0, shown.exit(), shown::toString);
        JsonNode req = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown.out());
        assertEquals("SIGN_REQUEST_STATUS_REJECTED", req.path("status").asText(), req.toString());
        assertEquals("deadline exceeded", req.path("reject_reason").asText());
        assertEquals(List.of("00ff", "6869"), List.of(req.path("messages").get(0).asText(),
                req.path("messages").get(1).asText()));
        assertEquals(0, req.path("signatures").size());
        assertEquals(Long.toString(2 * SIG_FEE), req.path("fee").asText());
        assertEquals(before, ownerBalance());
        assertEquals(escrowBefore, escrow());
        assertEquals(keyringBefore, client.balance(keyring));

        Run listed = cli("sign", "list", "--key", Long.toString(keyId), "--status", "rejected", "--quiet");
        assertEquals(0, listed.exit(), listed::toString);
        assertEquals(firstId + "\n" + secondId + "\n", listed.out());

        JsonNode supply = client.ledger().get("/v1/bank/supply");
        long genesisSupply = Long.parseLong(supply.path("genesis_supply").asText());
        assertEquals(GENESIS_OWNER + GENESIS_ADMIN, genesisSupply);
        assertEquals(genesisSupply, Long.parseLong(supply.path("total_balances").asText()));
        assertEquals(genesisSupply, ownerBalance() + client.balance(admin.address("zen")) + client.balance(keyring)
                + escrow());
    }
}
