package io.keyfed.ledger.service;

import io.keyfed.ledger.model.AccountEntity;
import io.keyfed.ledger.model.ChainHeadEntity;

/** State of one transaction being applied, inside the DB transaction holding the chain-head lock. */
public final class TxContext {
    public final LedgerParams params;
    public final ChainHeadEntity head;
    /** Sender address; empty for ledger-internal changes (timeouts). */
    public final String sender;
    public final AccountEntity senderAccount;
    public final long nowMs;
    public String outcome = "";
    public String createdAddress = "";
    public long keyRequestId;
    public long signRequestId;
    /** W3C traceparent of the span applying this transaction; empty when there is none. */
    public String traceparent = "";

    public TxContext(LedgerParams params, ChainHeadEntity head, String sender, AccountEntity senderAccount,
            long nowMs) {
        this.params = params;
        this.head = head;
        this.sender = sender;
        this.senderAccount = senderAccount;
        this.nowMs = nowMs;
    }

    /** Height this change will get in the log. */
    public long height() {
        return head.height + 1;
    }
}
