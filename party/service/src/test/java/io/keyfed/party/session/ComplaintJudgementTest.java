package io.keyfed.party.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.LocalSigners;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.Inbound;
import io.keyfed.party.dkg.Participants;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.ShareKey;

/**
 * How a third party judges a complaint's evidence ({@link ComplaintEvidence#judge}), case by case, on a real
 * 2-of-3 DKG run with software identity keys: participant 1 sent participant 2 a share, 2 complains, 3 judges.
 * Also the ephemeral key checks ({@link EphemeralKeys}).
 */
class ComplaintJudgementTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long REQUEST = 77;

    private final Map<Integer, BigInteger> identity = new HashMap<>();
    private final Map<Integer, Round1Package> packages = new HashMap<>();
    private SessionSpec judge;
    private byte[] sid;
    private String sender;
    private String accuser;
    private Round2Package share;
    /** The accused's (1) ephemeral secret for the accuser (2), and the accuser's for the accused. */
    private final byte[] s12 = secret();
    private final byte[] s21 = secret();

    ComplaintJudgementTest() throws DkgAbort {
        Map<String, BigInteger> byAddress = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            BigInteger d = new BigInteger(250, RANDOM).add(BigInteger.ONE);
            byAddress.put(Addresses.account("zen", Secp256k1.publicKeyOf(d)), d);
        }
        List<String> sorted = Participants.sorted(byAddress.keySet());
        KeyRequest.Builder r = KeyRequest.newBuilder().setId(REQUEST).setKeyType(KeyType.KEY_TYPE_ECDSA_SECP256K1)
                .setKeyringAddr(Addresses.account("keyring", Secp256k1.publicKeyOf(BigInteger.TEN)))
                .setPartyThreshold(2).setDeadlineUnixMs(System.currentTimeMillis() + 60_000);
        for (String a : sorted) {
            identity.put(sorted.indexOf(a) + 1, byAddress.get(a));
            r.addParties(KeyringParty.newBuilder().setAddress(a)
                    .setPublicKey(ByteString.copyFrom(Secp256k1.publicKeyOf(byAddress.get(a)))));
        }
        KeygenRequest call = KeygenRequest.newBuilder().setChainId("keyfed-test").setRequest(r).build();
        judge = SessionSpec.validate(call, "zen", sorted.get(2), Secp256k1.publicKeyOf(identity.get(3)),
                System.currentTimeMillis());
        sid = judge.sessionId().toBytes();
        sender = sorted.get(0);
        accuser = sorted.get(1);
        // A real run up to round 2, to get participant 1's commitments and its share for participant 2.
        Map<Integer, Dkg.Round1Output> r1 = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            r1.put(id, Dkg.round1(new DkgParameters(judge.curve(), 2, 3, id, judge.sessionId()), RANDOM));
            packages.put(id, r1.get(id).broadcast());
        }
        // round-1 signatures in memory (the in-token ones are not what this test is about)
        LocalSigners signers = LocalSigners.generate(3, RANDOM);
        Map<Integer, byte[]> sigs = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            sigs.put(id, signers.sign(id, r1.get(id).digest()));
        }
        Map<Integer, Dkg.EchoOutput> echoes = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            List<Inbound<SignedRound1Package>> in = new ArrayList<>();
            for (int j = 1; j <= 3; j++) {
                if (j != id) {
                    in.add(new Inbound<>(j, new SignedRound1Package(packages.get(j), sigs.get(j))));
                }
            }
            echoes.put(id, Dkg.echo(r1.get(id).state(), sigs.get(id), in, signers));
        }
        List<Inbound<EchoPackage>> toSender = List.of(new Inbound<>(2, echoes.get(2).broadcast()),
                new Inbound<>(3, echoes.get(3).broadcast()));
        for (Round2Package p : Dkg.round2(echoes.get(1).state(), toSender).shares()) {
            if (p.recipient() == 2) {
                share = p;
            }
        }
    }

    private static byte[] secret() {
        byte[] s = new byte[32];
        X25519.generatePrivateKey(RANDOM, s);
        return s;
    }

    /** Evidence as the accuser would send it: {@code plain} encrypted as the sender would, signed by {@code signer}. */
    private byte[] evidence(byte[] plain, int signer, byte[] senderKey, byte[] revealed, boolean tamperAfterSigning) {
        byte[] e12 = senderKey;
        byte[] e21 = EphemeralKeys.publicOf(s21);
        byte[] shared = EphemeralKeys.agree(s21, e12);
        byte[] ct;
        if (shared == null) {
            ct = new byte[60];
        } else {
            ShareKey key = ShareKey.derive(shared, sid, sender, accuser, e12, e21);
            ct = plain == null ? garbage(60) : EnvelopeCodec.encryptShare(key,
                    EnvelopeCodec.header(REQUEST, sid, sender, accuser, EnvelopeCodec.KIND_ROUND2), plain);
        }
        ShareStatement st = new ShareStatement(1, List.of(new ShareStatement.Entry(2, e12, e21, SignedShare.hash(ct)),
                new ShareStatement.Entry(3, EphemeralKeys.publicOf(secret()), EphemeralKeys.publicOf(secret()),
                        SignedShare.hash(garbage(60)))));
        byte[] sig = Secp256k1.sign(identity.get(signer), st.signBytes(sid, sender));
        if (tamperAfterSigning) {
            ct[ct.length - 1] ^= 1;
        }
        return new ComplaintEvidence(new SignedShare(ct, st, sig), revealed).encode();
    }

    private byte[] validEvidence() {
        return evidence(share.encode(), 1, EphemeralKeys.publicOf(s12), s21, false);
    }

    private static byte[] garbage(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private ComplaintEvidence.Verdict judge(byte[] evidence) {
        return judge(evidence, 1, packages::get);
    }

    private ComplaintEvidence.Verdict judge(byte[] evidence, int accused, IntFunction<Round1Package> known) {
        return ComplaintEvidence.judge(judge, 2, accused, evidence, known);
    }

    private static void blamesAccuser(ComplaintEvidence.Verdict v, String why) {
        assertNull(v.senderFault(), String.valueOf(v));
        assertNotNull(v.accuserFault(), String.valueOf(v));
        assertTrue(v.accuserFault().contains(why), v.accuserFault());
    }

    private static void blamesSender(ComplaintEvidence.Verdict v, String check) {
        assertNotNull(v.senderFault(), String.valueOf(v));
        assertEquals(1, v.senderFault().culprit());
        assertEquals(check, v.senderFault().check());
    }

    @Test
    void aValidShareShownInTheEvidenceBlamesTheAccuser() {
        blamesAccuser(judge(validEvidence()), "decrypts and matches the accused's commitments");
    }

    @Test
    void aShareThatFailsItsCommitmentsBlamesTheSender() {
        byte[] bad = share.encode();
        bad[bad.length - 1] ^= 1;
        blamesSender(judge(evidence(bad, 1, EphemeralKeys.publicOf(s12), s21, false)), "invalid_share");
    }

    @Test
    void aSignedCiphertextThatDoesNotDecryptBlamesTheSender() {
        blamesSender(judge(evidence(null, 1, EphemeralKeys.publicOf(s12), s21, false)), "malformed_message");
    }

    @Test
    void aSignedLowOrderEphemeralKeyBlamesTheSender() {
        blamesSender(judge(evidence(share.encode(), 1, new byte[32], s21, false)), "invalid_point");
    }

    @Test
    void evidenceThatIsNotWhatTheSenderSignedBlamesTheAccuser() {
        blamesAccuser(judge(evidence(share.encode(), 2, EphemeralKeys.publicOf(s12), s21, false)),
                "not signed by the accused");
        blamesAccuser(judge(evidence(share.encode(), 1, EphemeralKeys.publicOf(s12), s21, true)),
                "not the one the accused signed");
        blamesAccuser(judge(validEvidence(), 3, packages::get), "not of the accused");
        blamesAccuser(judge(garbage(200)), "does not decode");
        byte[] truncated = validEvidence();
        blamesAccuser(judge(Arrays.copyOf(truncated, truncated.length - 1)), "does not decode");
    }

    @Test
    void aRevealedSecretThatIsNotTheAccusersBlamesTheAccuser() {
        blamesAccuser(judge(evidence(share.encode(), 1, EphemeralKeys.publicOf(s12), secret(), false)),
                "ephemeral secret it revealed");
    }

    @Test
    void withoutTheSendersCommitmentsNoOneIsBlamed() {
        ComplaintEvidence.Verdict v = judge(validEvidence(), 1, id -> null);
        assertNull(v.senderFault());
        assertNull(v.accuserFault());
        assertTrue(v.undecided().contains("round-1 package"), v.undecided());
    }

    @Test
    void ephemeralKeysMustBeCanonicalAndOfLargeOrder() throws DkgAbort {
        byte[] s = secret();
        assertNotNull(EphemeralKeys.agree(s, EphemeralKeys.publicOf(secret())));
        byte[] p = new byte[32];
        p[0] = (byte) 0xed;
        Arrays.fill(p, 1, 31, (byte) 0xff);
        p[31] = 0x7f;
        byte[] one = new byte[32];
        one[0] = 1;
        byte[] highBit = EphemeralKeys.publicOf(secret());
        highBit[31] |= (byte) 0x80;
        for (byte[] bad : new byte[][] { new byte[32], one, p, highBit, new byte[31] }) {
            assertNull(EphemeralKeys.agree(s, bad));
        }
        // As received in kind 6: refused, naming the sender.
        EphemeralKeys keys = EphemeralKeys.generate(judge, RANDOM);
        DkgAbort a = assertThrows(DkgAbort.class, () -> keys.accept(sender, 1, new byte[] { 1, 0, 32, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        assertEquals(1, a.error().culprit());
        assertEquals("invalid_point", a.error().check());
        assertThrows(DkgAbort.class, () -> keys.accept(sender, 1, new byte[] { 2 }));
        keys.accept(sender, 1, keysPayload(EphemeralKeys.publicOf(secret())));
        assertTrue(keys.has(sender));
        assertNotNull(keys.out(sender));
        keys.destroy();
        assertThrows(IllegalStateException.class, () -> keys.revealSecret(sender));
        assertTrue(keys.toString().contains("REDACTED"));
    }

    private static byte[] keysPayload(byte[] pub) {
        byte[] out = new byte[35];
        out[0] = 1;
        out[2] = 32;
        System.arraycopy(pub, 0, out, 3, 32);
        return out;
    }
}
