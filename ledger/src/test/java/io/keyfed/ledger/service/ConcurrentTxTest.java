package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.Txs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Concurrent senders are serialised by the chain-head lock: contiguous heights, supply conserved. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ConcurrentTxTest {

    @Test
    void shouldSerialiseConcurrentTransactions() {
        long start = LedgerRest.height();
        List<Integer> senders = IntStream.rangeClosed(31, 38).boxed().toList();
        List<long[]> sequences = senders.stream().map(i -> new long[] {LedgerRest.sequence(TestKeys.account(i).address())})
                .toList();
        List<Response> results = IntStream.range(0, senders.size()).parallel().mapToObj(k -> {
            var from = TestKeys.account(senders.get(k));
            var body = Txs.body(from, sequences.get(k)[0])
                    .setSend(Txs.send(TestKeys.account(39).address(), "3")).build();
            return LedgerRest.post(Txs.sign(from, body));
        }).toList();
        results.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        List<Long> heights = results.stream().map(r -> r.jsonPath().getLong("height")).sorted().toList();
        assertEquals(LongStreamHelper.range(start + 1, start + senders.size()), heights);
        assertEquals(start + senders.size(), LedgerRest.height());
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    private static final class LongStreamHelper {
        static List<Long> range(long from, long toInclusive) {
            return java.util.stream.LongStream.rangeClosed(from, toInclusive).boxed().toList();
        }
    }
}
