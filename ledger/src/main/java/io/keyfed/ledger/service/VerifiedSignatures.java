package io.keyfed.ledger.service;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * The verdict on each distinct set of signatures answered for a sign request, computed once: every party of a
 * session returns the same signatures, and checking them once per answer was a sixth of the ledger's work for
 * FROST.
 *
 * <p>Invariants: a verdict is keyed by everything it depends on (request id, scheme, verifying key, a digest of
 * the messages and one of the signatures), so it is true for any answer with that key; it names no party, each
 * caller names its own; answers with the same key at the same time share one computation (the later ones wait
 * for it, on their worker thread); at most {@value #MAX_VERDICTS} verdicts are kept, none longer than
 * {@link #KEPT_FOR}. Only public values are kept.
 */
@ApplicationScoped
public class VerifiedSignatures {
    /** Verdicts kept: about two minutes of sign requests at a hundred a second. */
    static final long MAX_VERDICTS = 10_000;
    /** How long a verdict is kept after it was computed; a request's answers come within its deadline. */
    static final Duration KEPT_FOR = Duration.ofMinutes(10);

    /** Checks one set of signatures: the index of the first that does not verify, or the recovery ids. */
    @FunctionalInterface
    interface Check {
        Verdict run(SignatureScheme scheme, byte[] verifyingKey, List<byte[]> messages, List<byte[]> signatures);
    }

    /** {@code failed} is the index of the first signature that does not verify, or −1 and the recovery ids. */
    record Verdict(int failed, List<Integer> recoveryIds) {
        boolean verifies() {
            return failed < 0;
        }
    }

    private record Key(long requestId, SignatureScheme scheme, ByteString verifyingKey, ByteString messages,
            ByteString signatures) {
    }

    private final Check check;
    private final Cache<Key, Verdict> verdicts;

    @Inject
    public VerifiedSignatures() {
        this(VerifiedSignatures::checkAll);
    }

    VerifiedSignatures(Check check) {
        this.check = check;
        this.verdicts = Caffeine.newBuilder().maximumSize(MAX_VERDICTS).expireAfterWrite(KEPT_FOR).build();
    }

    /**
     * The verdict on {@code signatures} (one per message of {@code req}), computed at most once per distinct
     * key. Blocking: call it off the event loop.
     */
    Verdict verdict(SignRequest req, List<ByteString> signatures) {
        List<byte[]> messages = req.getMessagesList().stream().map(ByteString::toByteArray).toList();
        List<byte[]> sigs = signatures.stream().map(ByteString::toByteArray).toList();
        Key key = new Key(req.getId(), req.getScheme(), req.getVerifyingKey(),
                ByteString.copyFrom(SignMessages.hash(messages)), ByteString.copyFrom(SignMessages.hash(sigs)));
        return verdicts.get(key, k -> check.run(req.getScheme(), req.getVerifyingKey().toByteArray(), messages, sigs));
    }

    /** Every signature under the key, in order; then, for ECDSA, the recovery ids. */
    private static Verdict checkAll(SignatureScheme scheme, byte[] verifyingKey, List<byte[]> messages,
            List<byte[]> signatures) {
        for (int i = 0; i < messages.size(); i++) {
            if (!SignatureChecks.verifies(scheme, verifyingKey, messages.get(i), signatures.get(i))) {
                return new Verdict(i, List.of());
            }
        }
        return new Verdict(-1, SignatureChecks.recoveryIds(scheme, verifyingKey, messages, signatures));
    }
}
