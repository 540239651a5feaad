package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
import com.google.protobuf.ByteString;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.api.wallet.Eip55;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.e2e.cheat.AgentJar;
import io.keyfed.e2e.cheat.CorruptSharesAgent;

/**
 * Threshold ECDSA with every service in its own process (ledger, three parties with SoftHSM2 tokens, three
 * connectors; keyring 2-of-3): an ecdsa key and a bitcoin key each sign a random 32-byte digest, and each
 * signature, with the recovery id the ledger computed, recovers to the key's EVM address and public key according
 * to {@code ethers} (tools/verify-node/recover.js, {@link EthersVerifier}), which shares no code with KeyFed; a
 * copy with one bit of s flipped must not. Then the faults: one party stopped (2-of-3 still sign); the attempt-0
 * coordinator frozen with SIGSTOP (a later attempt signs); a compromised connector that hands its party a digest the
 * ledger does not hold (refused, nothing signed); and a party that corrupts its multiplication messages (a test Java
 * agent in its process): an honest signer names it and discards their pairwise setup, and a later attempt signs
 * without it. The ledger must accept the ecdsa scheme ({@code keyfed.ledger.signing.schemes}, default
 * {@code ed25519,bip340,ecdsa}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcdsaSigningFlowIT {
    private static final long SIG_FEE = SigningFederation.SIG_FEE;
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKey owner = Client.newKey("owner");
    private final SigningKey admin = Client.newKey("admin");
    private final SecureRandom random = new SecureRandom();
    private EthersVerifier ethers;
    private Federation fed;
    private SigningFederation signing;
    private Client client;
    private String keyring;
    private long ecdsaKey;
    private long bitcoinKey;

    @BeforeAll
    void startFederationAndMakeTwoKeys() throws Exception {
        fed = new Federation("ecdsa-signing");
        ethers = EthersVerifier.install(fed.root);
        signing = SigningFederation.start(fed, owner, 100_000L, admin, 5_000L, "e2e ecdsa signing", "ecdsa", "bitcoin");
        client = signing.client;
        keyring = signing.keyring;
        ecdsaKey = signing.keys.get(0);
        bitcoinKey = signing.keys.get(1);
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ecdsaAndBitcoinSignaturesRecoverToTheKeysEvmAddressWithEthers() throws Exception {
        long keyringBefore = client.balance(keyring);
        long ec = sign(ecdsaKey, List.of(digest()), 120);
        long btc = sign(bitcoinKey, List.of(digest()), 120);
        assertRecoversWithEthers(ecdsaKey, client.awaitSignFinal(ec, 150));
        assertRecoversWithEthers(bitcoinKey, client.awaitSignFinal(btc, 150));
        assertEquals(keyringBefore + 2 * SIG_FEE, client.balance(keyring), "the fees went to the keyring");
    }

    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withOnePartyStoppedTwoOfThreeStillSign() throws Exception {
        Federation.Party down = fed.parties.get(2);
        SigningScenarios.withPartiesStopped(signing, List.of(down), () -> {
            long ec = sign(ecdsaKey, List.of(digest()), 90);
            long btc = sign(bitcoinKey, List.of(digest()), 90);
            for (long[] kr : new long[][] {{ecdsaKey, ec}, {bitcoinKey, btc}}) {
                JsonNode r = client.awaitSignFinal(kr[1], 120);
                assertRecoversWithEthers(kr[0], r);
                assertFalse(SignedRequests.answered(r).contains(down.address), "the stopped party answered: " + r);
            }
        });
    }

    // ------------------------------------------------------------------------------------------- faults

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSilentCoordinatorIsPassedOverAndALaterAttemptSigns() throws Exception {
        List<byte[]> messages = List.of(digest());
        SigningScenarios.Frozen f = SigningScenarios.signWithCoordinatorFrozen(signing, ecdsaKey,
                SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1, messages);
        assertRecoversWithEthers(ecdsaKey, f.request());
        SignedRequests.assertMessages(messages, f.request());
        // The honest parties signed in a later attempt, and attempt 0 failed for want of the frozen coordinator's plan.
        SigningScenarios.assertALaterAttemptSignedAndAttemptZeroFailedFor(signing, f, "sent no plan");
    }

    @Test
    @Order(4)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aConnectorHandingItsPartyADigestTheLedgerDoesNotHoldIsRefusedAndNothingIsSigned() throws Exception {
        Federation.Party target = fed.parties.get(0);
        try (ForgedSigningCalls forged = new ForgedSigningCalls(fed, target)) {
            // A request the ledger does not hold at all.
            SigningScenarios.assertAMadeUpRequestIsRefused(signing, forged, List.of(digest()));

            // A real request, pending (no connector forwards it), handed to the party with another digest.
            List<byte[]> messages = List.of(digest());
            JsonNode r = SigningScenarios.signedAsAskedAfterForgeries(signing, forged, ecdsaKey, messages, (real, id) -> {
                SigningScenarios.assertRefusedNamingTheMessages(
                        forged.sign(real.toBuilder().setMessages(0, ByteString.copyFrom(digest())).build()));
                assertTrue(PartyLogs.signedInAttempts(target.process.log(), id).isEmpty(),
                        "party " + target.index + " signed the forged request");
            });
            // The connectors forwarded the ledger's own request: it signs the owner's digest, and every answer the
            // ledger holds (the target's included, if it answered) carries that signature.
            assertRecoversWithEthers(ecdsaKey, r);
            for (JsonNode answer : r.path("keyring_party_sigs")) {
                assertEquals(r.path("signatures"), answer.path("signatures"), answer.toString());
            }
        }
    }

    @Test
    @Order(5)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aPartyCorruptingItsMultiplicationIsNamedItsSetupDiscardedAndALaterAttemptSigns() throws Exception {
        List<byte[]> messages = List.of(digest());
        SigningFederation.Prediction at = signing.predictNext(ecdsaKey, SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1,
                messages);
        // The coordinator of attempt 0 is in its signer set: it is the one that cheats.
        Federation.Party cheat = at.coordinator(0);
        List<Federation.Party> honest = fed.parties.stream().filter(p -> p != cheat).toList();
        String agent = AgentJar.build(fed.run.resolve("cheat-agent.jar")) + "="
                + CorruptSharesAgent.DKLS_MULTIPLICATION;
        cheat.process.stop();
        JsonNode r;
        String cheatLog;
        try {
            fed.restartPartyWith(cheat, agent);
            assertTrue(Files.readString(cheat.process.log()).contains(CorruptSharesAgent.TAG + "installed ("
                    + CorruptSharesAgent.DKLS_MULTIPLICATION + ")"), "the agent did not load:\n" + cheat.process.tail(40));
            long id = sign(ecdsaKey, messages, 120);
            assertEquals(at.id, id, "the request took the id its session id was derived for");
            r = client.awaitSignFinal(id, 150);
            cheatLog = Files.readString(cheat.process.log());
        } finally {
            cheat.process.stop();
            fed.restartPartyWith(cheat); // without the agent
        }
        assertRecoversWithEthers(ecdsaKey, r);
        SignedRequests.assertMessages(messages, r);

        // An honest signer of attempt 0 names the cheat (log, admin view) and discards their pair's setup; no one
        // else is named; every honest party signed in a later attempt.
        long id = r.path("id").asLong();
        String named = "party " + cheat.address + " failed check multiplication_check";
        List<Federation.Party> namers = new ArrayList<>();
        for (Federation.Party p : honest) {
            List<Integer> attempts = PartyLogs.awaitSignedInAttempts(p.process.log(), id);
            assertFalse(attempts.isEmpty(), "party " + p.index + " logged no 'signed in attempt N' for " + id);
            assertTrue(attempts.stream().allMatch(a -> a >= 1), "party " + p.index + " signed in attempts " + attempts);
            List<JsonNode> faults = signing.signingFaults(p, id);
            assertTrue(faults.stream().allMatch(f -> f.path("culprit").asText().equals(cheat.address)),
                    "party " + p.index + " names someone else: " + faults);
            if (PartyLogs.lines(p.process.log(), id).stream().noneMatch(l -> l.contains(named))) {
                continue;
            }
            namers.add(p);
            assertTrue(faults.stream().anyMatch(f -> f.path("check").asText().equals("multiplication_check")),
                    "party " + p.index + " logs '" + named + "', its admin view: " + faults);
            assertTrue(cheatLog.contains(CorruptSharesAgent.TAG + "corrupted a multiplication message (ROUND2) to "
                    + p.address), "the cheat sent party " + p.index + " no corrupted ROUND2:\n" + cheat.process.tail(40));
            assertTrue(Files.readString(p.process.log()).contains("pairwise setup with " + cheat.address
                    + " discarded: multiplication_check in sign request " + id), "party " + p.index + " discarded nothing");
            Map<String, String> setups = PartyDb.pairSetups(p);
            for (int i = 0; i < 50 && setups.containsKey(cheat.address); i++) { // deleted on a worker thread
                Thread.sleep(200);
                setups = PartyDb.pairSetups(p);
            }
            assertFalse(setups.containsKey(cheat.address), "party " + p.index + " still holds its setup with the"
                    + " cheat: " + setups);
        }
        assertFalse(namers.isEmpty(), "no honest party logged '" + named + "' for sign request " + id + "; cheat:\n"
                + cheat.process.tail(40));
    }

    // ------------------------------------------------------------------------------------------- helpers

    private long sign(long key, List<byte[]> messages, long timeoutSeconds) throws Exception {
        return signing.sign(key, messages, timeoutSeconds);
    }

    private byte[] digest() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    /**
     * The request is FULFILLED, with one signature and one recovery id per message, and each signature recovers
     * (ethers) to the key's public key and to its EVM address: the ledger's EVM wallet of an ecdsa key; for a
     * bitcoin key, which has none on the ledger, the address of its public key. A copy with a bit of s flipped
     * must fail.
     */
    private void assertRecoversWithEthers(long keyId, JsonNode r) throws Exception {
        assertEquals("SIGN_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        assertEquals("SIGNATURE_SCHEME_ECDSA_SECP256K1", r.path("scheme").asText(), r.toString());
        JsonNode key = client.key(keyId);
        byte[] publicKey = HEX.parseHex(key.path("key").path("public_key").asText());
        assertEquals(HEX.formatHex(publicKey), r.path("verifying_key").asText(), r.toString());
        String address = null;
        for (JsonNode w : key.path("wallets")) {
            if (w.path("type").asText().equals("WALLET_TYPE_EVM")) {
                address = w.path("address").asText();
            }
        }
        if (address == null) {
            assertEquals("KEY_TYPE_BITCOIN_SECP256K1", key.path("key").path("type").asText(), key.toString());
            address = Eip55.address(Secp256k1.decodePublicKey(publicKey));
        }
        List<byte[]> messages = SignedRequests.messages(r);
        assertEquals(messages.size(), r.path("signatures").size(), r.toString());
        assertEquals(messages.size(), r.path("recovery_ids").size(), r.toString());
        List<EthersVerifier.Item> items = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            items.add(new EthersVerifier.Item("request " + r.path("id").asText() + " message " + i, messages.get(i),
                    HEX.parseHex(r.path("signatures").get(i).asText()), r.path("recovery_ids").get(i).asInt(),
                    address, publicKey));
        }
        byte[] corrupted = items.get(0).signature().clone();
        corrupted[40] ^= 0x01;
        items.add(new EthersVerifier.Item("corrupted copy", messages.get(0), corrupted, items.get(0).recoveryId(),
                address, publicKey));
        EthersVerifier.Run run = ethers.check(items);
        assertEquals(items.size(), run.verdicts().size(), run.output());
        for (int i = 0; i < messages.size(); i++) {
            assertTrue(run.verdicts().get(i).valid(), "ethers: " + run.output() + "\nrequest: " + r);
            assertTrue(address.equalsIgnoreCase(run.verdicts().get(i).recoveredAddress()), run.output());
        }
        assertFalse(run.verdicts().get(messages.size()).valid(), "a corrupted signature passed: " + run.output());
    }
}
