package io.keyfed.party.session;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * One session's round-2 transport: the ephemeral key agreement ({@link EphemeralKeys}), the shares encrypted
 * under it and signed once in the token ({@link ShareStatement}, {@link SignedShare}), and what a complaint about
 * a received share carries ({@link ComplaintEvidence}). Holds secrets until {@link #destroy()}: the session
 * calls it once Dkg.finish accepted every share, or when it ends. Used under the session's lock.
 */
final class ShareExchange {
    private final SessionSpec spec;
    private final EphemeralKeys keys;
    /** The signed shares received, by sender id: the public part of a complaint's evidence. */
    private final Map<Integer, SignedShare> received = new HashMap<>();
    /** This party's own round-1 package, to judge complaints about its own shares. */
    private Round1Package ownPackage;
    /** The sender whose received share failed a check (0: none): only such a failure is complained with evidence. */
    private int provable;

    ShareExchange(SessionSpec spec, SecureRandom random) {
        this.spec = spec;
        this.keys = EphemeralKeys.generate(spec, random);
    }

    /** The kind-6 payload for {@code peer}. */
    byte[] offer(String peer) {
        return keys.offer(peer);
    }

    /** A peer's kind-6 payload (see {@link EphemeralKeys#accept}). */
    void acceptOffer(String from, int j, byte[] payload) throws DkgAbort {
        keys.accept(from, j, payload);
    }

    /** Whether every peer's ephemeral key arrived (round 2 needs them; the echo waits for them). */
    boolean ready() {
        return keys.complete();
    }

    /** Whether {@code peer}'s ephemeral key arrived. */
    boolean hasOffer(String peer) {
        return keys.has(peer);
    }

    void ownPackage(Round1Package own) {
        this.ownPackage = own;
    }

    /** The round-1 package of participant {@code id}: own, or from {@code inbox}. */
    Round1Package packageOf(int id, Map<Integer, SignedRound1Package> inbox) {
        if (id == spec.selfId()) {
            return ownPackage;
        }
        SignedRound1Package p = inbox.get(id);
        return p == null ? null : p.pkg();
    }

    /**
     * Encrypts every share (after {@code filter}, the misbehaviour seam, rewrote its plaintext) under the pair's
     * share key, signs the statement over the ciphertexts once in {@code token}, and returns the kind-3 payload
     * for every recipient address. Wipes the shares' plaintext.
     */
    Map<String, byte[]> seal(List<Round2Package> shares, BiFunction<String, byte[], byte[]> filter, HsmToken token) {
        if (shares.isEmpty()) {
            return Map.of(); // 1-of-1: nothing to send, nothing to sign
        }
        byte[] sid = spec.sessionId().toBytes();
        Map<String, byte[]> ciphertexts = new LinkedHashMap<>();
        List<ShareStatement.Entry> entries = new ArrayList<>();
        for (Round2Package share : shares) {
            String to = spec.addressOf(share.recipient());
            byte[] plain = share.encode();
            byte[] body = filter.apply(to, plain);
            try {
                byte[] ct = EnvelopeCodec.encryptShare(keys.out(to), EnvelopeCodec.header(spec.requestId(), sid,
                        spec.self(), to, EnvelopeCodec.KIND_ROUND2), body);
                ciphertexts.put(to, ct);
                entries.add(new ShareStatement.Entry(share.recipient(), keys.ownPublic(to), keys.received(to),
                        SignedShare.hash(ct)));
            } finally {
                Arrays.fill(plain, (byte) 0);
                if (body != plain) {
                    Arrays.fill(body, (byte) 0);
                }
                share.destroy();
            }
        }
        entries.sort((a, b) -> Integer.compare(a.recipient(), b.recipient()));
        ShareStatement statement = new ShareStatement(spec.selfId(), entries);
        byte[] signature = token.signIdentity(statement.signBytes(sid, spec.self()));
        Map<String, byte[]> out = new LinkedHashMap<>();
        ciphertexts.forEach((to, ct) -> out.put(to, new SignedShare(ct, statement, signature).encode()));
        return out;
    }

    /**
     * Checks a kind-3 payload from participant {@code j} and returns the decrypted round-2 package bytes (the
     * caller wipes them). The statement must be the sender's, signed by it, name this party's entry with the
     * pair's ephemeral keys as exchanged, and hash this ciphertext; failures blame {@code j}. Once the statement
     * checked out the signed share is kept as evidence, and a ciphertext that does not decrypt is provable.
     */
    byte[] open(String from, int j, byte[] payload) throws DkgAbort {
        if (!keys.has(from)) {
            throw new DkgAbort(new DkgError.MalformedMessage(j, "round-2 share before the sender's ephemeral key"));
        }
        SignedShare s = SignedShare.decode(payload, spec.n(), j);
        ShareStatement st = s.statement();
        if (st.sender() != j) {
            throw malformed(j, "its round-2 statement names participant " + st.sender() + " as the sender");
        }
        ShareStatement.Entry mine = st.entryFor(spec.selfId());
        if (!MessageDigest.isEqual(mine.senderKey(), keys.received(from))
                || !MessageDigest.isEqual(mine.recipientKey(), keys.ownPublic(from))) {
            throw malformed(j, "its round-2 statement binds other ephemeral keys than the pair exchanged");
        }
        if (!MessageDigest.isEqual(mine.ciphertextHash(), SignedShare.hash(s.ciphertext()))) {
            throw malformed(j, "its round-2 statement does not hash the ciphertext it sent");
        }
        byte[] sid = spec.sessionId().toBytes();
        if (!Secp256k1.verify(spec.identityKey(from), st.signBytes(sid, from), s.signature())) {
            throw malformed(j, "its round-2 statement is not signed by its identity key");
        }
        received.put(j, s);
        try {
            return EnvelopeCodec.openShare(keys.in(from), EnvelopeCodec.header(spec.requestId(), sid, from,
                    spec.self(), EnvelopeCodec.KIND_ROUND2), s.ciphertext());
        } catch (GeneralSecurityException e) {
            provable(j);
            throw new DkgAbort(new DkgError.MalformedMessage(j, "encrypted share does not decrypt"));
        }
    }

    private static DkgAbort malformed(int j, String reason) {
        return new DkgAbort(new DkgError.MalformedMessage(j, reason));
    }

    /**
     * Marks {@code culprit}'s received share as the reason of the abort (when its signed share is held), so that
     * the complaint carries the evidence.
     */
    void provable(int culprit) {
        if (received.containsKey(culprit)) {
            provable = culprit;
        }
    }

    /**
     * The evidence against {@code culprit} (revealing this party's ephemeral secret of the pair), or null when
     * the abort is not about a share of {@code culprit} that this party holds signed.
     */
    byte[] evidenceAgainst(int culprit) {
        if (culprit == 0 || culprit != provable || keys.isDestroyed()) {
            return null;
        }
        byte[] secret = keys.revealSecret(spec.addressOf(culprit));
        try {
            return new ComplaintEvidence(received.get(culprit), secret).encode();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Wipes the ephemeral secrets and share keys; drops the evidence. */
    void destroy() {
        keys.destroy();
        received.clear();
        provable = 0;
    }

    @Override
    public String toString() {
        return "ShareExchange[" + keys + "]";
    }
}
