package io.keyfed.ledger.service;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.keyfed.ledger.repository.ChainSql;
import io.keyfed.ledger.repository.TxLogRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Appends accepted state changes to the hash-chained log. Must be called with the chain-head row
 * locked, in the same DB transaction as the change: height = previous + 1,
 * hash = SHA-256(previous hash || tx bytes || UTF-8 outcome); the previous hash of height 1 is 32 zero bytes.
 */
@ApplicationScoped
public class ChainLog {
    public static final String KIND_TX = "tx";
    public static final String KIND_PARTY_RESPONSE = "party_response";
    public static final String KIND_TIMEOUT = "timeout";
    public static final String KIND_SIGN_RESPONSE = "sign_response";
    public static final String KIND_SIGN_TIMEOUT = "sign_timeout";

    private final TxLogRepository log;
    private final ChainSql sql;

    public ChainLog(TxLogRepository log, ChainSql sql) {
        this.log = log;
        this.sql = sql;
    }

    public static byte[] hash(byte[] prevHash, byte[] txBytes, String outcome) {
        return Hashes.sha256(prevHash, txBytes, outcome.getBytes(StandardCharsets.UTF_8));
    }

    public Uni<TxLogEntity> append(ChainHeadEntity head, String kind, byte[] txBytes, String outcome, String sender,
            long nowMs) {
        return log.persist(next(head, kind, txBytes, outcome, sender, nowMs));
    }

    /** The same, for a change applied on a reactive-client connection ({@link CommitSequencer.SqlChange}). */
    public Uni<TxLogEntity> append(SqlConnection c, ChainHeadEntity head, String kind, byte[] txBytes, String outcome,
            String sender, long nowMs) {
        TxLogEntity e = next(head, kind, txBytes, outcome, sender, nowMs);
        return sql.append(c, e).replaceWith(e);
    }

    /** The next log row after {@code head}; advances the head to it. */
    private static TxLogEntity next(ChainHeadEntity head, String kind, byte[] txBytes, String outcome, String sender,
            long nowMs) {
        TxLogEntity e = new TxLogEntity();
        e.height = head.height + 1;
        e.prevHash = head.hash;
        e.hash = hash(head.hash, txBytes, outcome);
        e.kind = kind;
        e.txBytes = txBytes;
        e.outcome = outcome;
        e.sender = sender;
        e.timeUnixMs = nowMs;
        head.height = e.height;
        head.hash = e.hash;
        return e;
    }
}
