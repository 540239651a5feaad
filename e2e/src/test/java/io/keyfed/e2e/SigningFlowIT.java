package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.e2e.cheat.AgentJar;
import io.keyfed.e2e.cheat.CorruptSharesAgent;

/**
 * FROST signing with every service in its own process (ledger, three parties with SoftHSM2 tokens, three
 * connectors; keyring 2-of-3): an ed25519 key and a taproot key sign, and every signature verifies with
 * {@code @noble/curves} (tools/verify-node), which shares no code with KeyFed; the fees are conserved. Then
 * the crash faults: one party stopped (still signs), two stopped (REJECTED at the deadline, refunded), and the
 * attempt-0 coordinator frozen with SIGSTOP (a later attempt signs); and a compromised connector that hands its
 * party messages the ledger does not hold (refused, nothing signed); and a party that sends bad signature shares (a
 * test Java agent in its process): the others name it, and a later attempt signs without it. One federation serves
 * all, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SigningFlowIT {
    private static final long KEY_FEE = 100;
    private static final long SIG_FEE = 7;
    private static final long GENESIS_OWNER = 100_000;
    private static final long GENESIS_ADMIN = 5_000;
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKey owner = Client.newKey("owner");
    private final SigningKey admin = Client.newKey("admin");
    private final SecureRandom random = new SecureRandom();
    private NobleVerifier noble;
    private Federation fed;
    private Client client;
    private String keyring;
    private long edKey;
    private long trKey;
    /** The highest sign request id this test created (ids are sequential from 1). */
    private long lastSignId;

    @BeforeAll
    void startFederationAndMakeTwoKeys() throws Exception {
        fed = new Federation("signing");
        noble = NobleVerifier.install(fed.root);
        Path genesis = fed.writeGenesis(Map.of(owner, GENESIS_OWNER, admin, GENESIS_ADMIN));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        MsgNewKeyring.Builder m = MsgNewKeyring.newBuilder().setDescription("e2e signing").setPartyThreshold(2)
                .setKeyReqFee(Long.toString(KEY_FEE)).setSigReqFee(Long.toString(SIG_FEE));
        for (Federation.Party p : fed.parties) {
            m.addParties(KeyringParty.newBuilder().setAddress(p.address)
                    .setPublicKey(ByteString.copyFrom(HEX.parseHex(p.publicKeyHex))));
        }
        keyring = client.tx(admin, b -> b.setNewKeyring(m)).path("created_address").asText();
        fed.startConnectors(keyring);
        String workspace = client.newWorkspace(owner);
        edKey = client.requestKey(owner, workspace, keyring, "ed25519", 120);
        trKey = client.requestKey(owner, workspace, keyring, "taproot", 120);
        for (long id : List.of(edKey, trKey)) {
            JsonNode r = client.awaitFinal(id, 180);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        }
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    // ------------------------------------------------------------------------------------------- the flow

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ed25519AndTaprootSignaturesVerifyWithNobleAndTheFeeGoesToTheKeyring() throws Exception {
        Balances before = balances();
        List<byte[]> edMessages = List.of("keyfed e2e: an ed25519 message".getBytes(StandardCharsets.UTF_8),
                bytes(1232));
        List<byte[]> trMessages = List.of(sha256("keyfed e2e: a taproot digest"), bytes(32));
        long ed = sign(edKey, edMessages, 120);
        long tr = sign(trKey, trMessages, 120);
        long fee = SIG_FEE * (edMessages.size() + trMessages.size());
        Balances charged = balances();
        assertEquals(before.owner - fee, charged.owner, "the fee is taken at once");
        // Held in escrow, or already paid to the keyring: the first request may be signed by now.
        assertEquals(before.escrow + before.keyring + fee, charged.escrow + charged.keyring, "and held in escrow");

        JsonNode edR = client.awaitSignFinal(ed, 150);
        JsonNode trR = client.awaitSignFinal(tr, 150);
        SignedRequests.assertVerifiesWithNoble(noble, edR);
        SignedRequests.assertVerifiesWithNoble(noble, trR);
        assertMessages(edMessages, edR);
        assertMessages(trMessages, trR);
        assertEquals(Long.toString(SIG_FEE * 2), edR.path("fee").asText(), edR.toString());
        // Ed25519 under the key itself; BIP-340 under x(Q), Q the BIP-86 output key of the DKG's key P.
        JsonNode edK = client.key(edKey).path("key");
        JsonNode trK = client.key(trKey).path("key");
        assertEquals(edK.path("public_key").asText(), edR.path("verifying_key").asText(), edR.toString());
        assertEquals(trK.path("verifying_key").asText(), trR.path("verifying_key").asText(), trR.toString());
        assertEquals(HEX.formatHex(Taproot.outputKey(HEX.parseHex(trK.path("public_key").asText()))),
                trR.path("verifying_key").asText());

        Balances after = balances();
        assertEquals(before.owner - fee, after.owner);
        assertEquals(before.keyring + fee, after.keyring, "the fees went to the keyring");
        assertEquals(before.escrow, after.escrow);
        assertSupplyConserved();
    }

    // ------------------------------------------------------------------------------------------- crash faults

    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withOnePartyStoppedTwoOfThreeStillSign() throws Exception {
        Federation.Party down = fed.parties.get(2);
        down.process.stop();
        try {
            assertDown(down);
            Balances before = balances();
            long ed = sign(edKey, List.of("keyfed e2e: one party down".getBytes(StandardCharsets.UTF_8)), 90);
            long tr = sign(trKey, List.of(sha256("keyfed e2e: one party down")), 90);
            for (long id : List.of(ed, tr)) {
                JsonNode r = client.awaitSignFinal(id, 120);
                SignedRequests.assertVerifiesWithNoble(noble, r);
                assertFalse(SignedRequests.answered(r).contains(down.address), "the stopped party answered: " + r);
            }
            assertDown(down);
            assertEquals(before.keyring + 2 * SIG_FEE, balances().keyring);
            assertSupplyConserved();
        } finally {
            fed.restartParty(down);
        }
    }

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withTwoPartiesStoppedTheRequestIsRejectedAtItsDeadlineAndRefunded() throws Exception {
        List<Federation.Party> down = fed.parties.subList(1, 3);
        for (Federation.Party p : down) {
            p.process.stop();
        }
        try {
            for (Federation.Party p : down) {
                assertDown(p);
            }
            Balances before = balances();
            long id = sign(edKey, List.of("keyfed e2e: two parties down".getBytes(StandardCharsets.UTF_8)), 12);
            assertEquals(before.owner - SIG_FEE, balances().owner);
            JsonNode r = client.awaitSignFinal(id, 90);
            assertEquals("SIGN_REQUEST_STATUS_REJECTED", r.path("status").asText(), r.toString());
            assertEquals("deadline exceeded", r.path("reject_reason").asText(), r.toString());
            assertEquals(0, r.path("signatures").size(), r.toString());
            for (Federation.Party p : down) {
                assertDown(p);
                assertFalse(SignedRequests.answered(r).contains(p.address), "a stopped party answered: " + r);
            }
            assertEquals(before, balances(), "the fee is refunded, the keyring gets nothing");
            assertSupplyConserved();
        } finally {
            for (Federation.Party p : down) {
                fed.restartParty(p);
            }
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSilentCoordinatorIsPassedOverAndALaterAttemptSigns() throws Exception {
        List<byte[]> messages = List.of("keyfed e2e: a silent coordinator".getBytes(StandardCharsets.UTF_8));
        JsonNode key = client.request(edKey);
        List<String> snapshot = SignedRequests.snapshot(key);
        long next = lastSignId + 1;
        byte[] sid = SignSessionId.derive(Federation.CHAIN_ID, next, edKey, SignatureScheme.SIGNATURE_SCHEME_ED25519,
                SignMessages.hash(messages), snapshot, key.path("party_threshold").asInt());
        Federation.Party frozen = byAddress(snapshot.get(SignSessionId.coordinator(sid, 0, snapshot.size())));
        assertNotEquals(frozen.address, snapshot.get(SignSessionId.coordinator(sid, 1, snapshot.size())));
        long pid = frozen.process.pid();
        Signals.send("STOP", pid);
        JsonNode r;
        try {
            assertEquals('T', Signals.awaitState(pid, 'T'), "party " + frozen.index + " is not stopped");
            long id = sign(edKey, messages, 90);
            assertEquals(next, id, "the request took the id its session id was derived for");
            r = client.awaitSignFinal(id, 120);
            assertEquals('T', Signals.awaitState(pid, 'T'), "the coordinator woke before the request was final");
            assertArrayEquals(sid, SignedRequests.sessionId(r));
            SignedRequests.assertVerifiesWithNoble(noble, r);
            assertFalse(SignedRequests.answered(r).contains(frozen.address), "the frozen party answered: " + r);
        } finally {
            Signals.send("CONT", pid);
        }
        // The honest parties say which attempt signed: not attempt 0, whose coordinator was frozen; and that attempt 0
        // failed for want of the frozen coordinator's package. (The lines are written as the session ends, around
        // the answer: wait for them, within bounds.)
        long id = r.path("id").asLong();
        List<Integer> attempts = new ArrayList<>();
        for (int i = 0; i < 150 && attempts.isEmpty(); i++) {
            Thread.sleep(i == 0 ? 0 : 200);
            for (Federation.Party p : fed.parties) {
                if (p != frozen) {
                    attempts.addAll(PartyLogs.signedInAttempts(p.process.log(), id));
                }
            }
        }
        assertFalse(attempts.isEmpty(), "no honest party logged 'signed in attempt N' for sign request " + id);
        assertTrue(attempts.stream().allMatch(a -> a >= 1), "signed in attempts " + attempts);
        List<String> failed = new ArrayList<>();
        for (Federation.Party p : fed.parties) {
            if (p != frozen) {
                PartyLogs.lines(p.process.log(), id).stream().filter(l -> l.contains("attempt 0 failed")
                        && l.contains("coordinator " + frozen.address)).forEach(failed::add);
            }
        }
        assertFalse(failed.isEmpty(), "no honest party logged that attempt 0's coordinator " + frozen.address
                + " failed");
    }

    // ------------------------------------------------------------------------------------------- a bad connector

    @Test
    @Order(5)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aConnectorHandingItsPartyMessagesTheLedgerDoesNotHoldIsRefusedAndNothingIsSigned() throws Exception {
        Federation.Party target = fed.parties.get(0);
        ForgedSigningCalls forged = new ForgedSigningCalls(fed, target);
        try {
            // A request the ledger does not hold at all.
            long unknown = lastSignId + 1000;
            Status madeUp = forged.sign(forged.madeUp(unknown, lastSignId, List.of(bytes(40))));
            assertTrue(ForgedSigningCalls.REFUSALS.contains(madeUp.getCode()), madeUp.toString());
            assertTrue(madeUp.getDescription() != null && madeUp.getDescription().contains(Long.toString(unknown)),
                    "the refusal names the request: " + madeUp);
            LedgerClientException none = assertThrows(LedgerClientException.class, () -> client.signRequest(unknown));
            assertEquals(404, none.httpStatus());

            // A real request, pending (no connector forwards it), handed to the party with other messages.
            List<byte[]> messages = List.of("keyfed e2e: what the owner asked".getBytes(StandardCharsets.UTF_8));
            for (ManagedProcess c : fed.connectors) {
                c.stop();
            }
            long id;
            try {
                id = sign(edKey, messages, 90);
                SignRequest real = forged.ledgerCopy(id);
                assertArrayEquals(messages.get(0), real.getMessages(0).toByteArray());
                SignRequest altered = real.toBuilder()
                        .setMessages(0, ByteString.copyFromUtf8("keyfed e2e: what the connector wants")).build();
                Status refused = forged.sign(altered);
                assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode(), refused.toString());
                assertTrue(refused.getDescription() != null
                        && refused.getDescription().toLowerCase(Locale.ROOT).contains("message"),
                        "the refusal names the difference: " + refused);
                // One message more than the ledger's is refused too.
                Status extra = forged.sign(real.toBuilder().addMessages(ByteString.copyFrom(bytes(32))).build());
                assertEquals(Status.Code.FAILED_PRECONDITION, extra.getCode(), extra.toString());
                JsonNode pending = client.signRequest(id);
                assertEquals("SIGN_REQUEST_STATUS_PENDING", pending.path("status").asText(), pending.toString());
                assertEquals(0, pending.path("keyring_party_sigs").size(), pending.toString());
            } finally {
                for (ManagedProcess c : fed.connectors) {
                    fed.restartConnector(c);
                }
            }
            // The connectors forward the ledger's own request: it signs what the owner asked, and every answer the
            // ledger holds (the target's included, if it answered) is over those messages.
            JsonNode r = client.awaitSignFinal(id, 120);
            assertMessages(messages, r);
            SignedRequests.assertVerifiesWithNoble(noble, r);
            assertEquals(0, r.path("faults").size(), r.toString());
            for (JsonNode answer : r.path("keyring_party_sigs")) {
                assertEquals("SIGN_REQUEST_STATUS_FULFILLED", answer.path("status").asText(), answer.toString());
                SignedRequests.assertVerifiesWithNoble(noble, ((ObjectNode) r.deepCopy()).set("signatures", answer.path("signatures")));
            }
        } finally {
            forged.close();
        }
    }

    // ------------------------------------------------------------------------------------------- a cheating party

    @Test
    @Order(6)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aPartySendingABadShareIsNamedByTheOthersAndALaterAttemptSignsWithoutIt() throws Exception {
        List<byte[]> messages = List.of("keyfed e2e: a cheating party".getBytes(StandardCharsets.UTF_8));
        JsonNode key = client.request(edKey);
        List<String> snapshot = SignedRequests.snapshot(key);
        long next = lastSignId + 1;
        byte[] sid = SignSessionId.derive(Federation.CHAIN_ID, next, edKey, SignatureScheme.SIGNATURE_SCHEME_ED25519,
                SignMessages.hash(messages), snapshot, key.path("party_threshold").asInt());
        // The coordinator of attempt 0 is in its signer set: it is the one that cheats.
        Federation.Party cheat = byAddress(snapshot.get(SignSessionId.coordinator(sid, 0, snapshot.size())));
        List<Federation.Party> honest = fed.parties.stream().filter(p -> p != cheat).toList();
        String agent = AgentJar.build(fed.run.resolve("cheat-agent.jar"));
        cheat.process.stop();
        JsonNode r;
        try {
            fed.restartPartyWith(cheat, agent);
            assertTrue(Files.readString(cheat.process.log()).contains(CorruptSharesAgent.TAG + "installed"),
                    "the agent did not load:\n" + cheat.process.tail(40));
            // A key first (a DKG needs every party, and leaves the restarted cheat with its peers' identities): else
            // the cheat's signing session may end, with the signature aggregated from its own true share, before it
            // has resolved the party outside attempt 0's signer set, which then never sees the bad share.
            long warm = client.requestKey(owner, client.newWorkspace(owner), keyring, "ed25519", 120);
            JsonNode k = client.awaitFinal(warm, 150);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", k.path("status").asText(), k.toString());
            long id = sign(edKey, messages, 90);
            assertEquals(next, id, "the request took the id its session id was derived for");
            r = client.awaitSignFinal(id, 120);
            String cheatLog = Files.readString(cheat.process.log());
            for (Federation.Party p : honest) {
                assertTrue(cheatLog.contains(CorruptSharesAgent.TAG + "corrupted a signature share to " + p.address),
                        "the cheat sent party " + p.index + " no bad share:\n" + cheat.process.tail(40));
            }
        } finally {
            cheat.process.stop();
            fed.restartPartyWith(cheat); // without the agent
        }
        assertArrayEquals(sid, SignedRequests.sessionId(r));
        SignedRequests.assertVerifiesWithNoble(noble, r);
        assertMessages(messages, r);

        // Each honest party names the cheat, in its log and in its admin view, and no one else; and it signed in a
        // later attempt.
        long id = r.path("id").asLong();
        String named = "party " + cheat.address + " failed check invalid_share";
        for (Federation.Party p : honest) {
            List<Integer> attempts = PartyLogs.awaitSignedInAttempts(p.process.log(), id);
            assertFalse(attempts.isEmpty(), "party " + p.index + " logged no 'signed in attempt N' for " + id);
            assertTrue(attempts.stream().allMatch(a -> a >= 1), "party " + p.index + " signed in attempts " + attempts);
            assertTrue(PartyLogs.lines(p.process.log(), id).stream().anyMatch(l -> l.contains(named)),
                    "party " + p.index + " does not log '" + named + "': " + PartyLogs.lines(p.process.log(), id));
            List<JsonNode> faults = new ArrayList<>();
            for (JsonNode f : adminJson(p, "/admin/signing/faults").path("faults")) {
                if (f.path("sign_request_id").asText().equals(Long.toString(id))) {
                    faults.add(f);
                }
            }
            assertTrue(faults.stream().anyMatch(f -> f.path("culprit").asText().equals(cheat.address)
                    && f.path("check").asText().equals("invalid_share")), "party " + p.index + ": " + faults);
            assertTrue(faults.stream().allMatch(f -> f.path("culprit").asText().equals(cheat.address)),
                    "party " + p.index + " names someone else: " + faults);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** Submits a sign request; remembers its id. */
    private long sign(long key, List<byte[]> messages, long timeoutSeconds) throws Exception {
        long id = client.requestSignatures(owner, key, messages, timeoutSeconds);
        lastSignId = Math.max(lastSignId, id);
        return id;
    }

    /** GET {@code path} on the party's management port with its admin token; 200 expected. */
    private JsonNode adminJson(Federation.Party p, String path) throws Exception {
        HttpResponse<String> res = fed.admin(p, "GET", path, p.adminToken());
        assertEquals(200, res.statusCode(), path + " on party " + p.index + ": " + res.body());
        return new ObjectMapper().readTree(res.body());
    }

    private Federation.Party byAddress(String address) {
        return fed.parties.stream().filter(p -> p.address.equals(address)).findFirst().orElseThrow();
    }

    /** The party's process is gone and nothing listens on its gRPC and management ports. */
    private static void assertDown(Federation.Party p) {
        assertFalse(p.process.isAlive(), "party " + p.index + " is running");
        for (int port : List.of(p.port, p.managementPort)) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                throw new AssertionError("party " + p.index + ": port " + port + " accepts connections");
            } catch (IOException expected) {
                // refused: nothing listens
            }
        }
    }

    private record Balances(long owner, long keyring, long escrow) {
    }

    private Balances balances() throws Exception {
        return new Balances(client.balance(owner.address("zen")), client.balance(keyring),
                client.balance(client.params().path("escrow_address").asText()));
    }

    /** total_balances = genesis_supply = owner + admin + keyring + escrow: no fee made or lost. */
    private void assertSupplyConserved() throws Exception {
        JsonNode supply = client.ledger().get("/v1/bank/supply");
        long genesis = Long.parseLong(supply.path("genesis_supply").asText());
        assertEquals(GENESIS_OWNER + GENESIS_ADMIN, genesis);
        assertEquals(genesis, Long.parseLong(supply.path("total_balances").asText()), supply.toString());
        Balances b = balances();
        assertEquals(genesis, b.owner + client.balance(admin.address("zen")) + b.keyring + b.escrow,
                "owner + admin + keyring + escrow");
    }

    private static void assertMessages(List<byte[]> sent, JsonNode r) {
        List<byte[]> got = SignedRequests.messages(r);
        assertEquals(sent.size(), got.size(), r.toString());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i), "message " + i + " of " + r);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
