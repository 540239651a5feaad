package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.log.LogVerifier;
import io.keyfed.cli.testing.Cli;
import io.keyfed.cli.testing.FakeLedger;
import io.keyfed.cli.testing.FakeLedger.Answer;

/** The client against a canned-JSON HTTP server: request shapes, output parsing and error handling. */
class LedgerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMS = """
            {"chain_id":"keyfed-test","address_prefix":"zen","denom":"urock","genesis_supply":"1000000",
             "escrow_address":"zen1escrow","default_timeout_seconds":600}""";
    private static final String TX_RESULT = """
            {"height":5,"hash":"%s","outcome":"%s","created_address":"%s","key_request_id":%d}""";

    @TempDir
    Path home;
    FakeLedger ledger;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        ledger = new FakeLedger();
        ledger.json("GET", "/v1/params", PARAMS);
        cli = new Cli(home, ledger.url());
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private String addKey(String name) {
        Cli.Result r = cli.run("keys", "add", name, "--quiet");
        assertEquals(0, r.exit(), r::toString);
        return r.out().strip();
    }

    private static TxBody postedBody(FakeLedger.Request post, byte[] expectedPublicKey) throws Exception {
        JsonNode body = JSON.readTree(post.body());
        TxRaw raw = TxRaw.parseFrom(Base64.getDecoder().decode(body.get("tx_bytes").asText()));
        byte[] bodyBytes = raw.getBodyBytes().toByteArray();
        assertTrue(Secp256k1.verify(expectedPublicKey, TxSignBytes.of(bodyBytes), raw.getSignature().toByteArray()),
                "signature verifies");
        return TxBody.parseFrom(bodyBytes);
    }

    private byte[] publicKeyOf(String name) throws Exception {
        Cli.Result r = cli.run("keys", "show", name, "--json");
        return HexFormat.of().parseHex(JSON.readTree(r.out()).get("public_key").asText());
    }

    @Test
    void keysAddUsesTheLedgerPrefixAndNeverPrintsThePrivateKey() throws Exception {
        ledger.json("GET", "/v1/params", PARAMS.replace("\"zen\"", "\"kf\""));
        Cli.Result r = cli.run("keys", "add", "alice");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("(?s)name: +alice\naddress: +kf1[0-9a-z]+\npublic_key: +0[23][0-9a-f]{64}\n"
                + "file: +.*alice\\.key\n"), r.out());
        String secret = JSON.readTree(Files.readString(home.resolve("keys/alice.key"))).get("private_key").asText();
        assertFalse(r.out().contains(secret));
        assertFalse(r.err().contains(secret));
        Cli.Result list = cli.run("keys", "list", "--json");
        assertFalse(list.out().contains(secret));
        assertTrue(cli.run("keys", "show", "alice", "--prefix", "zen", "--quiet").out().startsWith("zen1"));
    }

    @Test
    void sendSignsWithSequenceZeroForAnUnknownAccount() throws Exception {
        String alice = addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ab".repeat(32), "sent 42 urock", "", 0));
        Cli.Result r = cli.run("send", "--from", "alice", "--to", "zen1dest", "--amount", "42");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("height:  5\n"), r.out());
        assertTrue(r.out().contains("hash:    " + "ab".repeat(32) + "\n"), r.out());
        assertTrue(r.out().contains("outcome: sent 42 urock\n"), r.out());
        assertFalse(r.out().contains("created_address"), "empty fields are left out");

        assertEquals(1, ledger.requests("GET", "/v1/auth/accounts/" + alice).size());
        TxBody body = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice"));
        assertEquals("keyfed-test", body.getChainId());
        assertEquals(0, body.getSequence());
        assertEquals("zen1dest", body.getSend().getToAddress());
        assertEquals("42", body.getSend().getAmount());
    }

    @Test
    void sendUsesTheAccountSequenceEvenWhenGivenAsAString() throws Exception {
        String alice = addKey("alice");
        String bob = addKey("bob");
        ledger.json("GET", "/v1/auth/accounts/" + alice,
                "{\"address\":\"" + alice + "\",\"public_key\":\"\",\"sequence\":\"7\",\"balance\":\"100\"}");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("cd".repeat(32), "ok", "", 0));
        Cli.Result r = cli.run("send", "--from", "alice", "--to", "bob", "--amount", "1", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("cd".repeat(32) + "\n", r.out());
        TxBody body = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice"));
        assertEquals(7, body.getSequence());
        assertEquals(bob, body.getSend().getToAddress(), "a key name resolves to its address");
    }

    @Test
    void errorResponseIsPrintedAsCodeAndMessage() {
        addKey("alice");
        ledger.error("POST", "/v1/txs", 409, "{\"code\":\"FAILED_PRECONDITION\",\"message\":\"insufficient funds\"}");
        Cli.Result r = cli.run("send", "--from", "alice", "--to", "zen1dest", "--amount", "42");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("error: FAILED_PRECONDITION: insufficient funds\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void nonJsonErrorStillGivesAnError() {
        ledger.error("GET", "/v1/identity/workspaces/workspace1x", 502, "Bad Gateway");
        Cli.Result r = cli.run("workspace", "show", "workspace1x");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("error: HTTP_502: Bad Gateway\n", r.err());
    }

    @Test
    void notFoundQuery() {
        Cli.Result r = cli.run("keyring", "show", "keyring1nothere");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: NOT_FOUND: "), r::toString);
    }

    @Test
    void signingWithAMissingKeyFails() {
        Cli.Result r = cli.run("send", "--from", "ghost", "--to", "zen1dest", "--amount", "1");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("no key named 'ghost'"), r::toString);
        assertTrue(ledger.requests("POST", "/v1/txs").isEmpty());
    }

    @Test
    void workspaceCreatePrintsTheCreatedAddress() throws Exception {
        addKey("alice");
        String bob = addKey("bob");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "workspace created",
                "workspace1abc", 0));
        Cli.Result r = cli.run("workspace", "create", "--from", "alice", "--owner", "bob", "--owner", "zen1carol",
                "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("workspace1abc\n", r.out());
        TxBody body = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice"));
        assertEquals(List.of(bob, "zen1carol"), body.getNewWorkspace().getAdditionalOwnersList());
    }

    @Test
    void jsonModePrintsTheLedgerAnswer() throws Exception {
        addKey("alice");
        String answer = TX_RESULT.formatted("ee".repeat(32), "keyring created", "keyring1xyz", 0);
        ledger.json("POST", "/v1/txs", answer);
        String party = cli.run("keys", "show", "alice", "--party").out().strip();
        Cli.Result r = cli.run("--json", "keyring", "create", "--from", "alice", "--description", "ring",
                "--threshold", "1", "--key-fee", "10", "--party", party, "--party", "alice");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(JSON.readTree(answer), JSON.readTree(r.out()));
        TxBody body = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice"));
        assertEquals(2, body.getNewKeyring().getPartiesCount());
        assertEquals(body.getNewKeyring().getParties(0), body.getNewKeyring().getParties(1));
        assertEquals("10", body.getNewKeyring().getKeyReqFee());
        assertEquals("0", body.getNewKeyring().getSigReqFee());
        assertEquals(1, body.getNewKeyring().getPartyThreshold());
    }

    @Test
    void keyringUpdateSetsOnlyTheGivenFields() throws Exception {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "updated", "", 0));
        Cli.Result r = cli.run("keyring", "update", "--from", "alice", "--keyring", "keyring1x", "--active", "false",
                "--threshold", "2");
        assertEquals(0, r.exit(), r::toString);
        var m = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice")).getUpdateKeyring();
        assertTrue(m.hasIsActive());
        assertFalse(m.getIsActive());
        assertEquals(2, m.getPartyThreshold());
        assertFalse(m.hasDescription());
        assertFalse(m.hasKeyReqFee());
    }

    private void stubKeyRequest(String... statuses) {
        stubKeyRequestWithReason("public key mismatch", statuses);
    }

    private void stubKeyRequestWithReason(String jsonReason, String... statuses) {
        AtomicInteger calls = new AtomicInteger();
        ledger.on("GET", "/v1/treasury/key-requests/9", req -> {
            int i = Math.min(calls.getAndIncrement(), statuses.length - 1);
            String sigs = i == 0 ? "[]" : "[{\"creator\":\"zen1p\",\"signature\":\"00\"}]";
            return Answer.ok("{\"id\":9,\"status\":\"KEY_REQUEST_STATUS_" + statuses[i] + "\",\"party_threshold\":2,"
                    + "\"keyring_party_sigs\":" + sigs + ",\"reject_reason\":\""
                    + (statuses[i].equals("REJECTED") ? jsonReason : "") + "\"}");
        });
    }

    private static final String KEY_RESPONSE = """
            {"key":{"id":9,"workspace_addr":"workspace1w","keyring_addr":"keyring1k",
                    "type":"KEY_TYPE_ECDSA_SECP256K1","public_key":"02aa"},
             "wallets":[{"type":"WALLET_TYPE_NATIVE","address":"zen1native"},
                        {"type":"WALLET_TYPE_EVM","address":"0xAbC"}]}""";

    @Test
    void keyRequestWaitFollowsStatusChangesAndPrintsTheKey() throws Exception {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "key request 9 created", "", 9));
        stubKeyRequest("PENDING", "PARTIAL", "FULFILLED");
        ledger.json("GET", "/v1/treasury/keys/9", KEY_RESPONSE);
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "workspace1w", "--keyring",
                "keyring1k", "--type", "ECDSA", "--timeout", "30", "--wait");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        assertTrue(out.contains("key_request_id: 9\n"), out);
        int pending = out.indexOf("status: KEY_REQUEST_STATUS_PENDING (0 of 2 responses)");
        int partial = out.indexOf("status: KEY_REQUEST_STATUS_PARTIAL (1 of 2 responses)");
        int done = out.indexOf("status: KEY_REQUEST_STATUS_FULFILLED (1 of 2 responses)");
        assertTrue(pending >= 0 && partial > pending && done > partial, out);
        assertTrue(out.contains("public_key:     02aa\n"), out);
        assertTrue(out.contains("wallets:\n  NATIVE  zen1native\n  EVM     0xAbC\n"), out);
        var m = postedBody(ledger.requests("POST", "/v1/txs").get(0), publicKeyOf("alice")).getNewKeyRequest();
        assertEquals("ecdsa", m.getKeyType());
        assertEquals(30, m.getTimeoutSeconds());
        assertEquals("workspace1w", m.getWorkspaceAddr());
    }

    @Test
    void keyRequestWaitJsonIsOneDocument() throws Exception {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "key request 9 created", "", 9));
        stubKeyRequest("FULFILLED");
        ledger.json("GET", "/v1/treasury/keys/9", KEY_RESPONSE);
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "w", "--keyring", "k",
                "--type", "btc", "--wait", "--json");
        assertEquals(0, r.exit(), r::toString);
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(9, doc.get("tx").get("key_request_id").asLong());
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", doc.get("request").get("status").asText());
        assertEquals("zen1native", doc.get("key").get("wallets").get(0).get("address").asText());
        assertTrue(r.err().contains("status: KEY_REQUEST_STATUS_FULFILLED"), "progress goes to stderr");
    }

    @Test
    void keyRequestWaitOnRejectionExitsOne() {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "key request 9 created", "", 9));
        stubKeyRequest("PENDING", "REJECTED");
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "w", "--keyring", "k",
                "--type", "ed25519", "--wait", "--quiet");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("9\n", r.out());
        assertTrue(r.err().contains("error: REJECTED: key request 9 was rejected: public key mismatch"), r::toString);
    }

    @Test
    void controlCharactersInAStoredReasonArePrintedEscaped() {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "key request 9 created", "", 9));
        // A reason stored before the ledger refused control characters: NUL, a forged line, a colour sequence.
        stubKeyRequestWithReason("bad\\u0000share\\nerror: forged\\u001b[31m", "PENDING", "REJECTED");
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "w", "--keyring", "k",
                "--type", "ed25519", "--wait");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("reject_reason: bad\\u0000share\\u000aerror: forged\\u001b[31m\n"), r::toString);
        assertTrue(r.err().contains("was rejected: bad\\u0000share\\u000aerror: forged\\u001b[31m\n"), r::toString);
        String all = r.out() + r.err();
        assertFalse(all.contains("\u001b") || all.contains("\u0000") || all.contains("\nerror: forged"), r::toString);
    }

    @Test
    void keyRequestWithoutWaitPrintsTheId() {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "key request 9 created", "", 9));
        Cli.Result r = cli.run("key", "request", "--from", "alice", "--workspace", "w", "--keyring", "k",
                "--type", "ecdsa", "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("9\n", r.out());
        assertTrue(ledger.requests("GET", "/v1/treasury/key-requests/9").isEmpty());
    }

    @Test
    void keyShowPassesWalletTypeAndPrefixes() {
        ledger.json("GET", "/v1/treasury/keys/9", KEY_RESPONSE);
        Cli.Result r = cli.run("key", "show", "9", "--wallet", "evm", "--prefix", "zen", "--prefix", "cosmos",
                "--quiet");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("zen1native\n0xAbC\n", r.out());
        assertEquals("wallet_type=WALLET_TYPE_EVM&prefixes=zen%2Ccosmos",
                ledger.requests("GET", "/v1/treasury/keys/9").get(0).query());
    }

    @Test
    void listsFollowPageTokens() throws Exception {
        ledger.on("GET", "/v1/identity/workspaces", req -> req.query().contains("page_token=p2")
                ? Answer.ok("{\"workspaces\":[{\"address\":\"workspace1b\",\"creator\":\"zen1a\","
                        + "\"owners\":[\"zen1a\"]}],\"next_page_token\":\"\"}")
                : Answer.ok("{\"workspaces\":[{\"address\":\"workspace1a\",\"creator\":\"zen1a\","
                        + "\"owners\":[\"zen1a\",\"zen1b\"]}],\"next_page_token\":\"p2\"}"));
        Cli.Result r = cli.run("workspace", "list", "--owner", "zen1a");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ADDRESS      OWNERS\nworkspace1a  zen1a,zen1b\nworkspace1b  zen1a\n", r.out());
        assertTrue(ledger.requests().stream().anyMatch(q -> q.query().equals("owner=zen1a")));

        Cli.Result j = cli.run("workspace", "list", "--json");
        assertEquals(2, JSON.readTree(j.out()).get("workspaces").size());
    }

    @Test
    void keyRequestsTableAndStatusFilter() {
        ledger.json("GET", "/v1/treasury/key-requests", """
                {"requests":[{"id":3,"status":"KEY_REQUEST_STATUS_PENDING","key_type":"KEY_TYPE_ECDSA_SECP256K1",
                  "workspace_addr":"workspace1w","keyring_addr":"keyring1k","party_threshold":2,
                  "keyring_party_sigs":[]}],"next_page_token":""}""");
        Cli.Result r = cli.run("key", "requests", "--status", "pending", "--keyring", "keyring1k");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ID  STATUS   TYPE             RESPONSES  WORKSPACE    KEYRING\n"
                + "3   PENDING  ECDSA_SECP256K1  0/2        workspace1w  keyring1k\n", r.out());
        assertEquals("keyring_addr=keyring1k&status=KEY_REQUEST_STATUS_PENDING",
                ledger.requests("GET", "/v1/treasury/key-requests").get(0).query());
    }

    @Test
    void balanceAndAccountAcceptKeyNamesAndCamelCase() {
        String alice = addKey("alice");
        ledger.json("GET", "/v1/bank/balances/" + alice,
                "{\"address\":\"" + alice + "\",\"denom\":\"urock\",\"amount\":\"1000\"}");
        Cli.Result r = cli.run("balance", "alice");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("address: " + alice + "\namount:  1000\ndenom:   urock\n", r.out());
        assertEquals("1000\n", cli.run("balance", alice, "--quiet").out());

        ledger.json("GET", "/v1/auth/accounts/" + alice,
                "{\"address\":\"" + alice + "\",\"publicKey\":\"02ab\",\"sequence\":\"3\",\"balance\":\"1000\"}");
        Cli.Result a = cli.run("account", "alice");
        assertEquals(0, a.exit(), a::toString);
        assertTrue(a.out().contains("sequence:  3\n"), a.out());
    }

    @Test
    void paramsOutput() {
        Cli.Result r = cli.run("params");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("chain_id:                keyfed-test\naddress_prefix:          zen\n"), r.out());
        assertEquals("keyfed-test\n", cli.run("params", "--quiet").out());
    }

    /** Serves a tx log as pages of two entries, following page tokens. */
    private void serveLog(List<String[]> entries) {
        ledger.on("GET", "/v1/txs", req -> {
            int start = 0;
            for (String part : req.query().split("&")) {
                if (part.startsWith("page_token=")) {
                    start = Integer.parseInt(part.substring("page_token=".length()));
                }
            }
            StringBuilder sb = new StringBuilder("{\"txs\":[");
            int end = Math.min(start + 2, entries.size());
            for (int i = start; i < end; i++) {
                String[] e = entries.get(i);
                sb.append(i > start ? "," : "").append("{\"height\":").append(e[0]).append(",\"hash\":\"").append(e[1])
                        .append("\",\"prev_hash\":\"").append(e[2]).append("\",\"kind\":\"tx\",\"tx_bytes\":\"")
                        .append(e[3]).append("\",\"outcome\":\"").append(e[4])
                        .append("\",\"sender\":\"zen1a\",\"time_unix_ms\":1}");
            }
            sb.append("],\"next_page_token\":\"").append(end < entries.size() ? Integer.toString(end) : "")
                    .append("\"}");
            return Answer.ok(sb.toString());
        });
    }

    /** Serves a tx log the way a ledger paging by height does: {"txs":[...],"next_from_height":n or 0}. */
    private void serveLogByHeight(List<String[]> entries) {
        ledger.on("GET", "/v1/txs", req -> {
            long from = 1;
            for (String part : req.query().split("&")) {
                if (part.startsWith("from_height=")) {
                    from = Long.parseLong(part.substring("from_height=".length()));
                }
            }
            StringBuilder sb = new StringBuilder("{\"txs\":[");
            int count = 0;
            long next = 0;
            for (String[] e : entries) {
                if (Long.parseLong(e[0]) < from) {
                    continue;
                }
                if (count == 2) {
                    next = Long.parseLong(e[0]);
                    break;
                }
                sb.append(count++ > 0 ? "," : "").append("{\"height\":").append(e[0]).append(",\"hash\":\"")
                        .append(e[1]).append("\",\"prev_hash\":\"").append(e[2]).append("\",\"tx_bytes\":\"")
                        .append(e[3]).append("\",\"outcome\":\"").append(e[4]).append("\"}");
            }
            sb.append("],\"next_from_height\":").append(next).append("}");
            return Answer.ok(sb.toString());
        });
    }

    @Test
    void verifyLogFollowsNextFromHeight() {
        List<String[]> log = goodLog(5);
        serveLogByHeight(log);
        Cli.Result r = cli.run("verify-log");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("log verified: 5 entries, head " + log.get(4)[1] + "\n", r.out());
        assertEquals(3, ledger.requests("GET", "/v1/txs").size());
        assertTrue(ledger.requests("GET", "/v1/txs").get(2).query().startsWith("from_height=5&"));

        log.get(1)[3] = "ff";
        Cli.Result bad = cli.run("verify-log");
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().startsWith("log verification failed at height 2: "), bad::toString);
    }

    private static List<String[]> goodLog(int n) {
        HexFormat hex = HexFormat.of();
        List<String[]> out = new ArrayList<>();
        byte[] prev = new byte[32];
        for (int h = 1; h <= n; h++) {
            byte[] tx = new byte[] {(byte) h, 1, 2};
            String outcome = "ok " + h;
            byte[] hash = LogVerifier.hashOf(prev, tx, outcome);
            out.add(new String[] {Integer.toString(h), hex.formatHex(hash), hex.formatHex(prev), hex.formatHex(tx),
                    outcome});
            prev = hash;
        }
        return out;
    }

    @Test
    void verifyLogAcrossPages() throws Exception {
        List<String[]> log = goodLog(5);
        serveLog(log);
        Cli.Result r = cli.run("verify-log");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("log verified: 5 entries, head " + log.get(4)[1] + "\n", r.out());
        assertEquals(3, ledger.requests("GET", "/v1/txs").size());
        assertTrue(ledger.requests("GET", "/v1/txs").get(0).query().startsWith("from_height=1&page_size=100"));
        JsonNode j = JSON.readTree(cli.run("verify-log", "--json").out());
        assertTrue(j.get("verified").asBoolean());
        assertEquals(5, j.get("entries").asLong());
    }

    @Test
    void verifyLogNamesTheBadHeight() throws Exception {
        List<String[]> log = goodLog(5);
        log.get(3)[4] = "tampered";
        serveLog(log);
        Cli.Result r = cli.run("verify-log");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("log verification failed at height 4: "), r::toString);
        JsonNode j = JSON.readTree(cli.run("verify-log", "--json").out());
        assertFalse(j.get("verified").asBoolean());
        assertEquals(4, j.get("bad_height").asLong());
    }

    @Test
    void verifyLogNamesAMissingHeightAcrossPages() {
        List<String[]> log = goodLog(5);
        log.remove(2);
        serveLog(log);
        Cli.Result r = cli.run("verify-log");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("log verification failed at height 3: height 3 is missing"), r::toString);
    }

    @Test
    void txShowByHeightDecodesTheBody() throws Exception {
        addKey("alice");
        ledger.json("POST", "/v1/txs", TX_RESULT.formatted("ee".repeat(32), "sent", "", 0));
        cli.run("send", "--from", "alice", "--to", "zen1dest", "--amount", "5");
        String b64 = JSON.readTree(ledger.requests("POST", "/v1/txs").get(0).body()).get("tx_bytes").asText();
        String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(b64));
        ledger.json("GET", "/v1/txs", "{\"txs\":[{\"height\":4,\"hash\":\"" + "ee".repeat(32) + "\",\"prev_hash\":\""
                + "00".repeat(32) + "\",\"kind\":\"tx\",\"tx_bytes\":\"" + hex + "\",\"outcome\":\"sent\","
                + "\"sender\":\"zen1a\",\"time_unix_ms\":1}],\"next_page_token\":\"x\"}");
        Cli.Result r = cli.run("tx", "show", "--height", "4");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("body.chain_id:"), r.out());
        assertTrue(r.out().contains("body.msg:") && r.out().contains(" send\n"), r.out());
        assertArrayEquals(new byte[0], new byte[0]);

        Cli.Result missing = cli.run("tx", "show", "--height", "5");
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("NOT_FOUND"), missing::toString);
    }
}
