package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignatureScheme;

class VerifiedSignaturesTest {
    private static final Ed25519PrivateKeyParameters KEY = new Ed25519PrivateKeyParameters(new SecureRandom());
    private static final List<ByteString> MESSAGES = List.of(ByteString.copyFromUtf8("pay 1"),
            ByteString.copyFromUtf8("pay 2"), ByteString.copyFromUtf8("pay 3"));

    private static SignRequest request(long id, byte[] verifyingKey) {
        return SignRequest.newBuilder().setId(id).setScheme(SignatureScheme.SIGNATURE_SCHEME_ED25519)
                .setVerifyingKey(ByteString.copyFrom(verifyingKey)).addAllMessages(MESSAGES).build();
    }

    private static SignRequest request(long id) {
        return request(id, KEY.generatePublicKey().getEncoded());
    }

    private static List<ByteString> signatures() {
        List<ByteString> out = new ArrayList<>();
        for (ByteString m : MESSAGES) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, KEY);
            s.update(m.toByteArray(), 0, m.size());
            out.add(ByteString.copyFrom(s.generateSignature()));
        }
        return out;
    }

    private static List<ByteString> flipped(List<ByteString> sigs, int index) {
        List<ByteString> out = new ArrayList<>(sigs);
        byte[] b = sigs.get(index).toByteArray();
        b[5] ^= 1;
        out.set(index, ByteString.copyFrom(b));
        return out;
    }

    /** A check that counts its runs and says every set verifies. */
    private static VerifiedSignatures counting(AtomicInteger runs) {
        return new VerifiedSignatures((scheme, key, messages, sigs) -> {
            runs.incrementAndGet();
            return new VerifiedSignatures.Verdict(-1, List.of());
        });
    }

    @Test
    void theSameSignaturesOfOneRequestAreCheckedOnce() {
        AtomicInteger runs = new AtomicInteger();
        VerifiedSignatures v = counting(runs);
        v.verdict(request(7), signatures());
        v.verdict(request(7), signatures());
        v.verdict(request(7), signatures());
        assertEquals(1, runs.get());
    }

    @Test
    void otherSignaturesAnotherRequestOrAnotherKeyAreCheckedApart() {
        AtomicInteger runs = new AtomicInteger();
        VerifiedSignatures v = counting(runs);
        List<ByteString> sigs = signatures();
        v.verdict(request(7), sigs);
        v.verdict(request(7), flipped(sigs, 0));
        v.verdict(request(8), sigs);
        v.verdict(request(7, new Ed25519PrivateKeyParameters(new SecureRandom()).generatePublicKey().getEncoded()),
                sigs);
        v.verdict(request(7).toBuilder().setMessages(0, ByteString.copyFromUtf8("pay 9")).build(), sigs);
        assertEquals(5, runs.get());
    }

    @Test
    void answersArrivingTogetherShareOneCheck() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        VerifiedSignatures v = counting(runs);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<VerifiedSignatures.Verdict>> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(pool.submit(() -> {
                    start.await();
                    return v.verdict(request(11), signatures());
                }));
            }
            for (Future<VerifiedSignatures.Verdict> f : all) {
                assertTrue(f.get().verifies());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, runs.get());
    }

    @Test
    void realSignaturesVerifyAndABadOneIsNamedByItsIndexEachTime() {
        VerifiedSignatures v = new VerifiedSignatures();
        List<ByteString> sigs = signatures();
        assertTrue(v.verdict(request(21), sigs).verifies());
        assertEquals(List.of(), v.verdict(request(21), sigs).recoveryIds(), "no recovery ids outside ECDSA");

        VerifiedSignatures.Verdict bad = v.verdict(request(21), flipped(sigs, 1));
        assertFalse(bad.verifies());
        assertEquals(1, bad.failed());
        assertEquals(1, v.verdict(request(21), flipped(sigs, 1)).failed(), "the same verdict when asked again");
        assertFalse(v.verdict(request(22, new Ed25519PrivateKeyParameters(new SecureRandom()).generatePublicKey()
                .getEncoded()), sigs).verifies(), "valid signatures under another key do not verify");
    }
}
