package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
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
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.wallet.Eip55;
import io.keyfed.cli.keys.SigningKey;

/**
 * Threshold ECDSA with every service in its own process (ledger, three parties with SoftHSM2 tokens, three
 * connectors; keyring 2-of-3): an ecdsa key and a bitcoin key each sign a random 32-byte digest, and each
 * signature, with the recovery id the ledger computed, recovers to the key's EVM address and public key according
 * to {@code ethers} (tools/verify-node/recover.js, {@link EthersVerifier}), which shares no code with KeyFed; a
 * copy with one bit of s flipped must not. Then one party is stopped and 2-of-3 still sign. The ledger must accept
 * the ecdsa scheme ({@code keyfed.ledger.signing.schemes}, default {@code ed25519,bip340,ecdsa}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcdsaSigningFlowIT {
    private static final long KEY_FEE = 100;
    private static final long SIG_FEE = 7;
    private static final HexFormat HEX = HexFormat.of();

    private final SigningKey owner = Client.newKey("owner");
    private final SigningKey admin = Client.newKey("admin");
    private final SecureRandom random = new SecureRandom();
    private EthersVerifier ethers;
    private Federation fed;
    private Client client;
    private String keyring;
    private long ecdsaKey;
    private long bitcoinKey;

    @BeforeAll
    void startFederationAndMakeTwoKeys() throws Exception {
        fed = new Federation("ecdsa-signing");
        ethers = EthersVerifier.install(fed.root);
        Path genesis = fed.writeGenesis(Map.of(owner, 100_000L, admin, 5_000L));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        MsgNewKeyring.Builder m = MsgNewKeyring.newBuilder().setDescription("e2e ecdsa signing").setPartyThreshold(2)
                .setKeyReqFee(Long.toString(KEY_FEE)).setSigReqFee(Long.toString(SIG_FEE));
        for (Federation.Party p : fed.parties) {
            m.addParties(KeyringParty.newBuilder().setAddress(p.address)
                    .setPublicKey(ByteString.copyFrom(HEX.parseHex(p.publicKeyHex))));
        }
        keyring = client.tx(admin, b -> b.setNewKeyring(m)).path("created_address").asText();
        fed.startConnectors(keyring);
        String workspace = client.newWorkspace(owner);
        ecdsaKey = client.requestKey(owner, workspace, keyring, "ecdsa", 120);
        bitcoinKey = client.requestKey(owner, workspace, keyring, "bitcoin", 120);
        for (long id : List.of(ecdsaKey, bitcoinKey)) {
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

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void ecdsaAndBitcoinSignaturesRecoverToTheKeysEvmAddressWithEthers() throws Exception {
        long keyringBefore = client.balance(keyring);
        long ec = client.requestSignatures(owner, ecdsaKey, List.of(digest()), 120);
        long btc = client.requestSignatures(owner, bitcoinKey, List.of(digest()), 120);
        assertRecoversWithEthers(ecdsaKey, client.awaitSignFinal(ec, 150));
        assertRecoversWithEthers(bitcoinKey, client.awaitSignFinal(btc, 150));
        assertEquals(keyringBefore + 2 * SIG_FEE, client.balance(keyring), "the fees went to the keyring");
    }

    @Test
    @Order(2)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void withOnePartyStoppedTwoOfThreeStillSign() throws Exception {
        Federation.Party down = fed.parties.get(2);
        down.process.stop();
        try {
            assertDown(down);
            long ec = client.requestSignatures(owner, ecdsaKey, List.of(digest()), 90);
            long btc = client.requestSignatures(owner, bitcoinKey, List.of(digest()), 90);
            for (long[] kr : new long[][] {{ecdsaKey, ec}, {bitcoinKey, btc}}) {
                JsonNode r = client.awaitSignFinal(kr[1], 120);
                assertRecoversWithEthers(kr[0], r);
                assertFalse(SignedRequests.answered(r).contains(down.address), "the stopped party answered: " + r);
            }
            assertDown(down);
        } finally {
            fed.restartParty(down);
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

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
}
