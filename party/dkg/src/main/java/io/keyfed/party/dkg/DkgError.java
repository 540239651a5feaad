package io.keyfed.party.dkg;

/**
 * The closed set of reasons a DKG run aborts. Every variant names the culprit participant identifier
 * (1..n; {@link #UNATTRIBUTABLE} when no single participant can be blamed) and the check that failed.
 * No variant carries secret material.
 */
public sealed interface DkgError {
    /** Culprit value when the failure cannot be attributed to one participant. */
    int UNATTRIBUTABLE = 0;

    /** Participant identifier of the party blamed for the failure. */
    int culprit();

    /** Short, stable name of the failed check (suitable for a REJECTED reason). */
    String check();

    /** Human-readable description; contains identifiers and sizes only, never secrets. */
    default String describe() {
        return check() + " (culprit participant " + culprit() + ")";
    }

    /** Round-1 package does not carry exactly t commitments. */
    record InvalidCommitmentCount(int culprit, int expected, int actual) implements DkgError {
        public String check() {
            return "invalid_commitment_count";
        }

        public String describe() {
            return check() + ": expected " + expected + ", got " + actual + " (culprit participant " + culprit + ")";
        }
    }

    /** A point failed validation (encoding, on-curve, prime-order subgroup, wrong curve). */
    record InvalidPoint(int culprit, String field) implements DkgError {
        public String check() {
            return "invalid_point";
        }

        public String describe() {
            return check() + " in " + field + " (culprit participant " + culprit + ")";
        }
    }

    /** A commitment (index 0 = the constant term C_i,0) or the proof nonce R is the identity. */
    record IdentityCommitment(int culprit, int index) implements DkgError {
        public String check() {
            return "identity_commitment";
        }
    }

    /** The Schnorr proof of knowledge of a_i,0 does not verify. */
    record InvalidProof(int culprit) implements DkgError {
        public String check() {
            return "invalid_proof";
        }
    }

    /** The round-2 share f_j(i) does not match the sender's Feldman commitments. */
    record InvalidShare(int culprit) implements DkgError {
        public String check() {
            return "invalid_share";
        }
    }

    /** A scalar is not a canonical encoding below the group order. */
    record InvalidScalar(int culprit, String field) implements DkgError {
        public String check() {
            return "invalid_scalar";
        }
    }

    /**
     * Equivocation, proven: {@code reporter}'s echo shows, for the round-1 package of {@code culprit}, a digest
     * other than the one we hold, and both digests carry a valid signature of {@code culprit} for this session.
     * An honest party signs one round-1 package per session, so two signed digests are transferable evidence.
     */
    record Equivocation(int culprit, int reporter) implements DkgError {
        public String check() {
            return "equivocation";
        }

        public String describe() {
            return check() + ": echo of participant " + reporter + " shows a second signed round-1 package of "
                    + "participant " + culprit + " (culprit participant " + culprit + ")";
        }
    }

    /**
     * False echo: the echo of {@code culprit} disagrees with ours about the round-1 package of {@code subject},
     * but the digest it claims carries no valid signature of {@code subject}: the reporter made it up.
     */
    record FalseEcho(int culprit, int subject) implements DkgError {
        public String check() {
            return "false_echo";
        }

        public String describe() {
            return check() + ": echo of participant " + culprit + " claims a round-1 package of participant "
                    + subject + " that participant " + subject + " did not sign (culprit participant " + culprit + ")";
        }
    }

    /** The signature on a round-1 package does not verify under its sender's identity key. */
    record InvalidSignature(int culprit) implements DkgError {
        public String check() {
            return "invalid_signature";
        }
    }

    /** Two packages for the same round from the same sender. */
    record DuplicateSender(int culprit) implements DkgError {
        public String check() {
            return "duplicate_sender";
        }
    }

    /** Sender identifier outside 1..n. */
    record UnknownSender(int culprit) implements DkgError {
        public String check() {
            return "unknown_sender";
        }
    }

    /** The package's sender field differs from the authenticated transport sender. */
    record SenderMismatch(int culprit, int claimed) implements DkgError {
        public String check() {
            return "sender_mismatch";
        }
    }

    /** A peer delivered a package that claims to come from us (reflection / replay of our own package). */
    record ReflectedPackage(int culprit) implements DkgError {
        public String check() {
            return "reflected_package";
        }
    }

    /** A round-2 package is addressed to another participant. */
    record Misaddressed(int culprit, int recipient) implements DkgError {
        public String check() {
            return "misaddressed";
        }
    }

    /** The package's session id is not this session's (e.g. a replay from an older session). */
    record SessionMismatch(int culprit) implements DkgError {
        public String check() {
            return "session_mismatch";
        }
    }

    /** No package from this participant for the round. */
    record MissingPackage(int culprit) implements DkgError {
        public String check() {
            return "missing_package";
        }
    }

    /** Bytes that do not parse as the expected message (version, type, curve, lengths, trailing data). */
    record MalformedMessage(int culprit, String reason) implements DkgError {
        public String check() {
            return "malformed_message";
        }

        public String describe() {
            return check() + ": " + reason + " (culprit participant " + culprit + ")";
        }
    }

    /** Message larger than the decoder's bound; rejected before parsing. */
    record OversizedMessage(int culprit, int size, int max) implements DkgError {
        public String check() {
            return "oversized_message";
        }
    }

    /** Final consistency checks failed (group key identity, Y_i != s_i·G); never released. */
    record InconsistentResult(int culprit, String reason) implements DkgError {
        public String check() {
            return "inconsistent_result";
        }
    }
}
