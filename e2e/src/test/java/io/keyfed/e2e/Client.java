package io.keyfed.e2e;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tls.TlsFileException;
import io.keyfed.cli.tls.TlsFiles;
import io.keyfed.cli.tx.TxSubmitter;

/** The owner's and admin's side, through the ledger's REST API with the project's own client library. */
final class Client {
    private final LedgerClient ledger;
    private final TxSubmitter submitter;

    /** A client of the federation's ledger over TLS, trusting the run's CA (no client certificate). */
    Client(Federation fed) throws TlsFileException {
        this.ledger = new LedgerClient(fed.ledgerUrl(), new TlsFiles(fed.caFile(), null, null));
        this.submitter = new TxSubmitter(new LedgerApi(ledger));
    }

    LedgerClient ledger() {
        return ledger;
    }

    static SigningKey newKey(String name) {
        return SigningKey.generate(name, new SecureRandom());
    }

    /** Signs and submits one transaction; sequences are counted locally, so one signer's transactions pipeline. */
    JsonNode tx(SigningKey signer, Consumer<TxBody.Builder> msg) throws LedgerClientException {
        return submitter.submit(signer, msg);
    }

    /** As {@link #tx(SigningKey, Consumer)}, submitted with the given W3C traceparent (null: a new trace). */
    JsonNode tx(SigningKey signer, Consumer<TxBody.Builder> msg, String traceparent) throws LedgerClientException {
        return submitter.submit(signer, msg, traceparent);
    }

    String newWorkspace(SigningKey owner) throws LedgerClientException {
        return tx(owner, b -> b.setNewWorkspace(MsgNewWorkspace.newBuilder())).path("created_address").asText();
    }

    String newKeyring(SigningKey admin, int threshold, long fee, List<Federation.Party> parties) throws LedgerClientException {
        return newKeyring(admin, threshold, fee, 0, "e2e federation", parties);
    }

    /** A keyring of {@code parties} with the given fees, made by {@code admin}; returns its address. */
    String newKeyring(SigningKey admin, int threshold, long keyFee, long sigFee, String description,
            List<Federation.Party> parties) throws LedgerClientException {
        MsgNewKeyring.Builder m = MsgNewKeyring.newBuilder().setDescription(description).setPartyThreshold(threshold)
                .setKeyReqFee(Long.toString(keyFee)).setSigReqFee(Long.toString(sigFee));
        for (Federation.Party p : parties) {
            m.addParties(KeyringParty.newBuilder().setAddress(p.address)
                    .setPublicKey(ByteString.copyFrom(HexFormat.of().parseHex(p.publicKeyHex))));
        }
        return tx(admin, b -> b.setNewKeyring(m)).path("created_address").asText();
    }

    void setKeyringActive(SigningKey admin, String keyring, boolean active) throws LedgerClientException {
        tx(admin, b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(keyring).setIsActive(active)));
    }

    long requestKey(SigningKey owner, String workspace, String keyring, String type, long timeoutSeconds)
            throws LedgerClientException {
        return requestKeyTx(owner, workspace, keyring, type, timeoutSeconds).path("key_request_id").asLong();
    }

    /** Submits a key request; returns the ledger's whole answer (height, hash, key_request_id). */
    JsonNode requestKeyTx(SigningKey owner, String workspace, String keyring, String type, long timeoutSeconds)
            throws LedgerClientException {
        return tx(owner, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder().setWorkspaceAddr(workspace)
                .setKeyringAddr(keyring).setKeyType(type).setTimeoutSeconds(timeoutSeconds)));
    }

    /** Submits a key request with the given W3C traceparent (the client's span of the request's trace). */
    JsonNode requestKeyTx(SigningKey owner, String workspace, String keyring, String type, long timeoutSeconds,
            String traceparent) throws LedgerClientException {
        return tx(owner, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder().setWorkspaceAddr(workspace)
                .setKeyringAddr(keyring).setKeyType(type).setTimeoutSeconds(timeoutSeconds)), traceparent);
    }

    JsonNode request(long id) throws LedgerClientException {
        return ledger.get("/v1/treasury/key-requests/" + id);
    }

    JsonNode key(long id) throws LedgerClientException {
        return ledger.get("/v1/treasury/keys/" + id);
    }

    long balance(String address) throws LedgerClientException {
        return Long.parseLong(ledger.get("/v1/bank/balances/" + address).path("amount").asText());
    }

    JsonNode params() throws LedgerClientException {
        return ledger.get("/v1/params");
    }

    /** Waits until the request is final; returns it. */
    JsonNode awaitFinal(long id, long timeoutSeconds) throws Exception {
        return awaitFinal("request " + id, timeoutSeconds, () -> request(id));
    }

    /** Submits a sign request for {@code messages} with key {@code keyId}; returns its id (sign_request_id). */
    long requestSignatures(SigningKey owner, long keyId, List<byte[]> messages, long timeoutSeconds)
            throws LedgerClientException {
        MsgNewSignatureRequest.Builder m = MsgNewSignatureRequest.newBuilder().setKeyId(keyId)
                .setTimeoutSeconds(timeoutSeconds);
        messages.forEach(msg -> m.addMessages(ByteString.copyFrom(msg)));
        return tx(owner, b -> b.setNewSignatureRequest(m)).path("sign_request_id").asLong();
    }

    JsonNode signRequest(long id) throws LedgerClientException {
        return ledger.get("/v1/treasury/sign-requests/" + id);
    }

    /** Waits until the sign request is FULFILLED or REJECTED; returns it. */
    JsonNode awaitSignFinal(long id, long timeoutSeconds) throws Exception {
        return awaitFinal("sign request " + id, timeoutSeconds, () -> signRequest(id));
    }

    private interface Fetch {
        JsonNode get() throws LedgerClientException;
    }

    /** Polls {@code fetch} every 100 ms until its status ends in FULFILLED or REJECTED; fails after the timeout. */
    private static JsonNode awaitFinal(String what, long timeoutSeconds, Fetch fetch) throws Exception {
        long until = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        JsonNode r = fetch.get();
        while (System.nanoTime() < until) {
            String st = r.path("status").asText();
            if (st.endsWith("FULFILLED") || st.endsWith("REJECTED")) {
                return r;
            }
            Thread.sleep(100);
            r = fetch.get();
        }
        throw new AssertionError(what + " not final after " + timeoutSeconds + " s: " + r);
    }
}
