package io.keyfed.bench.prefill;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyTally;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxBuilder;

/**
 * The records of one finished key request, as the ledger writes them when the request is made and answered: the
 * requester's signed MsgNewKeyRequest (a transaction of the admin, at its next sequence, with the keyring's fee
 * escrowed), then two FULFILLED answers of the keyring's parties, each signed by that party's key over the v2
 * party-response sign bytes with the request's DKG session id: the first makes the request PARTIAL, the second
 * reaches the threshold 2 and makes it FULFILLED with the key and its two holders. The request's data after each
 * step is what the ledger stores and streams (an event per step); the log outcomes are the ledger's own lines.
 * Thread-safe: it holds no state of one key.
 */
final class KeyMaker {
    static final String KEY_TYPE = "ecdsa";
    static final KeyType TYPE = KeyType.KEY_TYPE_ECDSA_SECP256K1;
    static final int THRESHOLD = 2;

    /** A log entry: its kind (the ledger's ChainLog kinds), the logged bytes, the outcome, the sender. */
    record Entry(String kind, byte[] bytes, String outcome, String sender) {
    }

    /** The key request after each of its three steps, its three log entries and the key. */
    record Made(long id, String workspace, List<Entry> entries, List<KeyRequest> steps, byte[] keyData,
            byte[] publicKey) {
        KeyRequest last() {
            return steps.get(steps.size() - 1);
        }
    }

    private final String chainId;
    private final SigningKey admin;
    private final String adminAddr;
    private final String keyring;
    private final List<KeyringParty> parties;
    private final List<SigningKey> partyKeys;
    private final List<String> partyAddrs;
    private final long fee;
    private final long deadlineUnixMs;

    /** {@code parties} sorted by address, {@code partyKeys} in the same order. */
    KeyMaker(String chainId, SigningKey admin, String adminAddr, String keyring, List<KeyringParty> parties,
            List<SigningKey> partyKeys, long fee, long deadlineUnixMs) {
        this.chainId = chainId;
        this.admin = admin;
        this.adminAddr = adminAddr;
        this.keyring = keyring;
        this.parties = List.copyOf(parties);
        this.partyKeys = List.copyOf(partyKeys);
        this.partyAddrs = parties.stream().map(KeyringParty::getAddress).toList();
        this.fee = fee;
        this.deadlineUnixMs = deadlineUnixMs;
    }

    /**
     * Key request {@code id}, made by the admin's transaction of {@code sequence} logged at {@code height}, in
     * {@code workspace}, fulfilled with {@code publicKey} (33-byte compressed). The two answering parties rotate
     * with the id, so every party holds two thirds of the keys.
     */
    Made make(long id, long sequence, long height, String workspace, byte[] publicKey) {
        byte[] tx = TxBuilder.build(admin, chainId, sequence, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                .setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(KEY_TYPE))).toByteArray();
        KeyRequest pending = KeyRequest.newBuilder()
                .setId(id)
                .setCreator(adminAddr)
                .setWorkspaceAddr(workspace)
                .setKeyringAddr(keyring)
                .setKeyType(TYPE)
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                .setFee(Long.toString(fee))
                .setDeadlineUnixMs(deadlineUnixMs)
                .addAllParties(parties)
                .setPartyThreshold(THRESHOLD)
                .setCreatedHeight(height)
                .build();
        List<Entry> entries = new ArrayList<>(3);
        entries.add(new Entry("tx", tx, "key request " + id + " created (" + KEY_TYPE + ", keyring " + keyring
                + ", fee " + fee + " urock escrowed)", adminAddr));

        byte[] sessionId = DkgSessionId.derive(chainId, id, keyring, TYPE.getNumber(), partyAddrs, THRESHOLD);
        int skip = (int) Long.remainderUnsigned(id, parties.size());
        int first = skip == 0 ? 1 : 0;
        int second = skip == 2 ? 1 : 2;
        PartyResponse a = answer(first, id, publicKey, sessionId);
        PartyResponse b = answer(second, id, publicKey, sessionId);
        ByteString pk = ByteString.copyFrom(publicKey);
        String addrA = a.getPartyAddr();
        String addrB = b.getPartyAddr();

        KeyRequest partial = pending.toBuilder()
                .addKeyringPartySigs(signatureOf(a))
                .addTally(KeyTally.newBuilder().setPublicKey(pk).addParties(addrA))
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .build();
        entries.add(new Entry("party_response", a.toByteArray(), "key request " + id + " partial: 1 of threshold "
                + THRESHOLD + " for key " + HexFormat.of().formatHex(publicKey) + " (party " + addrA + ")", addrA));

        List<String> holders = List.copyOf(new TreeSet<>(List.of(addrA, addrB)));
        KeyRequest fulfilled = partial.toBuilder()
                .addKeyringPartySigs(signatureOf(b))
                .clearTally().addTally(KeyTally.newBuilder().setPublicKey(pk).addAllParties(holders))
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(pk)
                .addAllHolders(holders)
                .build();
        entries.add(new Entry("party_response", b.toByteArray(), "key request " + id + " fulfilled by " + THRESHOLD
                + " of " + parties.size() + " parties", addrB));

        byte[] key = Key.newBuilder().setId(id).setWorkspaceAddr(workspace).setKeyringAddr(keyring).setType(TYPE)
                .setPublicKey(pk).build().toByteArray();
        return new Made(id, workspace, entries, List.of(pending, partial, fulfilled), key, publicKey);
    }

    private PartyResponse answer(int party, long id, byte[] publicKey, byte[] sessionId) {
        String addr = partyAddrs.get(party);
        KeyRequestStatus status = KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
        byte[] signBytes = PartyResponseSignBytes.of(chainId, id, keyring, TYPE, addr, status, publicKey, "",
                sessionId);
        return PartyResponse.newBuilder()
                .setRequestId(id)
                .setPartyAddr(addr)
                .setStatus(status)
                .setPublicKey(ByteString.copyFrom(publicKey))
                .setSignature(ByteString.copyFrom(partyKeys.get(party).sign(signBytes)))
                .setSessionId(ByteString.copyFrom(sessionId))
                .build();
    }

    /** What the ledger keeps of an answer (as KeyRequestService's signatureOf). */
    private static PartySignature signatureOf(PartyResponse r) {
        return PartySignature.newBuilder().setCreator(r.getPartyAddr()).setSignature(r.getSignature())
                .setStatus(r.getStatus()).setPublicKey(r.getPublicKey()).setRejectReason(r.getRejectReason())
                .setSessionId(r.getSessionId()).build();
    }
}
