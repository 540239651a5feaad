package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.ShareVerification;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.session.SignedShare;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;
import io.keyfed.party.transport.ShareKey;

/**
 * Forward secrecy of the round-2 shares. A session runs to FULFILLED between two parties' services (a, b) and a
 * third participant (d) run by hand, which keeps its own ephemeral secrets. From what d's server received (the
 * recorded traffic) and both static keys of the pair a–d (the in-token ECDH that the channel keys come from),
 * a's share to d does not open; with d's ephemeral secret of the pair, the key derives and the share opens and
 * matches a's commitments.
 */
class ForwardSecrecyTest {

    @Test
    void aRecordedShareDoesNotOpenWithTheStaticKeysButOpensWithTheSessionsEphemeralSecret() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member d = cluster.member(2);
            long id = 901;
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : List.of(a, b)) {
                calls.add(m.futureStub().keygen(call));
            }
            HandDrivenParty byHand = new HandDrivenParty(d, List.of(a, b), call);
            DkgResult dResult;
            try {
                byHand.start();
                byHand.echo();
                byHand.round2();
                dResult = byHand.finishAndConfirm();
                for (ListenableFuture<KeygenResponse> f : calls) {
                    PartyResponse r = f.get(60, TimeUnit.SECONDS).getResponse();
                    assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.toString());
                    assertArrayEquals(dResult.publicKeyPackage().groupPublicKey(), r.getPublicKey().toByteArray());
                }

                // The recorded traffic from a to d: its ephemeral key, its round-1 package and its round-2 envelope.
                byte[] sid = byHand.sid;
                PeerEnvelope r2 = recorded(d, a, id, EnvelopeCodec.KIND_ROUND2);
                byte[] aEphemeral = HandDrivenParty.ephemeralKeyOf(
                        recorded(d, a, id, EnvelopeCodec.KIND_EPHEMERAL).getPayload().toByteArray());
                int aId = byHand.spec.identifierOf(a.address);
                SignedShare signed = SignedShare.decode(r2.getPayload().toByteArray(), 3, aId);
                byte[] header = byHand.header(a.address, d.address);

                // Both static keys of the pair: the in-token ECDH (from either side) and the channel keys from it,
                // which do authenticate the recorded envelopes.
                PeerIdentity dIdentity = PeerIdentity.verify(d.node().identity(), d.address,
                        d.token.identityPublicKey(), "zen");
                PeerIdentity aIdentity = PeerIdentity.verify(a.node().identity(), a.address,
                        a.token.identityPublicKey(), "zen");
                byte[] pairwise = a.token.ecdh(dIdentity.agreementKey(), ChannelKeys.pairInfo(a.address, d.address));
                assertArrayEquals(pairwise, d.token.ecdh(aIdentity.agreementKey(),
                        ChannelKeys.pairInfo(d.address, a.address)), "both sides derive the same static key");
                DirectionKeys mac = new ChannelKeys(a.token, a.address).direction(dIdentity, sid, a.address, d.address);
                assertTrue(EnvelopeCodec.authentic(mac, r2), "the static channel key authenticates the envelope");
                mac.destroy();

                // Everything derivable from the static keys fails to open the share: the channel-direction key
                // stream (its MAC half and the encryption half the channel used to have), and the share-key
                // derivation fed with the static secret instead of an ephemeral one.
                byte[] stream = hkdf(pairwise, sid, new CanonicalWriter("keyfed/channel-direction/v1")
                        .string(a.address).string(d.address).toByteArray(), 64);
                for (byte[] aesKey : new byte[][] { Arrays.copyOfRange(stream, 0, 32),
                        Arrays.copyOfRange(stream, 32, 64), pairwise }) {
                    assertThrows(GeneralSecurityException.class, () -> aesOpen(aesKey, header, signed.ciphertext()));
                }
                ShareKey fromStatic = ShareKey.derive(pairwise, sid, a.address, d.address, aEphemeral,
                        byHand.ownPublic(a.address));
                assertThrows(GeneralSecurityException.class,
                        () -> EnvelopeCodec.openShare(fromStatic, header, signed.ciphertext()));

                // With d's ephemeral secret of the pair and a's recorded ephemeral public key, it derives and opens.
                byte[] shared = new byte[32];
                assertTrue(X25519.calculateAgreement(byHand.ephemeralSecret(a.address), 0, aEphemeral, 0, shared, 0));
                ShareKey key = ShareKey.derive(shared, sid, a.address, d.address, aEphemeral,
                        byHand.ownPublic(a.address));
                byte[] plain = EnvelopeCodec.openShare(key, header, signed.ciphertext());
                Round2Package share = Round2Package.decode(byHand.spec.curve(), plain, aId);
                Round1Package aCommitments = io.keyfed.party.dkg.pkg.SignedRound1Package.decode(byHand.spec.curve(),
                        recorded(d, a, id, EnvelopeCodec.KIND_ROUND1).getPayload().toByteArray(), aId).pkg();
                ShareVerification.verify(aCommitments, byHand.spec.selfId(), byHand.spec.sessionId(), share);
                Arrays.fill(plain, (byte) 0);
                share.destroy();
                dResult.destroy();
            } finally {
                byHand.destroy();
            }
        }
    }

    /** The envelope of {@code kind} that {@code to}'s server received from {@code from} for request {@code id}. */
    private static PeerEnvelope recorded(PartyCluster.Member to, PartyCluster.Member from, long id, int kind) {
        return to.received.stream().filter(e -> e.getRequestId() == id && e.getKind() == kind
                && e.getSenderAddr().equals(from.address)).findFirst().orElseThrow(
                        () -> new AssertionError("no kind " + kind + " envelope recorded from " + from.address));
    }

    private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    private static byte[] aesOpen(byte[] key, byte[] aad, byte[] ct) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, ct, 0, 12));
        c.updateAAD(aad);
        return c.doFinal(ct, 12, ct.length - 12);
    }
}
