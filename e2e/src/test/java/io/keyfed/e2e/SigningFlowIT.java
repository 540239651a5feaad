package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.ledger.v1.SignatureScheme;
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
    private static final long SIG_FEE = SigningFederation.SIG_FEE;
    private static final long GENESIS_OWNER = 100_000;
    private static final long GENESIS_ADMIN = 5_000;
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKey owner = Client.newKey("owner");
    private final SigningKey admin = Client.newKey("admin");
    private final SecureRandom random = new SecureRandom();
    private NobleVerifier noble;
    private Federation fed;
    private SigningFederation signing;
    private Client client;
    private String keyring;
    private long edKey;
    private long trKey;

    @BeforeAll
    void startFederationAndMakeTwoKeys() throws Exception {
        fed = new Federation("signing");
        noble = NobleVerifier.install(fed.root);
        signing = SigningFederation.start(fed, owner, GENESIS_OWNER, admin, GENESIS_ADMIN, "e2e signing", "ed25519",
                "taproot");
        client = signing.client;
        keyring = signing.keyring;
        edKey = signing.keys.get(0);
        trKey = signing.keys.get(1);
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
        SignedRequests.assertMessages(edMessages, edR);
        SignedRequests.assertMessages(trMessages, trR);
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
        SigningScenarios.withPartiesStopped(signing, List.of(down), () -> {
            Balances before = balances();
            long ed = sign(edKey, List.of("keyfed e2e: one party down".getBytes(StandardCharsets.UTF_8)), 90);
            long tr = sign(trKey, List.of(sha256("keyfed e2e: one party down")), 90);
            for (long id : List.of(ed, tr)) {
                JsonNode r = client.awaitSignFinal(id, 120);
                SignedRequests.assertVerifiesWithNoble(noble, r);
                assertFalse(SignedRequests.answered(r).contains(down.address), "the stopped party answered: " + r);
            }
            assertEquals(before.keyring + 2 * SIG_FEE, balances().keyring);
            assertSupplyConserved();
        });
    }

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withTwoPartiesStoppedTheRequestIsRejectedAtItsDeadlineAndRefunded() throws Exception {
        List<Federation.Party> down = fed.parties.subList(1, 3);
        SigningScenarios.withPartiesStopped(signing, down, () -> {
            Balances before = balances();
            long id = sign(edKey, List.of("keyfed e2e: two parties down".getBytes(StandardCharsets.UTF_8)), 12);
            assertEquals(before.owner - SIG_FEE, balances().owner);
            JsonNode r = client.awaitSignFinal(id, 90);
            assertEquals("SIGN_REQUEST_STATUS_REJECTED", r.path("status").asText(), r.toString());
            assertEquals("deadline exceeded", r.path("reject_reason").asText(), r.toString());
            assertEquals(0, r.path("signatures").size(), r.toString());
            for (Federation.Party p : down) {
                assertFalse(SignedRequests.answered(r).contains(p.address), "a stopped party answered: " + r);
            }
            assertEquals(before, balances(), "the fee is refunded, the keyring gets nothing");
            assertSupplyConserved();
        });
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSilentCoordinatorIsPassedOverAndALaterAttemptSigns() throws Exception {
        List<byte[]> messages = List.of("keyfed e2e: a silent coordinator".getBytes(StandardCharsets.UTF_8));
        SigningScenarios.Frozen f = SigningScenarios.signWithCoordinatorFrozen(signing, edKey,
                SignatureScheme.SIGNATURE_SCHEME_ED25519, messages);
        SignedRequests.assertVerifiesWithNoble(noble, f.request());
        SignedRequests.assertMessages(messages, f.request());
        // The honest parties say which attempt signed: not attempt 0, whose coordinator was frozen; and that attempt 0
        // failed for want of the frozen coordinator's package.
        SigningScenarios.assertALaterAttemptSignedAndAttemptZeroFailedFor(signing, f, "sent no package");
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
            SigningScenarios.assertAMadeUpRequestIsRefused(signing, forged, List.of(bytes(40)));

            // A real request, pending (no connector forwards it), handed to the party with other messages.
            List<byte[]> messages = List.of("keyfed e2e: what the owner asked".getBytes(StandardCharsets.UTF_8));
            JsonNode r = SigningScenarios.signedAsAskedAfterForgeries(signing, forged, edKey, messages, (real, id) -> {
                SigningScenarios.assertRefusedNamingTheMessages(forged.sign(real.toBuilder()
                        .setMessages(0, ByteString.copyFromUtf8("keyfed e2e: what the connector wants")).build()));
                // One message more than the ledger's is refused too.
                Status extra = forged.sign(real.toBuilder().addMessages(ByteString.copyFrom(bytes(32))).build());
                assertEquals(Status.Code.FAILED_PRECONDITION, extra.getCode(), extra.toString());
            });
            // The connectors forwarded the ledger's own request: it signs what the owner asked, and every answer the
            // ledger holds (the target's included, if it answered) is over those messages.
            SignedRequests.assertVerifiesWithNoble(noble, r);
            for (JsonNode answer : r.path("keyring_party_sigs")) {
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
        SigningFederation.Prediction at = signing.predictNext(edKey, SignatureScheme.SIGNATURE_SCHEME_ED25519, messages);
        // The coordinator of attempt 0 is in its signer set: it is the one that cheats.
        Federation.Party cheat = at.coordinator(0);
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
            assertEquals(at.id, id, "the request took the id its session id was derived for");
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
        assertArrayEquals(at.sid, SignedRequests.sessionId(r));
        SignedRequests.assertVerifiesWithNoble(noble, r);
        SignedRequests.assertMessages(messages, r);

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
            List<JsonNode> faults = signing.signingFaults(p, id);
            assertTrue(faults.stream().anyMatch(f -> f.path("culprit").asText().equals(cheat.address)
                    && f.path("check").asText().equals("invalid_share")), "party " + p.index + ": " + faults);
            assertTrue(faults.stream().allMatch(f -> f.path("culprit").asText().equals(cheat.address)),
                    "party " + p.index + " names someone else: " + faults);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private long sign(long key, List<byte[]> messages, long timeoutSeconds) throws Exception {
        return signing.sign(key, messages, timeoutSeconds);
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

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
