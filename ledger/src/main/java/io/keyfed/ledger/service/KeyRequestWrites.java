package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.KeyEntity;
import io.keyfed.ledger.model.KeyRequestEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.keyfed.ledger.repository.KeyRequestSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The writes of a key request's change on the plain-SQL path ({@link CommitSequencer.SqlChange}): the request
 * row, its key, the fee's release or refund, its event and the log row, on the change's connection.
 */
@ApplicationScoped
class KeyRequestWrites {
    private final KeyRequestSql requestSql;
    private final Balances balances;
    private final KeyRequestEvents events;
    private final ChainLog chainLog;

    KeyRequestWrites(KeyRequestSql requestSql, Balances balances, KeyRequestEvents events, ChainLog chainLog) {
        this.requestSql = requestSql;
        this.balances = balances;
        this.events = events;
        this.chainLog = chainLog;
    }

    /**
     * Stores the request after {@code step}, with the side effects of its status change, and appends the
     * answer to the log. The statements are independent of each other's results, so they go out as one
     * pipeline on the connection; any failure fails the change, and the transaction is rolled back.
     */
    Uni<TxLogEntity> record(SqlConnection c, ChainHeadEntity head, KeyRequestEntity e, AnswerRules.Step step,
            LedgerParams params, byte[] raw, String sender, long now) {
        KeyRequest done = step.request();
        store(e, done);
        List<Uni<?>> writes = new ArrayList<>();
        switch (step.effect()) {
            case FULFILLED -> {
                long id = done.getId();
                e.candidatePublicKey = done.getPublicKey().toByteArray();
                Key k = Key.newBuilder().setId(id).setWorkspaceAddr(done.getWorkspaceAddr())
                        .setKeyringAddr(done.getKeyringAddr()).setType(done.getKeyType())
                        .setPublicKey(done.getPublicKey()).build();
                KeyEntity ke = new KeyEntity();
                ke.id = id;
                ke.workspaceAddr = k.getWorkspaceAddr();
                ke.keyringAddr = k.getKeyringAddr();
                ke.data = k.toByteArray();
                writes.add(requestSql.insertKey(c, ke));
                writes.add(balances.transfer(c, params.escrowAddress(), done.getKeyringAddr(),
                        Long.parseLong(done.getFee())));
            }
            case REJECTED -> writes.add(balances.transfer(c, params.escrowAddress(), done.getCreator(),
                    Long.parseLong(done.getFee())));
            default -> {
            }
        }
        writes.add(0, requestSql.store(c, e));
        writes.add(events.emit(c, done));
        Uni<TxLogEntity> log = chainLog.append(c, head, ChainLog.KIND_PARTY_RESPONSE, raw, step.outcome(), sender, now);
        writes.add(log);
        return pipeline(writes);
    }

    /** Rejects the request at its deadline: refunds its fee and appends the timeout to the log, in one pipeline. */
    Uni<TxLogEntity> reject(SqlConnection c, ChainHeadEntity head, KeyRequestEntity e, KeyRequest done,
            LedgerParams params, byte[] raw, String outcome, long now) {
        store(e, done);
        return pipeline(List.of(requestSql.store(c, e),
                balances.transfer(c, params.escrowAddress(), done.getCreator(), Long.parseLong(done.getFee())),
                events.emit(c, done), chainLog.append(c, head, ChainLog.KIND_TIMEOUT, raw, outcome, "", now)));
    }

    /** Runs the writes at once (pipelined on their connection); the item is the last one's, the log row. */
    private static Uni<TxLogEntity> pipeline(List<Uni<?>> writes) {
        return Uni.combine().all().unis(writes).with(items -> (TxLogEntity) items.get(items.size() - 1));
    }

    private static void store(KeyRequestEntity e, KeyRequest req) {
        e.status = req.getStatusValue();
        e.data = req.toByteArray();
    }
}
