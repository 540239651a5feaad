package io.keyfed.party.dkls;

/**
 * The closed set of reasons a DKLs23 step refuses its input. Every variant names the culprit participant
 * identifier (1..n) or {@link #UNATTRIBUTABLE} when no single party can be named. No variant carries secret
 * material: indices, sizes and identifiers only.
 */
public sealed interface DklsError {
    /** Culprit value when the failure cannot be attributed to one participant. */
    int UNATTRIBUTABLE = 0;

    /** Participant identifier of the party blamed for the failure. */
    int culprit();

    /** Short, stable name of the failed check. */
    String check();

    /** Human-readable description; contains identifiers, indices and sizes only, never secrets. */
    default String describe() {
        return check() + " (culprit participant " + culprit() + ")";
    }

    /** A message of the wrong shape: wrong count, wrong length, an invalid point or scalar encoding. */
    record MalformedMessage(int culprit, String reason) implements DklsError {
        public String check() {
            return "malformed_message";
        }

        public String describe() {
            return check() + ": " + reason + " (culprit participant " + culprit + ")";
        }
    }

    /** The base-OT sender's proof of knowledge of the discrete log of its key B does not verify. */
    record InvalidDlogProof(int culprit) implements DklsError {
        public String check() {
            return "invalid_dlog_proof";
        }
    }

    /** The base-OT receiver sent B itself as an encoded choice (A = B makes A − B the identity). */
    record DegenerateChoice(int culprit, int index) implements DklsError {
        public String check() {
            return "degenerate_choice";
        }

        public String describe() {
            return check() + " at OT " + index + " (culprit participant " + culprit + ")";
        }
    }

    /** The base-OT sender's check of the receiver's challenge response failed: the receiver cheated. */
    record WrongChallengeResponse(int culprit, int index) implements DklsError {
        public String check() {
            return "wrong_challenge_response";
        }

        public String describe() {
            return check() + " at OT " + index + " (culprit participant " + culprit + ")";
        }
    }

    /**
     * The base-OT receiver's checks of the sender's openings failed: the opening for its choice is not the
     * hash of its pad, or the challenge is not the XOR of the openings' hashes. The sender cheated.
     */
    record WrongChallengeOpening(int culprit, int index) implements DklsError {
        public String check() {
            return "wrong_challenge_opening";
        }

        public String describe() {
            return check() + " at OT " + index + " (culprit participant " + culprit + ")";
        }
    }

    /** The opened zero-sharing seed does not match the commitment the peer sent first. */
    record BadSeedOpening(int culprit) implements DklsError {
        public String check() {
            return "bad_seed_opening";
        }
    }

    /** A message from a party other than the expected peer, or for another pair. */
    record WrongPeer(int culprit, int expected) implements DklsError {
        public String check() {
            return "wrong_peer";
        }

        public String describe() {
            return check() + ": message from " + culprit + ", expected " + expected;
        }
    }

    /**
     * A pair's setup was marked unusable after a failed OT or multiplication check that named
     * {@code culprit}; the pair must run a fresh setup before it signs again.
     */
    record SetupUnusable(int culprit) implements DklsError {
        public String check() {
            return "setup_unusable";
        }

        public String describe() {
            return check() + ": run a fresh pairwise setup (the failed check named participant " + culprit + ")";
        }
    }

    /**
     * A pairwise setup this signing session holds, the one with {@code peer}, was retired after the session's
     * round 1: a check failed in another session of the same pair (which named the culprit), or the caller
     * discarded the setup. DKLs18's errata (ePrint 2018/499, revision of July 2023) ask that every concurrent
     * session of the pair then stop, so this session aborts at its next step. It names no culprit: the blame
     * was given once, by the session whose check failed.
     */
    record SetupRetired(int peer) implements DklsError {
        public int culprit() {
            return UNATTRIBUTABLE;
        }

        public String check() {
            return "setup_retired";
        }

        public String describe() {
            return "signing stopped, no culprit named here: " + check() + ": the pairwise setup with participant "
                    + peer + " was retired meanwhile (by another session's failed check or a discard)";
        }
    }

    /**
     * The SoftSpokenOT consistency check failed: the receiver's extension rows do not encode one
     * consistent choice vector. No row index is given: which rows fail would reveal bits of Δ.
     */
    record OtConsistencyCheck(int culprit) implements DklsError {
        public String check() {
            return "ot_consistency_check";
        }
    }

    /**
     * The random-vector OLE check failed on the receiver's side: the sender's correlation is not the same
     * input vector in every OT, or its check values are wrong. The sender is named.
     */
    record MultiplicationCheck(int culprit) implements DklsError {
        public String check() {
            return "multiplication_check";
        }
    }

    /** A signer's opening of its nonce commitment (R_j, salt) does not match the commitment of round 1. */
    record BadCommitmentOpening(int culprit) implements DklsError {
        public String check() {
            return "bad_commitment_opening";
        }
    }

    /**
     * Signer {@code peer} saw other round-1 commitments than this party did: someone sent different
     * commitments to different signers, and the engine cannot tell who.
     */
    record InconsistentCommitments(int culprit, int peer) implements DklsError {
        public String check() {
            return "inconsistent_commitments";
        }

        public String describe() {
            return "signing aborted, no single culprit: " + check() + " (reported with signer " + peer + ")";
        }
    }

    /**
     * The multiplication outputs of {@code culprit} do not match its public values: Γ_0 + d_0·G ≠ φ·X_j or
     * Γ_1 + d_1·G ≠ φ·R_j. The pair's setup is marked unusable.
     */
    record GammaCheck(int culprit) implements DklsError {
        public String check() {
            return "gamma_check";
        }
    }

    /** The signers' key-share points X_j do not add up to the public key. */
    record KeyShareSum(int culprit) implements DklsError {
        public String check() {
            return "key_share_sum";
        }

        public String describe() {
            return "signing aborted, no single culprit: " + check();
        }
    }

    /** A signer's message for this round is missing, repeated, or from outside the signer set. */
    record MissingOrUnexpectedMessage(int culprit) implements DklsError {
        public String check() {
            return "missing_or_unexpected_message";
        }
    }

    /** The combined signature does not verify (a tampered share of the signature, or R = identity). */
    record InvalidSignature(int culprit) implements DklsError {
        public String check() {
            return "invalid_signature";
        }

        public String describe() {
            return "signing aborted, no single culprit: " + check();
        }
    }
}
