package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.testing.Cli;
import io.keyfed.cli.testing.FakeLedger;
import io.keyfed.cli.testing.FakeLedger.Answer;

/** {@code sign}, {@code sign show} and {@code sign list} against a canned-JSON ledger. */
class SignCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMS = """
            {"chain_id":"keyfed-test","address_prefix":"zen","denom":"urock","genesis_supply":"1000000",
             "escrow_address":"zen1escrow","default_timeout_seconds":600}""";
    private static final String TX_RESULT = """
            {"height":5,"hash":"%s","outcome":"sign request 4 created","created_address":"","key_request_id":0,
             "sign_request_id":4}""".formatted("ee".repeat(32));
    private static final String SIG1 = "aa".repeat(64);
    private static final String SIG2 = "bb".repeat(64);

    @TempDir
    Path home;
    FakeLedger ledger;
    Cli cli;

    @BeforeEach
    void start() {
        try {
            ledger = new FakeLedger();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ledger.json("GET", "/v1/params", PARAMS);
        cli = new Cli(home, ledger.url());
        Cli.Result r = cli.run("keys", "add", "alice", "--quiet");
        assertEquals(0, r.exit(), r::toString);
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private MsgNewSignatureRequest posted() throws Exception {
        FakeLedger.Request post = ledger.requests("POST", "/v1/txs").get(0);
        TxRaw raw = TxRaw.parseFrom(Base64.getDecoder().decode(JSON.readTree(post.body()).get("tx_bytes").asText()));
        byte[] pub = HexFormat.of().parseHex(JSON.readTree(cli.run("keys", "show", "alice", "--json").out())
                .get("public_key").asText());
        assertTrue(Secp256k1.verify(pub, TxSignBytes.of(raw.getBodyBytes().toByteArray()),
                raw.getSignature().toByteArray()), "signed by alice");
        return TxBody.parseFrom(raw.getBodyBytes()).getNewSignatureRequest();
    }

    /** The request answers each status in turn, then stays at the last. */
    private void stubRequest(String finalJson, String... statuses) {
        AtomicInteger calls = new AtomicInteger();
        ledger.on("GET", "/v1/treasury/sign-requests/4", req -> {
            int i = Math.min(calls.getAndIncrement(), statuses.length - 1);
            String st = statuses[i];
            String answers = st.equals("PENDING") ? "[]" : "[{\"creator\":\"zen1p\"}]";
            String extra = i == statuses.length - 1 ? finalJson : "";
            return Answer.ok("{\"id\":4,\"status\":\"SIGN_REQUEST_STATUS_" + st + "\",\"party_threshold\":2,"
                    + "\"fee\":\"30\",\"scheme\":\"SIGNATURE_SCHEME_ED25519\",\"verifying_key\":\"" + "cd".repeat(32)
                    + "\",\"messages\":[\"0102\",\"ff\"],\"keyring_party_sigs\":" + answers + extra + "}");
        });
    }

    @Test
    void signSubmitsTheMessagesAndPrintsTheRequestId() throws Exception {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        Cli.Result r = cli.run("sign", "--from", "alice", "--key", "12", "--message", "0102", "--message", "0xFF",
                "--max-fee", "30", "--timeout", "45");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("sign_request_id: 4\n"), r::toString);
        MsgNewSignatureRequest m = posted();
        assertEquals(12, m.getKeyId());
        assertEquals(2, m.getMessagesCount());
        assertArrayEquals(new byte[] {1, 2}, m.getMessages(0).toByteArray());
        assertArrayEquals(new byte[] {(byte) 0xff}, m.getMessages(1).toByteArray());
        assertEquals("30", m.getMaxFee());
        assertEquals(45, m.getTimeoutSeconds());
        assertTrue(ledger.requests("GET", "/v1/treasury/sign-requests/4").isEmpty(), "no wait without --wait");

        Cli.Result quiet = cli.run("sign", "--from", "alice", "--key", "12", "--message", "01", "--quiet");
        assertEquals("4\n", quiet.out());
    }

    @Test
    void signWaitShowsProgressThenEachSignatureAndWhatItVerifiesUnder() {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        stubRequest(",\"signatures\":[\"" + SIG1 + "\",\"" + SIG2 + "\"]", "PENDING", "FULFILLED");
        Cli.Result r = cli.run("sign", "--from", "alice", "--key", "12", "--message", "0102", "--message", "ff",
                "--wait");
        assertEquals(0, r.exit(), r::toString);
        String out = r.out();
        int pending = out.indexOf("status: SIGN_REQUEST_STATUS_PENDING (0 of 2 answers)");
        int done = out.indexOf("status: SIGN_REQUEST_STATUS_FULFILLED (1 of 2 answers)");
        assertTrue(pending >= 0 && done > pending, out);
        assertTrue(out.contains("scheme:         ED25519\n") || out.matches("(?s).*scheme: +ED25519\n.*"), out);
        assertTrue(out.matches("(?s).*verifying_key: +" + "cd".repeat(32) + "\n.*"), out);
        assertTrue(out.endsWith("signature 1: " + SIG1 + "\nsignature 2: " + SIG2 + "\n"), out);
    }

    @Test
    void signWaitPrintsTheRecoveryIdOfEcdsaSignatures() {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        stubRequest(",\"signatures\":[\"" + SIG1 + "\"],\"recovery_ids\":[1]", "FULFILLED");
        Cli.Result r = cli.run("sign", "--from", "alice", "--key", "12", "--message", "01", "--wait");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().endsWith("signature 1: " + SIG1 + " (recovery id 1)\n"), r::toString);
    }

    @Test
    void signWaitOnRejectionPrintsTheReasonAndTheRefundAndExitsOne() throws Exception {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        stubRequest(",\"reject_reason\":\"deadline exceeded\"", "PENDING", "REJECTED");
        Cli.Result r = cli.run("sign", "--from", "alice", "--key", "12", "--message", "01", "--wait");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("reject_reason: deadline exceeded\nrefunded: 30\n"), r::toString);
        assertTrue(r.err().contains("error: REJECTED: sign request 4 was rejected: deadline exceeded; fee 30 refunded"),
                r::toString);

        Cli.Result j = cli.run("sign", "--from", "alice", "--key", "12", "--message", "01", "--wait", "--json");
        assertEquals(1, j.exit(), j::toString);
        JsonNode doc = JSON.readTree(j.out());
        assertEquals(4, doc.get("tx").get("sign_request_id").asLong());
        assertEquals("SIGN_REQUEST_STATUS_REJECTED", doc.get("request").get("status").asText());
        assertTrue(j.err().contains("status: SIGN_REQUEST_STATUS_REJECTED"), "progress goes to stderr");
    }

    @Test
    void badMessagesAreUsageErrorsAndSendNothing() {
        ledger.json("POST", "/v1/txs", TX_RESULT);
        List<List<String>> cases = List.of(
                List.of("--message", "zz"),
                List.of("--message", "abc"),
                List.of("--message", ""),
                List.of("--message", "0x"));
        for (List<String> c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("sign", "--from", "alice", "--key", "12"));
            args.addAll(c);
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.err().contains("invalid value for --message: '" + c.get(1) + "' (expected hex bytes"),
                    r::toString);
        }
        Cli.Result none = cli.run("sign", "--from", "alice", "--key", "12");
        assertEquals(2, none.exit(), none::toString);
        assertTrue(none.err().contains("missing required option --message"), none::toString);
        Cli.Result noKey = cli.run("sign", "--from", "alice", "--message", "01");
        assertEquals(2, noKey.exit(), noKey::toString);
        assertTrue(noKey.err().contains("missing required option --key"), noKey::toString);
        Cli.Result badKey = cli.run("sign", "--from", "alice", "--key", "k1", "--message", "01");
        assertEquals(2, badKey.exit(), badKey::toString);
        assertTrue(badKey.err().contains("invalid value for --key: 'k1'"), badKey::toString);
        Cli.Result badFee = cli.run("sign", "--from", "alice", "--key", "1", "--message", "01", "--max-fee", "-3");
        assertEquals(2, badFee.exit(), badFee::toString);
        assertTrue(ledger.requests("POST", "/v1/txs").isEmpty(), "nothing was submitted");
    }

    @Test
    void aRefusalByTheLedgerIsPrintedAsCodeAndMessage() {
        ledger.error("POST", "/v1/txs", 400, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"messages[0] has 2 bytes;"
                + " BIP340 signs 32-byte messages\"}");
        Cli.Result r = cli.run("sign", "--from", "alice", "--key", "12", "--message", "0102");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("INVALID_ARGUMENT: messages[0] has 2 bytes"), r::toString);
    }

    @Test
    void signShowAndListReadTheLedger() throws Exception {
        stubRequest("", "PARTIAL");
        Cli.Result show = cli.run("sign", "show", "4", "--quiet");
        assertEquals(0, show.exit(), show::toString);
        assertEquals("SIGN_REQUEST_STATUS_PARTIAL\n", show.out());
        Cli.Result full = cli.run("sign", "show", "4");
        assertTrue(full.out().matches("(?s).*verifying_key: +" + "cd".repeat(32) + "\n.*"), full::toString);

        ledger.on("GET", "/v1/treasury/sign-requests", req -> req.query().contains("page_token=p2")
                ? Answer.ok("{\"requests\":[{\"id\":8,\"status\":\"SIGN_REQUEST_STATUS_REJECTED\",\"key_id\":3,"
                        + "\"scheme\":\"SIGNATURE_SCHEME_BIP340\",\"messages\":[\"00\"],\"party_threshold\":2,"
                        + "\"keyring_party_sigs\":[],\"keyring_addr\":\"keyring1k\"}],\"next_page_token\":\"\"}")
                : Answer.ok("{\"requests\":[{\"id\":7,\"status\":\"SIGN_REQUEST_STATUS_PENDING\",\"key_id\":3,"
                        + "\"scheme\":\"SIGNATURE_SCHEME_BIP340\",\"messages\":[\"00\",\"01\"],\"party_threshold\":2,"
                        + "\"keyring_party_sigs\":[{}],\"keyring_addr\":\"keyring1k\"}],\"next_page_token\":\"p2\"}"));
        Cli.Result list = cli.run("sign", "list", "--key", "3", "--status", "pending");
        assertEquals(0, list.exit(), list::toString);
        assertEquals("ID  STATUS    SCHEME  MESSAGES  ANSWERS  KEY  KEYRING\n"
                + "7   PENDING   BIP340  2         1/2      3    keyring1k\n"
                + "8   REJECTED  BIP340  1         0/2      3    keyring1k\n", list.out());
        assertEquals("key_id=3&status=SIGN_REQUEST_STATUS_PENDING",
                ledger.requests("GET", "/v1/treasury/sign-requests").get(0).query());
        Cli.Result bad = cli.run("sign", "list", "--status", "done");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("unknown status 'done'; one of: pending, partial, fulfilled, rejected"),
                bad::toString);
    }

    @Test
    void helpListsTheSignCommandsAndSignHelpShowsItsOptions() {
        Cli.Result top = cli.run("--help");
        assertTrue(top.out().contains("  sign ") && top.out().contains("  sign show ") && top.out().contains(
                "  sign list "), top::toString);
        Cli.Result sign = cli.run("sign", "--help");
        assertEquals(0, sign.exit(), sign::toString);
        assertTrue(sign.out().startsWith("usage: keyfed sign [--from NAME] [--key ID] [--message HEX...]"),
                sign::toString);
        Cli.Result unknown = cli.run("sign", "verify");
        assertEquals(2, unknown.exit(), unknown::toString);
    }
}
