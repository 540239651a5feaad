package io.keyfed.cli.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.testing.FakeLedger;
import io.keyfed.cli.testing.FakeLedger.Answer;

class TxSubmitterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OK = "{\"height\":1,\"hash\":\"aa\",\"outcome\":\"ok\"}";

    FakeLedger ledger;
    TxSubmitter submitter;
    SigningKey alice = SigningKey.generate("alice", new SecureRandom());

    @BeforeEach
    void start() throws Exception {
        ledger = new FakeLedger();
        ledger.json("GET", "/v1/params", "{\"chain_id\":\"c-1\",\"address_prefix\":\"zen\"}");
        ledger.json("GET", "/v1/auth/accounts/" + alice.address("zen"), "{\"sequence\":\"4\"}");
        submitter = new TxSubmitter(new LedgerApi(new LedgerClient(ledger.url())));
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private long postedSequence(int i) throws Exception {
        String b64 = JSON.readTree(ledger.requests("POST", "/v1/txs").get(i).body()).get("tx_bytes").asText();
        TxBody body = TxBody.parseFrom(TxRaw.parseFrom(Base64.getDecoder().decode(b64)).getBodyBytes());
        assertEquals("c-1", body.getChainId());
        return body.getSequence();
    }

    private void send() throws LedgerClientException {
        submitter.submit(alice, b -> b.setSend(MsgSend.newBuilder().setToAddress("zen1x").setAmount("1")));
    }

    @Test
    void readsTheSequenceOnceThenCountsItself() throws Exception {
        ledger.json("POST", "/v1/txs", OK);
        send();
        send();
        send();
        assertEquals(4, postedSequence(0));
        assertEquals(5, postedSequence(1));
        assertEquals(6, postedSequence(2));
        assertEquals(1, ledger.requests("GET", "/v1/auth/accounts/" + alice.address("zen")).size());
        assertEquals(1, ledger.requests("GET", "/v1/params").size());
    }

    @Test
    void readsTheSequenceAgainAfterARefusal() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        ledger.on("POST", "/v1/txs", req -> posts.getAndIncrement() == 1
                ? new Answer(409, "{\"code\":\"FAILED_PRECONDITION\",\"message\":\"bad sequence\"}")
                : Answer.ok(OK));
        send();
        assertThrows(LedgerClientException.class, this::send);
        send();
        assertEquals(2, ledger.requests("GET", "/v1/auth/accounts/" + alice.address("zen")).size());
        assertEquals(4, postedSequence(2), "the ledger still says 4: the count starts again from its answer");
    }

    @Test
    void anAccountTheLedgerHasNotSeenStartsAtZero() throws Exception {
        SigningKey bob = SigningKey.generate("bob", new SecureRandom());
        ledger.json("POST", "/v1/txs", OK);
        submitter.submit(bob, b -> b.setSend(MsgSend.newBuilder().setToAddress("zen1x").setAmount("1")));
        assertEquals(0, postedSequence(0));
    }

    @Test
    void aLedgerWithoutChainIdIsABadResponse() {
        ledger.json("GET", "/v1/params", "{\"address_prefix\":\"zen\"}");
        LedgerClientException e = assertThrows(LedgerClientException.class, this::send);
        assertEquals("BAD_RESPONSE", e.code());
    }
}
