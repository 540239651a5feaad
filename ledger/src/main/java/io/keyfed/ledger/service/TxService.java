package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.TxSignBytes;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.api.ledger.v1.TxResult;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.AccountEntity;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.keyfed.ledger.repository.AccountSql;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Verifies and applies signed transactions. Stateless checks (encoding, signature, chain id, message
 * fields) run first; then, through the {@link CommitSequencer} (in a DB transaction holding the chain-head
 * lock, possibly with other changes), the sequence check, the message, the sequence increment and the log
 * entry. A refused transaction changes nothing. NewKeyRequest and NewSignatureRequest, on the hot path, are applied
 * in plain SQL on the reactive client ({@link CommitSequencer#submitSql}); the other messages through Hibernate
 * Reactive.
 */
@ApplicationScoped
public class TxService {
    private static final Logger LOG = Logger.getLogger(TxService.class);

    private final GenesisService genesis;
    private final CommitSequencer sequencer;
    private final Balances balances;
    private final AccountSql accountSql;
    private final ChainLog chainLog;
    private final WorkspaceService workspaces;
    private final KeyringService keyrings;
    private final KeyRequestService keyRequests;
    private final SignRequestService signRequests;
    private final LedgerMetrics metrics;
    private final Tracer tracer;

    public TxService(GenesisService genesis, CommitSequencer sequencer, Balances balances, AccountSql accountSql,
            ChainLog chainLog,
            WorkspaceService workspaces, KeyringService keyrings, KeyRequestService keyRequests,
            SignRequestService signRequests, LedgerMetrics metrics, Tracer tracer) {
        this.tracer = tracer;
        this.genesis = genesis;
        this.sequencer = sequencer;
        this.balances = balances;
        this.accountSql = accountSql;
        this.chainLog = chainLog;
        this.workspaces = workspaces;
        this.keyrings = keyrings;
        this.keyRequests = keyRequests;
        this.signRequests = signRequests;
        this.metrics = metrics;
    }

    /** A transaction that passed the stateless checks. */
    record Verified(byte[] txBytes, TxBody body, String sender) {
    }

    public Uni<TxResult> broadcast(byte[] txBytes) {
        return broadcast(txBytes, "");
    }

    /**
     * Verifies and applies a transaction in a commit span: a child of the current span (the instrumented HTTP or
     * gRPC call) when there is one, else of {@code traceparent} (the submitter's header, read directly when the
     * tracing SDK is off), else of a new trace. A key request created by it keeps the span's context.
     */
    public Uni<TxResult> broadcast(byte[] txBytes, String traceparent) {
        Context parent = Span.current().getSpanContext().isValid() ? Context.current()
                : TraceContext.parent(traceparent);
        Span span = TraceContext.orNewTrace(
                TraceContext.start(tracer, "keyfed.ledger.commit", SpanKind.INTERNAL, parent, 0));
        return apply(txBytes, TraceContext.traceparent(span))
                .onItem().invoke(r -> {
                    if (r.getKeyRequestId() != 0) {
                        span.setAttribute(TraceContext.REQUEST_ID, r.getKeyRequestId());
                    }
                })
                .onTermination().invoke(span::end);
    }

    private Uni<TxResult> apply(byte[] txBytes, String traceparent) {
        Verified tx;
        try {
            tx = verify(txBytes);
        } catch (LedgerException e) {
            LOG.warnf("tx refused: %s", e.getMessage());
            return Uni.createFrom().failure(e);
        }
        LedgerParams params = genesis.params();
        long now = System.currentTimeMillis();
        Uni<TxResult> committed = plainSql(tx.body())
                ? sequencer.submitSql((c, head) -> accountSql.find(c, tx.sender()).chain(acc -> {
                    TxContext ctx = context(tx, acc, params, head, now, traceparent);
                    return dispatch(c, ctx, tx.body()).chain(() -> Uni.combine().all()
                            .unis(accountSql.bumpSequence(c, tx.sender(), tx.body().getPublicKey().toByteArray()),
                                    chainLog.append(c, head, ChainLog.KIND_TX, tx.txBytes(), ctx.outcome, tx.sender(), now))
                            .with((bumped, log) -> result(ctx, log)));
                }))
                : sequencer.submit(head -> balances.account(tx.sender()).chain(acc -> {
                    TxContext ctx = context(tx, acc, params, head, now, traceparent);
                    return dispatch(ctx, tx.body()).chain(() -> {
                        bump(acc, tx.body());
                        return chainLog.append(head, ChainLog.KIND_TX, tx.txBytes(), ctx.outcome, tx.sender(), now);
                    }).map(log -> result(ctx, log));
                }));
        return committed
                .invoke(r -> {
                    LOG.infof("height %d tx from %s: %s", r.getHeight(), tx.sender(), r.getOutcome());
                    if (r.getKeyRequestId() != 0) {
                        KeyType type = Inputs.keyType(tx.body().getNewKeyRequest().getKeyType());
                        metrics.submitted(r.getKeyRequestId(), type, now);
                    }
                    if (r.getSignRequestId() != 0) {
                        metrics.signSubmitted();
                    }
                })
                .onFailure(LedgerException.class)
                .invoke(t -> LOG.warnf("tx from %s refused: %s", tx.sender(), t.getMessage()));
    }

    /** The sequence check, then the transaction's context. */
    private static TxContext context(Verified tx, AccountEntity acc, LedgerParams params, ChainHeadEntity head, long now,
            String traceparent) {
        if (tx.body().getSequence() != acc.sequence) {
            throw LedgerException.precondition("sequence " + Long.toUnsignedString(tx.body().getSequence())
                    + " does not match the account sequence " + acc.sequence + " of " + tx.sender()
                    + " (replayed or out of order)");
        }
        TxContext ctx = new TxContext(params, head, tx.sender(), acc, now);
        ctx.traceparent = traceparent;
        return ctx;
    }

    private static TxResult result(TxContext ctx, TxLogEntity log) {
        return TxResult.newBuilder()
                .setHeight(log.height)
                .setHash(Inputs.hex(log.hash))
                .setOutcome(ctx.outcome)
                .setCreatedAddress(ctx.createdAddress)
                .setKeyRequestId(ctx.keyRequestId)
                .setSignRequestId(ctx.signRequestId)
                .build();
    }

    private static void bump(AccountEntity acc, TxBody body) {
        acc.sequence = acc.sequence + 1;
        if (acc.publicKey == null) {
            acc.publicKey = body.getPublicKey().toByteArray();
        }
    }

    /** Decoding, signature, chain id and stateless message checks. */
    Verified verify(byte[] txBytes) {
        LedgerParams params = genesis.params();
        if (txBytes == null || txBytes.length == 0) {
            throw LedgerException.invalid("tx_bytes is empty");
        }
        if (txBytes.length > Inputs.MAX_TX_BYTES) {
            throw LedgerException.invalid("tx_bytes has " + txBytes.length + " bytes, at most " + Inputs.MAX_TX_BYTES);
        }
        TxRaw raw;
        TxBody body;
        try {
            raw = TxRaw.parseFrom(txBytes);
        } catch (InvalidProtocolBufferException e) {
            throw LedgerException.invalid("malformed protobuf: tx_bytes is not a TxRaw");
        }
        CanonicalProto.requireCanonical(raw, ByteString.copyFrom(txBytes), "TxRaw");
        try {
            body = TxBody.parseFrom(raw.getBodyBytes());
        } catch (InvalidProtocolBufferException e) {
            throw LedgerException.invalid("malformed protobuf: body_bytes is not a TxBody");
        }
        if (body.getMsgCase() == TxBody.MsgCase.MSG_NOT_SET) {
            throw LedgerException.invalid(body.getUnknownFields().asMap().isEmpty() ? "transaction carries no message"
                    : "unknown message (field " + body.getUnknownFields().asMap().keySet() + ")");
        }
        CanonicalProto.requireCanonical(body, raw.getBodyBytes(), "TxBody");
        byte[] pub = Inputs.secp256k1Key(body.getPublicKey().toByteArray(), "public_key");
        if (!Secp256k1.verify(pub, TxSignBytes.of(raw.getBodyBytes().toByteArray()), raw.getSignature().toByteArray())) {
            throw LedgerException.denied("bad signature: not a valid low-S secp256k1 signature by public_key over the body");
        }
        String sender = Addresses.account(params.addressPrefix(), pub);
        Inputs.bounded(body.getChainId(), Inputs.MAX_CHAIN_ID, "chain_id");
        if (!body.getChainId().equals(params.chainId())) {
            throw LedgerException.invalid("chain_id '" + Addresses.printable(body.getChainId())
                    + "' does not match this ledger's chain '" + params.chainId() + "'");
        }
        validate(body, params);
        return new Verified(txBytes, body, sender);
    }

    private static void validate(TxBody body, LedgerParams params) {
        String prefix = params.addressPrefix();
        switch (body.getMsgCase()) {
            case SEND -> {
                MsgSend m = body.getSend();
                Inputs.address(m.getToAddress(), prefix, "to_address");
                if (m.getToAddress().equals(params.escrowAddress())) {
                    throw LedgerException.invalid("to_address " + m.getToAddress() + " is the fee escrow address,"
                            + " which only the ledger moves funds out of; a send there could never be spent");
                }
                if (Inputs.amount(m.getAmount(), "amount") == 0) {
                    throw LedgerException.invalid("amount must be positive");
                }
            }
            case NEW_WORKSPACE -> WorkspaceService.validate(body.getNewWorkspace(), prefix);
            case ADD_WORKSPACE_OWNER -> WorkspaceService.validate(body.getAddWorkspaceOwner(), prefix);
            case REMOVE_WORKSPACE_OWNER -> WorkspaceService.validate(body.getRemoveWorkspaceOwner(), prefix);
            case NEW_KEYRING -> KeyringService.validate(body.getNewKeyring(), prefix);
            case ADD_KEYRING_PARTY -> KeyringService.validate(body.getAddKeyringParty(), prefix);
            case REMOVE_KEYRING_PARTY -> KeyringService.validate(body.getRemoveKeyringParty(), prefix);
            case UPDATE_KEYRING -> KeyringService.validate(body.getUpdateKeyring());
            case NEW_KEY_REQUEST -> KeyRequestService.validate(body.getNewKeyRequest(), params);
            case NEW_SIGNATURE_REQUEST -> SignRequestService.validate(body.getNewSignatureRequest(), params);
            default -> throw LedgerException.invalid("unknown message");
        }
    }

    /** The hot-path messages, applied in plain SQL on the reactive client. */
    private static boolean plainSql(TxBody body) {
        return body.getMsgCase() == TxBody.MsgCase.NEW_KEY_REQUEST
                || body.getMsgCase() == TxBody.MsgCase.NEW_SIGNATURE_REQUEST;
    }

    private Uni<Void> dispatch(SqlConnection c, TxContext ctx, TxBody body) {
        return switch (body.getMsgCase()) {
            case NEW_KEY_REQUEST -> keyRequests.create(c, ctx, body.getNewKeyRequest());
            case NEW_SIGNATURE_REQUEST -> signRequests.create(c, ctx, body.getNewSignatureRequest());
            default -> Uni.createFrom().failure(LedgerException.invalid("unknown message"));
        };
    }

    private Uni<Void> dispatch(TxContext ctx, TxBody body) {
        return switch (body.getMsgCase()) {
            case SEND -> send(ctx, body.getSend());
            case NEW_WORKSPACE -> workspaces.create(ctx, body.getNewWorkspace());
            case ADD_WORKSPACE_OWNER -> workspaces.addOwner(ctx, body.getAddWorkspaceOwner());
            case REMOVE_WORKSPACE_OWNER -> workspaces.removeOwner(ctx, body.getRemoveWorkspaceOwner());
            case NEW_KEYRING -> keyrings.create(ctx, body.getNewKeyring());
            case ADD_KEYRING_PARTY -> keyrings.addParty(ctx, body.getAddKeyringParty());
            case REMOVE_KEYRING_PARTY -> keyrings.removeParty(ctx, body.getRemoveKeyringParty());
            case UPDATE_KEYRING -> keyrings.update(ctx, body.getUpdateKeyring());
            // NEW_KEY_REQUEST and NEW_SIGNATURE_REQUEST are applied in plain SQL (apply), never here
            default -> Uni.createFrom().failure(LedgerException.invalid("unknown message"));
        };
    }

    private Uni<Void> send(TxContext ctx, MsgSend m) {
        long amount = Inputs.amount(m.getAmount(), "amount");
        ctx.outcome = "sent " + amount + " urock from " + ctx.sender + " to " + m.getToAddress();
        return balances.transfer(ctx.sender, m.getToAddress(), amount);
    }
}
