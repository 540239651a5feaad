package io.keyfed.party.session;

import java.util.function.IntFunction;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.pkg.Round1Package;

/**
 * The wording of a session's aborts: the REJECTED reason this party signs and the blame it reports, for a DKG
 * failure found here ({@link #of}), a peer confirming another outcome ({@link #confirmMismatch}) and a peer's
 * complaint ({@link #complaintFrom}). Every reason names the culprit by address and the failed check by its
 * name, or says that no single party is to blame. Pure functions of public data: no state, no secrets.
 */
final class AbortReasons {
    private AbortReasons() {
    }

    /** The session abort for a DKG failure: names the culprit, and is complained about to the peers. */
    static SessionAbort of(SessionSpec spec, DkgAbort a) {
        return new SessionAbort(rejectReason(spec, a), a.error().culprit(), a.error().check(), true);
    }

    /** The REJECTED reason for an abort: names the culprit party's address and the failed check. */
    static String rejectReason(SessionSpec spec, DkgAbort a) {
        DkgError err = a.error();
        String culprit = spec.addressOf(err.culprit());
        String what = describe(err);
        return culprit == null ? "dkg aborted: " + what + " (no single party to blame)"
                : "dkg aborted: party " + culprit + " " + what;
    }

    /** Participant {@code j} confirmed a different public outcome than this party's; complained about. */
    static SessionAbort confirmMismatch(SessionSpec spec, int j) {
        return new SessionAbort("dkg aborted: party " + spec.addressOf(j)
                + " confirmed a different group key or verification shares (confirm_mismatch)",
                j, "confirm_mismatch", true);
    }

    /**
     * The session abort for a peer's complaint; not passed on. A complaint with evidence about a round-2 share is
     * judged ({@link ComplaintEvidence#judge}) and blames the accused (a true complaint) or the complainer (a false
     * one); a complaint without evidence reports what the complainer says and blames no one. {@code packages}
     * gives the round-1 package a participant sent (null when there is none).
     */
    static SessionAbort complaintFrom(SessionSpec spec, String complainer, KeyConfirmation.Complaint c,
            IntFunction<Round1Package> packages) {
        String accused = c.culprit() == 0 ? null : spec.addressOf(c.culprit());
        int accuser = spec.identifierOf(complainer);
        if (c.evidence() != null) {
            ComplaintEvidence.Verdict v = ComplaintEvidence.judge(spec, accuser, c.culprit(), c.evidence(), packages);
            if (v.senderFault() != null) {
                DkgError err = v.senderFault();
                return new SessionAbort("dkg aborted: party " + accused + " " + describe(err) + " to party "
                        + complainer + ", shown by the evidence in its complaint", err.culprit(), err.check(), false);
            }
            if (v.accuserFault() != null) {
                return new SessionAbort("dkg aborted: party " + complainer + " made a false complaint against party "
                        + (accused == null ? "(none)" : accused) + ": " + v.accuserFault() + " (false_complaint)",
                        accuser, "false_complaint", false);
            }
            return new SessionAbort("dkg aborted: party " + complainer + " reports party " + accused + " "
                    + describeCheck(c.check()) + ", with evidence this party cannot judge: " + v.undecided()
                    + " (no single party to blame)", 0, c.check(), false);
        }
        String what = describeCheck(c.check());
        String reason = accused == null
                ? "dkg aborted: party " + complainer + " reports a failed " + c.check()
                        + " check (no single party to blame)"
                : "dkg aborted: party " + complainer + " reports party " + accused + " " + what
                        + ", without evidence (no single party to blame)";
        return new SessionAbort(reason, 0, c.check(), false);
    }

    private static String describeCheck(String check) {
        switch (check) {
        case "invalid_share":
            return "sent an invalid share (invalid_share)";
        case "invalid_proof":
            return "sent an invalid proof of knowledge (invalid_proof)";
        case "equivocation":
            return "equivocated (equivocation)";
        case "false_echo":
            return "sent a false echo (false_echo)";
        case "invalid_signature":
            return "sent a round-1 package without its valid signature (invalid_signature)";
        case "malformed_message":
            return "sent a malformed message (malformed_message)";
        case "confirm_mismatch":
            return "confirmed a different group key or verification shares (confirm_mismatch)";
        default:
            return "failed the " + check + " check";
        }
    }

    private static String describe(DkgError e) {
        if (e instanceof DkgError.InvalidShare) {
            return "sent an invalid share (invalid_share)";
        }
        if (e instanceof DkgError.InvalidProof) {
            return "sent an invalid proof of knowledge (invalid_proof)";
        }
        if (e instanceof DkgError.InvalidCommitmentCount c) {
            return "sent " + c.actual() + " commitments instead of " + c.expected() + " (invalid_commitment_count)";
        }
        if (e instanceof DkgError.Equivocation q) {
            return "equivocated: participant " + q.reporter() + "'s echo shows a second round-1 package it signed"
                    + " (equivocation)";
        }
        if (e instanceof DkgError.FalseEcho f) {
            return "sent a false echo: it claims a round-1 package of participant " + f.subject()
                    + " that participant did not sign (false_echo)";
        }
        if (e instanceof DkgError.InvalidSignature) {
            return "sent a round-1 package without its valid signature (invalid_signature)";
        }
        if (e instanceof DkgError.MalformedMessage m) {
            return "sent a malformed message: " + m.reason() + " (malformed_message)";
        }
        if (e instanceof DkgError.InvalidPoint p) {
            return "sent an invalid point in " + p.field() + " (invalid_point)";
        }
        return "failed the " + e.check() + " check";
    }
}
