package io.keyfed.ledger.support;

import java.util.List;

import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.TxResult;

/**
 * Shorthands over {@link SignSetup} for the query and stream tests: a new workspace, keyring and FULFILLED
 * ed25519 key in one call, and sign requests made by real MsgNewSignatureRequest transactions.
 */
public final class SignFixtures {
    private static final TestSigner SIGNER = TestSigner.ed25519("sign-queries");

    private SignFixtures() {
    }

    /** A FULFILLED ed25519 key of a new workspace of its owner, on a new keyring. */
    public record TestKey(long id, String workspace, String keyring) {
    }

    /** A t-of-n keyring of {@code parties} with {@code sigReqFee} per message, and a key on it answered by all. */
    public static TestKey ed25519Key(Ledger ledger, TestKeys.TestAccount owner, TestKeys.TestAccount admin,
            int threshold, String sigReqFee, TestKeys.TestAccount... parties) {
        String ws = LedgerRest.newWorkspace(owner);
        String kr = SignSetup.keyring(admin, threshold, sigReqFee, parties);
        long id = SignSetup.fulfilledKey(ledger, owner, ws, kr, "ed25519", SIGNER.publicKey(), threshold, parties);
        return new TestKey(id, ws, kr);
    }

    /** Submits MsgNewSignatureRequest over gRPC and returns the new request's id; fails if it is refused. */
    public static long newSignRequest(Ledger ledger, TestKeys.TestAccount owner, long keyId, long timeoutSeconds,
            byte[]... messages) {
        TxResult r = SignSetup.broadcast(ledger, owner, SignSetup.request(keyId, List.of(messages), timeoutSeconds, ""));
        if (r.getSignRequestId() == 0) {
            throw new AssertionError("sign request refused: " + r.getOutcome());
        }
        return r.getSignRequestId();
    }
}
