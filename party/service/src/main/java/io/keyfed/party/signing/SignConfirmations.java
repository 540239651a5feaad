package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.party.ledger.LedgerView;
import io.keyfed.party.session.PartyException;

/**
 * Confirms a Sign call with the ledger before anything is signed (SIGNING.md: "The message comes from the ledger,
 * never from a peer or from the connector's word alone"): the call's request is only a hint of which sign request
 * to look up over the party's own authenticated link. The ledger must hold it, its copy must agree with the call on
 * everything the signature depends on (chain id, key, key type, scheme, verifying key, messages, snapshot,
 * threshold, deadline), and it must still be open (PENDING or PARTIAL). Otherwise the call is refused, naming what
 * differs, and nothing is signed. Results complete on the worker executor.
 */
final class SignConfirmations {
    private static final Logger LOG = Logger.getLogger(SignConfirmations.class);

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
        String id = Long.toUnsignedString(call.getRequest().getId());
        if (atLedger.isEmpty()) {
            LOG.warnf("sign request %s: refused, the ledger does not hold it; nothing signed", id);
            throw new PartyException(Status.Code.NOT_FOUND, "sign request " + id
                    + " is not known to the ledger; refused, nothing signed");
        }
        SignRequest copy = atLedger.get();
        List<String> differ = differences(call, chainId, copy);
        if (!differ.isEmpty()) {
            LOG.warnf("sign request %s: refused, the call differs from the ledger's copy in %s; nothing signed", id,
                    differ);
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "sign request " + id
                    + " differs from the ledger's copy in " + String.join(", ", differ) + "; refused, nothing signed");
        }
        SignRequestStatus status = copy.getStatus();
        if (status != SignRequestStatus.SIGN_REQUEST_STATUS_PENDING
                && status != SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL) {
            LOG.infof("sign request %s: refused, it is %s at the ledger", id, status);
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "sign request " + id + " is "
                    + status.name().replace("SIGN_REQUEST_STATUS_", "") + " at the ledger (not PENDING or PARTIAL);"
                    + " nothing signed");
        }
        return copy;
    }

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
