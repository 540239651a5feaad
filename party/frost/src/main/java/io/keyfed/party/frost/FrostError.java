package io.keyfed.party.frost;

/**
 * The closed set of reasons a signing round refuses its input. Every variant names the culprit participant
 * identifier (1..n) or {@link #UNATTRIBUTABLE} when the engine cannot name one: a signing package that is
 * malformed as a whole comes from whoever assembled it (the coordinator), which the caller knows and the
 * engine does not. No variant carries secret material.
 */
public sealed interface FrostError {
    /** Culprit value when the failure cannot be attributed to one participant. */
    int UNATTRIBUTABLE = 0;

    /** Participant identifier of the party blamed for the failure. */
    int culprit();

    /** Short, stable name of the failed check. */
    String check();

    /** Human-readable description; contains identifiers and sizes only, never secrets. */
    default String describe() {
        return check() + " (culprit participant " + culprit() + ")";
    }

    /** Fewer commitments (or signature shares) than the threshold t. */
    record TooFewSigners(int culprit, int threshold, int actual) implements FrostError {
        public String check() {
            return "too_few_signers";
        }

        public String describe() {
            return check() + ": need " + threshold + ", got " + actual;
        }
    }

    /** The commitment list is not sorted by identifier with every identifier once ({@code at}: first offender). */
    record NotSortedOrDistinct(int culprit, int at) implements FrostError {
        public String check() {
            return "not_sorted_or_distinct";
        }

        public String describe() {
            return check() + ": identifier " + at + " out of order or repeated";
        }
    }

    /** A commitment or share from an identifier outside 1..n. */
    record UnknownSigner(int culprit) implements FrostError {
        public String check() {
            return "unknown_signer";
        }
    }

    /** A nonce commitment is the identity, of another curve, or not a valid encoding. */
    record InvalidCommitment(int culprit, String reason) implements FrostError {
        public String check() {
            return "invalid_commitment";
        }

        public String describe() {
            return check() + ": " + reason + " (culprit participant " + culprit + ")";
        }
    }

    /** The signer's own commitment is not in the package. */
    record OwnCommitmentMissing(int culprit, int self) implements FrostError {
        public String check() {
            return "own_commitment_missing";
        }
    }

    /** The package holds a commitment for the signer that differs from the one it made. */
    record OwnCommitmentChanged(int culprit, int self) implements FrostError {
        public String check() {
            return "own_commitment_changed";
        }
    }

    /** The nonces were already used (or wiped): a nonce pair signs at most once. */
    record NonceReuse(int culprit, int self) implements FrostError {
        public String check() {
            return "nonce_reuse";
        }
    }

    /** The key package, nonces or shares belong to another participant, curve or key. */
    record KeyMismatch(int culprit, String reason) implements FrostError {
        public String check() {
            return "key_mismatch";
        }

        public String describe() {
            return check() + ": " + reason;
        }
    }

    /** A signer in the package sent no signature share. */
    record MissingShare(int culprit) implements FrostError {
        public String check() {
            return "missing_share";
        }
    }

    /** A signature share from a participant that has no commitment in the package, or a second one. */
    record UnexpectedShare(int culprit) implements FrostError {
        public String check() {
            return "unexpected_share";
        }
    }

    /** A signature share that is not a canonical scalar. */
    record MalformedShare(int culprit) implements FrostError {
        public String check() {
            return "malformed_share";
        }
    }

    /** z_j·G != R_j + c·λ_j·Y_j: the share of {@code culprit} is wrong. */
    record InvalidShare(int culprit) implements FrostError {
        public String check() {
            return "invalid_share";
        }
    }

    /** The group commitment R is the identity. */
    record IdentityGroupCommitment(int culprit) implements FrostError {
        public String check() {
            return "identity_group_commitment";
        }
    }

    /** The Taproot tweak is not below the group order (BIP-341: the key cannot be used). */
    record InvalidTweak(int culprit) implements FrostError {
        public String check() {
            return "invalid_tweak";
        }
    }

    /** The aggregated signature does not verify although every share did (never released). */
    record InvalidSignature(int culprit) implements FrostError {
        public String check() {
            return "invalid_signature";
        }
    }
}
