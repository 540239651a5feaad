package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.party.ledger.LedgerCopies;
import io.keyfed.party.ledger.LedgerView;

/**
 * Confirms a Sign call with the ledger before anything is signed (SIGNING.md: "The message comes from the ledger,
 * never from a peer or from the connector's word alone"): the call's request is only a hint of which sign request
 * to look up over the party's own authenticated link. The ledger must hold it, its copy must agree with the call on
 * everything the signature depends on (chain id, key, key type, scheme, verifying key, messages, snapshot,
 * threshold, deadline), and it must still be open (PENDING or PARTIAL). Otherwise the call is refused, naming what
 * differs, and nothing is signed. Results complete on the worker executor.
 */
final class SignConfirmations {
    private final LedgerView ledger;
    private final long confirmTimeoutMillis;
    private final Executor worker;

    SignConfirmations(LedgerView ledger, long confirmTimeoutMillis, Executor worker) {
        this.ledger = ledger;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.worker = worker;
    }

    /** The chain id and the ledger's copy of the call's request, once confirmed. */
    record Confirmed(String chainId, SignRequest request) {
    }

    CompletableFuture<Confirmed> confirm(SigningCall call) {
        SignRequest hint = call.getRequest();
        long deadline = Math.min(hint.getDeadlineUnixMs(), System.currentTimeMillis() + confirmTimeoutMillis);
        return ledger.chainId(deadline).thenCombineAsync(ledger.signRequest(hint.getId(), deadline),
                (chainId, copy) -> new Confirmed(chainId, check(call, chainId, copy)), worker);
    }

    /**
     * The ledger's copy when it confirms {@code call}; otherwise the refusal.
     *
     * @throws PartyException NOT_FOUND or FAILED_PRECONDITION, naming the request and the problem
     */
    static SignRequest check(SigningCall call, String chainId, Optional<SignRequest> atLedger) {
        return LedgerCopies.confirmed(KIND, Long.toUnsignedString(call.getRequest().getId()), atLedger,
                ledger -> differences(call, chainId, ledger));
    }

    private static final LedgerCopies.Kind<SignRequest> KIND = new LedgerCopies.Kind<>("sign request",
            "nothing signed", r -> r.getStatus().name().replace("SIGN_REQUEST_STATUS_", ""),
            r -> r.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_PENDING
                    || r.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL,
            "PENDING or PARTIAL");

    /** The names of the fields (proto names) in which the call disagrees with the ledger's copy. */
    static List<String> differences(SigningCall call, String chainId, SignRequest ledger) {
        SignRequest hint = call.getRequest();
        List<String> out = new ArrayList<>();
        if (!call.getChainId().equals(chainId)) {
            out.add("chain_id");
        }
        if (hint.getId() != ledger.getId()) {
            out.add("id");
        }
        if (hint.getKeyId() != ledger.getKeyId()) {
            out.add("key_id");
        }
        if (!hint.getKeyringAddr().equals(ledger.getKeyringAddr())) {
            out.add("keyring_addr");
        }
        if (hint.getKeyTypeValue() != ledger.getKeyTypeValue()) {
            out.add("key_type");
        }
        if (hint.getSchemeValue() != ledger.getSchemeValue()) {
            out.add("scheme");
        }
        if (!hint.getVerifyingKey().equals(ledger.getVerifyingKey())) {
            out.add("verifying_key");
        }
        if (!hint.getMessagesList().equals(ledger.getMessagesList())) {
            out.add("messages");
        }
        if (!hint.getPartiesList().equals(ledger.getPartiesList())) {
            out.add("parties");
        }
        if (hint.getPartyThreshold() != ledger.getPartyThreshold()) {
            out.add("party_threshold");
        }
        if (hint.getDeadlineUnixMs() != ledger.getDeadlineUnixMs()) {
            out.add("deadline_unix_ms");
        }
        return out;
    }
}
