package io.keyfed.connector.forward;

import io.keyfed.connector.metrics.KindMetrics;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What differs between the kinds of request the connector relays (key requests, sign requests); the watch,
 * decision, queue, retry, trace and metrics runtime around it is shared ({@code LedgerWatchClient}'s streams,
 * {@link ForwardingService}, {@link RequestForwarder}, {@link DeadlineRetry}).
 *
 * @param <E> the ledger's watch event
 * @param <R> the request it carries
 * @param <A> the party's signed answer, relayed to the ledger as is
 */
public interface RequestKind<E, R, A> {

    /** Short name for logs and status: "key" or "sign". */
    String label();

    /** Name of the party's call, for logs ("Keygen", "Sign"). */
    String partyCall();

    /** Name of the ledger's call that takes the answer, for logs ("FulfilKeyRequest", "FulfilSignatureRequest"). */
    String ledgerCall();

    /** This kind's meters. */
    KindMetrics metrics();

    /** The ledger's stream of this kind's open requests of the keyring, from {@code cursor} (0 = replay). */
    Multi<E> watch(String keyringAddr, long cursor);

    long cursor(E event);

    R request(E event);

    String traceparent(E event);

    long id(R request);

    /** Milliseconds since the Unix epoch; 0 when the request has none. */
    long deadlineMillis(R request);

    /** Whether the request should be handed to this connector's party. Pure. */
    ForwardDecision decide(R request, String keyringAddr, String partyAddr, long nowMillis);

    /** Asks the party for its signed answer, with a gRPC deadline {@code remainingMillis} from now. */
    Uni<A> ask(R request, String chainId, String traceparent, long remainingMillis);

    /** Why the answer cannot be relayed as the party's answer to this request, or null when it can. */
    String check(R request, A answer, String partyAddr);

    /** Sends the answer unchanged to the ledger; the request's status after it, for the log. */
    Uni<String> fulfil(A answer, long remainingMillis);

    /** True when the answer is FULFILLED (counted as fulfilled; anything else as rejected). */
    boolean fulfilled(A answer);

    /** The answer's status and the party's reason, for the log. */
    String describe(A answer);

    /**
     * Whether a call that stopped without retry means the request is already final or already answered (not
     * counted), rather than a refusal (counted as rejected).
     */
    default boolean alreadyDone(DeadlineRetry.Stopped stop) {
        return stop.kind() == FailureKind.DONE;
    }
}
