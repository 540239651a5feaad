package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The round-1 signatures as evidence: checks the signatures on the received round-1 packages, builds the echo
 * entries, and decides whom a disputing echo blames. Pure; the {@link Round1Verifier} is the caller's.
 */
final class EchoEvidence {
    private EchoEvidence() {
    }

    /**
     * Our own package with our signature, checked like any other (a signer that does not match the verifier's
     * key for us is a local misconfiguration, not a peer's fault).
     */
    static SignedRound1Package own(DkgParameters p, Round1Package own, byte[] signature, Round1Verifier verifier) {
        SignedRound1Package signed = new SignedRound1Package(own, signature);
        if (!verifier.verify(p.self(), Dkg.round1Digest(p.sessionId(), own), signed.signature())) {
            throw new IllegalArgumentException("our own round-1 signature does not verify under our key");
        }
        return signed;
    }

    /** The content checks of a round-1 package (Dkg's), run here only on a package that has no encoding. */
    interface ContentCheck {
        void check(Round1Package pkg) throws DkgAbort;
    }

    /**
     * Checks every peer's signature over the digest of the package it sent (before any check of the package's
     * content) and returns the n digests in identifier order. A signature that does not verify blames its sender.
     * A package built in memory with a point that has no encoding (the identity, another curve's point) cannot
     * have been signed or sent; {@code content} names what is wrong with it.
     */
    static List<byte[]> checkSignatures(DkgParameters p, List<SignedRound1Package> all, Round1Verifier verifier,
                                        ContentCheck content) throws DkgAbort {
        List<byte[]> digests = new ArrayList<>(p.n());
        for (SignedRound1Package s : all) {
            int j = s.pkg().sender();
            byte[] d;
            try {
                d = Dkg.round1Digest(p.sessionId(), s.pkg());
            } catch (IllegalArgumentException unencodable) {
                content.check(s.pkg());
                throw new DkgAbort(new DkgError.InvalidSignature(j));
            }
            if (j != p.self() && !verifier.verify(j, d, s.signature())) {
                throw new DkgAbort(new DkgError.InvalidSignature(j));
            }
            digests.add(d);
        }
        return digests;
    }

    /** The echo entries: each participant's digest with the signature it came with. */
    static List<EchoPackage.Entry> entries(List<SignedRound1Package> all, List<byte[]> digests) {
        List<EchoPackage.Entry> out = new ArrayList<>(all.size());
        for (int k = 0; k < all.size(); k++) {
            out.add(new EchoPackage.Entry(digests.get(k), all.get(k).signature()));
        }
        return out;
    }

    /**
     * Compares reporter j's echo with our digests. Where j's digest for k differs from ours (which k signed):
     * a valid signature of k over j's digest makes two different digests signed by k, so k equivocated; without
     * one, j made the claim up. This holds for k = j (both blame j) and for k = us (we never sign twice, so a
     * valid "second" signature of ours cannot occur unless our key is misused).
     */
    static void compare(DkgParameters p, List<byte[]> ours, EchoPackage echo, Round1Verifier verifier)
            throws DkgAbort {
        int j = echo.sender();
        for (int k = 1; k <= p.n(); k++) {
            EchoPackage.Entry e = echo.entry(k);
            byte[] claimed = e.digest();
            if (MessageDigest.isEqual(claimed, ours.get(k - 1))) {
                continue;
            }
            if (verifier.verify(k, claimed, e.signature())) {
                throw new DkgAbort(new DkgError.Equivocation(k, j));
            }
            throw new DkgAbort(new DkgError.FalseEcho(j, k));
        }
    }
}
