package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.testing.Cli;
import io.keyfed.cli.testing.FakeLedger;

/** Taproot keys in the client: the key type and its alias, the P2TR wallet names and the verifying key shown. */
class TaprootKeyCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMS = """
            {"chain_id":"keyfed-test","address_prefix":"zen","denom":"urock","genesis_supply":"1000000",
             "escrow_address":"zen1escrow","default_timeout_seconds":600}""";
    private static final String TX_RESULT = """
            {"height":5,"hash":"%s","outcome":"key request 9 created","created_address":"","key_request_id":9}"""
            .formatted("ee".repeat(32));
    private static final String TAPROOT_KEY = """
            {"key":{"id":9,"workspace_addr":"workspace1w","keyring_addr":"keyring1k",
                    "type":"KEY_TYPE_BITCOIN_TAPROOT","public_key":"02cc8a","verifying_key":"a60869f0"},
             "wallets":[{"type":"WALLET_TYPE_BTC_TAPROOT_MAINNET","address":"bc1pmain"},
                        {"type":"WALLET_TYPE_BTC_TAPROOT_TESTNET","address":"tb1ptest"},
                        {"type":"WALLET_TYPE_BTC_TAPROOT_REGNET","address":"bcrt1preg"}]}""";

    @TempDir
    java.nio.file.Path home;
    FakeLedger ledger;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        ledger = new FakeLedger();
        ledger.json("GET", "/v1/params", PARAMS);
        cli = new Cli(home, ledger.url());
        Cli.Result r = cli.run("keys", "add", "alice", "--quiet");
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private String postedKeyType() throws Exception {
        JsonNode body = JSON.readTree(ledger.requests("POST", "/v1/txs").get(0).body());
        TxRaw raw = TxRaw.parseFrom(Base64.getDecoder().decode(body.get("tx_bytes").asText()));
        return TxBody.parseFrom(raw.getBodyBytes()).getNewKeyRequest().getKeyType();
    }

    @Test
    void keyRequestSendsTheTaprootType() throws Exception {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "workspace1w", "--keyring",
                "keyring1k", "--type", "Taproot", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("9\n", r.out());
        assertEquals("taproot", postedKeyType());
    }

    @Test
    void keyRequestAcceptsTheBitcoinTaprootAlias() throws Exception {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "workspace1w", "--keyring",
                "keyring1k", "--type", "bitcoin-taproot", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("bitcoin-taproot", postedKeyType());
    }

    @Test
    void anUnknownKeyTypeIsRefusedListingTaproot() {
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "w", "--keyring", "k",
                "--type", "schnorr");
        assertTrue(r.exit() != 0, r::toString);
        assertTrue(r.err().contains("taproot (bitcoin-taproot)"), r::toString);
        assertTrue(ledger.requests("POST", "/v1/txs").isEmpty(), "nothing was sent");
    }

    @Test
    void keyShowPrintsTheVerifyingKeyAndTheThreeP2trWallets() {
        ledger.json("GET", "/v1/treasury/keys/9", TAPROOT_KEY);
        Cli.Result r = cli.run("key", "show", "9");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        assertTrue(out.matches("(?s).*\\bverifying_key: +a60869f0\n.*"), out);
        assertTrue(out.matches("(?s).*\\btype: +KEY_TYPE_BITCOIN_TAPROOT\n.*"), out);
        assertTrue(out.contains("wallets:\n  BTC_TAPROOT_MAINNET  bc1pmain\n  BTC_TAPROOT_TESTNET  tb1ptest\n"
                + "  BTC_TAPROOT_REGNET   bcrt1preg\n"), out);
    }

    @Test
    void aTaprootWalletCanBeAskedForByItsEnumName() {
        ledger.json("GET", "/v1/treasury/keys/9", TAPROOT_KEY);
        Cli.Result r = cli.run("key", "show", "9", "--wallet", "BTC_TAPROOT_MAINNET", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("wallet_type=WALLET_TYPE_BTC_TAPROOT_MAINNET",
                ledger.requests("GET", "/v1/treasury/keys/9").get(0).query());
        Cli.Result lower = cli.run("key", "show", "9", "--wallet", "btc_taproot_regnet", "--quiet");
        assertEquals(0, lower.exit(), lower::toString);
        assertEquals("wallet_type=WALLET_TYPE_BTC_TAPROOT_REGNET",
                ledger.requests("GET", "/v1/treasury/keys/9").get(1).query());
    }
}
