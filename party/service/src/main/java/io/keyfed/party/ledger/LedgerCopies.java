package io.keyfed.party.ledger;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.party.session.PartyException;

/**
 * The one rule by which a call's request is confirmed with the ledger, whatever the request (a key request before
 * a DKG, a sign request before signing): the ledger must hold it, its copy must agree with the call on every field
 * the session depends on, and it must still be open. Otherwise the call is refused, naming the request and the
 * problem, and nothing happens. Stateless.
 */
public final class LedgerCopies {
    private static final Logger LOG = Logger.getLogger(LedgerCopies.class);

    /** How one kind of request reads: its name in messages and what "refused" leaves behind. */
    public record Kind<T>(String name, String refusedSuffix, Function<T, String> status, Function<T, Boolean> open,
            String openStates) {
    }

    private LedgerCopies() {
    }

    /**
     * The ledger's copy when it confirms the call.
     *
     * @param id          the request id as text
     * @param atLedger    the ledger's copy, if it holds the request
     * @param differences the fields (proto names) in which the call differs from the copy
     * @throws PartyException NOT_FOUND when the ledger does not hold the request; FAILED_PRECONDITION when it
     *                        differs (naming the fields) or is no longer open
     */
    public static <T> T confirmed(Kind<T> kind, String id, Optional<T> atLedger, Function<T, List<String>> differences) {
        String what = kind.name() + " " + id;
        if (atLedger.isEmpty()) {
            LOG.infof("%s: refused, the ledger does not know it", what);
            throw new PartyException(Status.Code.NOT_FOUND, what + " is not known to the ledger; refused, "
                    + kind.refusedSuffix());
        }
        T copy = atLedger.get();
        List<String> differ = differences.apply(copy);
        if (!differ.isEmpty()) {
            LOG.warnf("%s: refused, the call differs from the ledger's copy in %s", what, differ);
            throw new PartyException(Status.Code.FAILED_PRECONDITION, what + " differs from the ledger's copy in "
                    + String.join(", ", differ) + "; refused, " + kind.refusedSuffix());
        }
        if (!kind.open().apply(copy)) {
            String status = kind.status().apply(copy);
            LOG.infof("%s: refused, it is %s at the ledger", what, status);
            throw new PartyException(Status.Code.FAILED_PRECONDITION, what + " is " + status + " at the ledger (not "
                    + kind.openStates() + "); refused, " + kind.refusedSuffix());
        }
        return copy;
    }
}
