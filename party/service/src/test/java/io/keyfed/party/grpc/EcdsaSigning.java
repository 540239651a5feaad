package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import com.google.protobuf.ByteString;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * What the ECDSA (DKLs23) signing tests share: sign requests for ecdsa and bitcoin keys registered at the cluster's
 * ledger, and the checks of an answer, whose signatures BouncyCastle's {@link ECDSASigner} verifies (no KeyFed code
 * on the verifying side), each with s in the lower half.
 */
final class EcdsaSigning {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
            CURVE.getN(), CURVE.getH());

    private EcdsaSigning() {
    }

    /** {@code count} 32-byte digests, SHA-256 of distinct texts. */
    static List<byte[]> digests(String label, int count) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(MessageDigest.getInstance("SHA-256").digest((label + " " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** An ECDSA sign request (registered at the ledger) for key {@code keyId} of {@code type}, 2-of-3. */
    static SignRequest request(PartyCluster cluster, long id, long keyId, KeyType type, byte[] publicKey,
            List<byte[]> digests) {
        long deadline = System.currentTimeMillis() + 90_000;
        var keyCall = cluster.unregistered(keyId, type, 2, deadline);
        SignRequest.Builder r = SignRequest.newBuilder().setId(id).setKeyId(keyId)
                .setKeyringAddr(keyCall.getRequest().getKeyringAddr()).setKeyType(type)
                .setScheme(SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1)
                .setVerifyingKey(ByteString.copyFrom(publicKey)).addAllParties(keyCall.getRequest().getPartiesList())
                .setPartyThreshold(2).setDeadlineUnixMs(deadline);
        digests.forEach(d -> r.addMessages(ByteString.copyFrom(d)));
        return cluster.ledger.register(r.build());
    }

    /** A request whose attempt 0 is coordinated by {@code coordinator} (the first such id from {@code from}). */
    static SignRequest coordinatedBy(PartyCluster cluster, PartyCluster.Member coordinator, long from, long keyId,
            byte[] key, List<byte[]> digests) {
        for (long id = from;; id++) {
            SignRequest r = request(cluster, id, keyId, KeyType.KEY_TYPE_ECDSA_SECP256K1, key, digests);
            List<String> snapshot = r.getPartiesList().stream().map(KeyringParty::getAddress).toList();
            byte[] sid = SignSessionId.derive(PartyCluster.CHAIN_ID, id, keyId, r.getScheme(),
                    SignMessages.hash(digests), snapshot, 2);
            if (snapshot.get(SignSessionId.coordinator(sid, 0, 3)).equals(coordinator.address)) {
                return r;
            }
        }
    }

    /** Whether {@code signature} (r ‖ s) verifies with BouncyCastle under the compressed key, with low S. */
    static boolean verifiesLowS(byte[] compressedKey, byte[] digest, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(compressedKey), DOMAIN));
        return verifier.verifySignature(digest, r, s) && s.compareTo(CURVE.getN().shiftRight(1)) <= 0;
    }

    /** The sum over the members of {@code keyfed_party_pair_setups_total{outcome}}. */
    static double pairSetups(PartyCluster cluster, String outcome) {
        double sum = 0;
        for (PartyCluster.Member m : cluster.members()) {
            if (m.running()) {
                sum += m.metrics.registry().get("keyfed_party_pair_setups").tags("outcome", outcome).counter().count();
            }
        }
        return sum;
    }

    /** The id of the pairwise setup {@code m} has stored with {@code peer}, or null when it holds none. */
    static byte[] storedSetupId(PartyCluster.Member m, String peer) throws Exception {
        try (Connection c = m.database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT setup_id FROM party_pair_setup WHERE peer_address = ?")) {
            s.setString(1, peer);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    /** FULFILLED by {@code m}, every signature valid and low-S under the key, the answer signed by m's token. */
    static void assertFulfilledAndSigned(SignRequest r, PartySignResponse answer, PartyCluster.Member m) {
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, answer.getStatus(), answer.getRejectReason());
        assertEquals(m.address, answer.getPartyAddr());
        assertEquals(r.getMessagesCount(), answer.getSignaturesCount());
        for (int k = 0; k < r.getMessagesCount(); k++) {
            assertTrue(verifiesLowS(r.getVerifyingKey().toByteArray(), r.getMessages(k).toByteArray(),
                    answer.getSignatures(k).toByteArray()), "signature " + k + " is a low-S ECDSA signature under the"
                            + " key, verified by BouncyCastle");
        }
        byte[] bytes = SignResponseSignBytes.of(PartyCluster.CHAIN_ID, r.getId(), r.getKeyringAddr(), r.getKeyId(),
                r.getKeyType(), r.getScheme(), r.getVerifyingKey().toByteArray(),
                SignMessages.hash(r.getMessagesList().stream().map(ByteString::toByteArray).toList()), m.address,
                answer.getStatus(), answer.getSignaturesList().stream().map(ByteString::toByteArray).toList(), "");
        assertTrue(Secp256k1.verify(m.token.identityPublicKey(), bytes, answer.getSignature().toByteArray()),
                "the answer is signed by the party's identity key");
    }
}
