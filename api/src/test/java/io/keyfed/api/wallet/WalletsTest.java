package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;

class WalletsTest {
    /** Compressed secp256k1 generator G (private key 1). */
    static final byte[] G = Vectors.hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    static final byte[] G_HASH160 = Vectors.hex("751e76e8199196d454941c45d1b3a323f1433bd6");
    /** RFC 8032 section 7.1, TEST 1 public key. */
    static final byte[] ED_TEST1 = Vectors.hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    private static List<Wallet> derive(KeyType t, byte[] key, WalletType w, List<String> prefixes) {
        return Wallets.derive(t, key, w, prefixes, "zen");
    }

    private static IllegalArgumentException rejects(KeyType t, byte[] key, WalletType w, List<String> prefixes,
            String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Wallets.derive(t, key, w, prefixes, "zen"));
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    // ---- NATIVE ----

    @Test
    void nativeMatchesThePublishedCosmosAddressOfG() {
        for (JsonNode v : Vectors.list(Vectors.load("native.json").get("keys"))) {
            byte[] key = Vectors.hex(v.get("publicKey").asText());
            // The hash160 is the BIP-173 P2WPKH example's witness program.
            assertArrayEquals(Vectors.hex(v.get("hash160").asText()),
                    SegwitAddress.decode("bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").program());
            List<Wallet> w = derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, key, WalletType.WALLET_TYPE_NATIVE,
                    List.of(v.get("prefix").asText()));
            assertEquals(List.of(wallet(WalletType.WALLET_TYPE_NATIVE, v.get("address").asText())), w);
            Bech32.Decoded d = Bech32.decode(w.get(0).getAddress());
            assertArrayEquals(Vectors.hex(v.get("hash160").asText()), d.data());
        }
    }

    @Test
    void nativeGivesOneAddressPerPrefixInOrderWithoutRepeats() {
        List<Wallet> w = derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE,
                List.of("zen", "cosmos", "zen", "osmo"));
        assertEquals(List.of("zen", "cosmos", "osmo"),
                w.stream().map(x -> Bech32.decode(x.getAddress()).hrp()).collect(Collectors.toList()));
        for (Wallet x : w) {
            assertEquals(WalletType.WALLET_TYPE_NATIVE, x.getType());
            assertArrayEquals(G_HASH160, Bech32.decode(x.getAddress()).data());
        }
        assertEquals("cosmos1w508d6qejxtdg4y5r3zarvary0c5xw7k6ah60c", w.get(1).getAddress());
    }

    @Test
    void nativeUsesTheDefaultPrefixWhenNoneAreGiven() {
        List<Wallet> w = Wallets.derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of(),
                "zen");
        assertEquals(1, w.size());
        assertEquals("zen", Bech32.decode(w.get(0).getAddress()).hrp());
        assertEquals(w, Wallets.derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, null,
                "zen"));
        assertEquals(io.keyfed.api.crypto.Addresses.account("zen", G), w.get(0).getAddress());
    }

    // ---- EVM ----

    @Test
    void evmOfG() {
        assertEquals(List.of(wallet(WalletType.WALLET_TYPE_EVM, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")),
                derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_EVM, List.of()));
    }

    @Test
    void evmOfTheNegatedKeyDiffersAndIsChecksummed() {
        // -G has the same x but the other y; Keccak covers y too, so the address differs.
        byte[] negG = G.clone();
        negG[0] = 3;
        String a = derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, negG, WalletType.WALLET_TYPE_EVM, List.of()).get(0)
                .getAddress();
        assertTrue(Eip55.isValid(a), a);
        assertTrue(!a.equalsIgnoreCase("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"));
    }

    // ---- SOLANA ----

    @Test
    void solanaIsBase58OfTheKey() {
        List<Wallet> w = derive(KeyType.KEY_TYPE_EDDSA_ED25519, ED_TEST1, WalletType.WALLET_TYPE_SOLANA, List.of());
        assertEquals(1, w.size());
        String addr = w.get(0).getAddress();
        // Cross-check with an independent BigInteger conversion, and decode back to the key.
        assertEquals(Base58Test.reference(ED_TEST1), addr);
        // Pinned value, computed by this encoder and the BigInteger cross-check (not a published vector).
        assertEquals("FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z", addr);
        assertArrayEquals(ED_TEST1, Base58.decode(addr));
        assertEquals(w, derive(KeyType.KEY_TYPE_EDDSA_ED25519, ED_TEST1, WalletType.WALLET_TYPE_UNSPECIFIED,
                List.of()));
    }

    @Test
    void solanaKeyWithLeadingZeroByteKeepsALeadingOne() {
        // Try deterministic private keys until a public key starts with a zero byte (about 1 in 256).
        byte[] key = null;
        for (int i = 1; i < 5000 && key == null; i++) {
            byte[] sk = new byte[32];
            sk[0] = (byte) i;
            sk[1] = (byte) (i >> 8);
            byte[] pk = new byte[32];
            org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(sk, 0, pk, 0);
            if (pk[0] == 0) {
                key = pk;
            }
        }
        assertTrue(key != null, "no key with a leading zero byte found");
        String addr = derive(KeyType.KEY_TYPE_EDDSA_ED25519, key, WalletType.WALLET_TYPE_SOLANA, List.of()).get(0)
                .getAddress();
        assertTrue(addr.startsWith("1"), addr);
        assertArrayEquals(key, Base58.decode(addr));
    }

    // ---- UNSPECIFIED and fitting ----

    @Test
    void unspecifiedGivesEveryFittingWalletInEnumOrder() {
        assertEquals(List.of(WalletType.WALLET_TYPE_NATIVE, WalletType.WALLET_TYPE_NATIVE, WalletType.WALLET_TYPE_EVM),
                types(derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_UNSPECIFIED,
                        List.of("zen", "cosmos"))));
        List<Wallet> btc = derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, G, WalletType.WALLET_TYPE_UNSPECIFIED, List.of());
        assertEquals(List.of(WalletType.WALLET_TYPE_BTC_TESTNET, WalletType.WALLET_TYPE_BTC_MAINNET,
                WalletType.WALLET_TYPE_BTC_REGNET, WalletType.WALLET_TYPE_ZCASH_MAINNET,
                WalletType.WALLET_TYPE_ZCASH_TESTNET), types(btc));
        assertEquals("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", btc.get(0).getAddress());
        assertEquals("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", btc.get(1).getAddress());
        assertEquals(List.of(WalletType.WALLET_TYPE_SOLANA),
                types(derive(KeyType.KEY_TYPE_EDDSA_ED25519, ED_TEST1, WalletType.WALLET_TYPE_UNSPECIFIED, List.of())));
        // Enum order means ascending enum numbers.
        List<Integer> numbers = btc.stream().map(x -> x.getType().getNumber()).collect(Collectors.toList());
        List<Integer> sorted = new ArrayList<>(numbers);
        Collections.sort(sorted);
        assertEquals(sorted, numbers);
    }

    @ParameterizedTest
    @EnumSource(value = WalletType.class, names = {"WALLET_TYPE_UNSPECIFIED", "UNRECOGNIZED"},
            mode = EnumSource.Mode.EXCLUDE)
    void aWalletThatDoesNotFitGivesAnEmptyList(WalletType w) {
        int fits = 0;
        for (KeyType t : new KeyType[] {KeyType.KEY_TYPE_ECDSA_SECP256K1, KeyType.KEY_TYPE_BITCOIN_SECP256K1,
                KeyType.KEY_TYPE_EDDSA_ED25519, KeyType.KEY_TYPE_BITCOIN_TAPROOT}) {
            byte[] key = t == KeyType.KEY_TYPE_EDDSA_ED25519 ? ED_TEST1 : G;
            List<Wallet> out = derive(t, key, w, List.of());
            if (!out.isEmpty()) {
                fits++;
                out.forEach(x -> assertEquals(w, x.getType()));
            }
        }
        assertEquals(1, fits, w + " must fit exactly one key type");
    }

    @Test
    void ecdsaAndBitcoinKeysDoNotShareWallets() {
        assertEquals(List.of(), derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_BTC_MAINNET, List.of()));
        assertEquals(List.of(), derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, G, WalletType.WALLET_TYPE_EVM, List.of()));
        assertEquals(List.of(), derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of()));
        assertEquals(List.of(), derive(KeyType.KEY_TYPE_EDDSA_ED25519, ED_TEST1, WalletType.WALLET_TYPE_NATIVE, List.of()));
    }

    // ---- rejections ----

    @Test
    void rejectsUnspecifiedOrMissingKeyType() {
        rejects(KeyType.KEY_TYPE_UNSPECIFIED, G, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "key type");
        rejects(null, G, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "key type");
        rejects(KeyType.UNRECOGNIZED, G, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "key type");
    }

    @Test
    void rejectsUnknownWalletType() {
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.UNRECOGNIZED, List.of(), "wallet type");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"KEY_TYPE_ECDSA_SECP256K1", "KEY_TYPE_BITCOIN_SECP256K1",
        "KEY_TYPE_BITCOIN_TAPROOT"})
    void rejectsBadSecp256k1Keys(KeyType t) {
        rejects(t, null, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "33-byte compressed");
        rejects(t, new byte[0], WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "33-byte compressed");
        rejects(t, Arrays.copyOf(G, 32), WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "33-byte compressed");
        byte[] uncompressed = Secp256k1.decodePublicKey(G).getEncoded(false);
        rejects(t, uncompressed, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "uncompressed");
        byte[] badPrefix = G.clone();
        badPrefix[0] = 4;
        rejects(t, badPrefix, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "33-byte compressed");
        // x = 5 has no square root of x^3 + 7 mod p on secp256k1, so no point has that x.
        byte[] offCurve = new byte[33];
        offCurve[0] = 2;
        offCurve[32] = 5;
        rejects(t, offCurve, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "secp256k1");
        // x >= p is not a field element.
        byte[] tooBig = new byte[33];
        Arrays.fill(tooBig, (byte) 0xff);
        tooBig[0] = 2;
        rejects(t, tooBig, WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "secp256k1");
        // The key is validated even when the wanted wallet does not fit.
        rejects(t, offCurve, WalletType.WALLET_TYPE_SOLANA, List.of(), "secp256k1");
        // The message names the key type.
        rejects(t, new byte[0], WalletType.WALLET_TYPE_UNSPECIFIED, List.of(),
                t == KeyType.KEY_TYPE_ECDSA_SECP256K1 ? "ecdsa" : t == KeyType.KEY_TYPE_BITCOIN_TAPROOT ? "taproot"
                        : "bitcoin");
    }

    @Test
    void x5IsReallyOffTheCurve() {
        BigInteger p = Secp256k1.PARAMS.getCurve().getField().getCharacteristic();
        BigInteger rhs = BigInteger.valueOf(125 + 7).mod(p);
        // Euler's criterion: rhs^((p-1)/2) == p-1 means non-residue.
        assertEquals(p.subtract(BigInteger.ONE), rhs.modPow(p.subtract(BigInteger.ONE).shiftRight(1), p));
    }

    @Test
    void rejectsBadEd25519Keys() {
        KeyType t = KeyType.KEY_TYPE_EDDSA_ED25519;
        rejects(t, null, WalletType.WALLET_TYPE_SOLANA, List.of(), "32 bytes");
        rejects(t, new byte[31], WalletType.WALLET_TYPE_SOLANA, List.of(), "32 bytes, got 31");
        rejects(t, Arrays.copyOf(ED_TEST1, 33), WalletType.WALLET_TYPE_SOLANA, List.of(), "32 bytes, got 33");
        rejects(t, G, WalletType.WALLET_TYPE_SOLANA, List.of(), "32 bytes");
        // Identity (y = 1) and the order-4 point with y = 0: small order.
        byte[] identity = new byte[32];
        identity[0] = 1;
        rejects(t, identity, WalletType.WALLET_TYPE_SOLANA, List.of(), "not a valid point");
        rejects(t, new byte[32], WalletType.WALLET_TYPE_SOLANA, List.of(), "not a valid point");
        // y = p (non-canonical encoding of y = 0).
        byte[] yIsP = Vectors.hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        rejects(t, yIsP, WalletType.WALLET_TYPE_SOLANA, List.of(), "not a valid point");
        // y = 2 is not on the curve: (y^2 - 1) / (d y^2 + 1) is not a square.
        byte[] y2 = new byte[32];
        y2[0] = 2;
        rejects(t, y2, WalletType.WALLET_TYPE_SOLANA, List.of(), "not a valid point");
        // A valid key plus a small-order component (the order-2 point (0, -1)) is not in the prime-order subgroup.
        byte[] mixed = mixedOrder();
        assertTrue(org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(mixed, 0),
                "the mixed-order test key must be on the curve, so only its order is wrong");
        rejects(t, mixed, WalletType.WALLET_TYPE_SOLANA, List.of(), "not a valid point");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Zen", "ZEN", "ze n", "zen\u007f", "zen\u00e9", "zen\n"})
    void rejectsBadPrefixes(String prefix) {
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of("zen", prefix), "prefix");
    }

    @Test
    void rejectsPrefixesThatAreTooLong() {
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of("a".repeat(84)),
                "longer than 83");
        // 52..83 characters are valid hrps, but a 20-byte address under them breaks bech32's 90-character limit.
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of("a".repeat(52)),
                "90-character");
        String longest = "a".repeat(51);
        String addr = derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of(longest))
                .get(0).getAddress();
        assertEquals(90, addr.length());
        assertEquals(longest, Bech32.decode(addr).hrp());
    }

    @Test
    void acceptsUnusualButValidPrefixes() {
        for (String p : List.of("a", "?", "1", "zen1", "!#$%&()*+,-./:;<=>?@[]^_`{|}~")) {
            String addr = derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of(p)).get(0)
                    .getAddress();
            Bech32.Decoded d = Bech32.decode(addr);
            assertEquals(p, d.hrp());
            assertArrayEquals(G_HASH160, d.data());
        }
    }

    @Test
    void rejectsNullPrefixEntriesAndABadDefault() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, withNull, "prefix");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wallets.derive(
                KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, List.of(), "Bad"));
        assertTrue(e.getMessage().startsWith("default bech32 prefix"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wallets.derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G,
                WalletType.WALLET_TYPE_NATIVE, List.of(), null));
    }

    @Test
    void capsTheNumberOfPrefixes() {
        List<String> sixteen = IntStream.range(0, 16).mapToObj(i -> "p" + i).collect(Collectors.toList());
        assertEquals(16, derive(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, sixteen).size());
        List<String> seventeen = new ArrayList<>(sixteen);
        seventeen.add("p16");
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE, seventeen, "too many");
        // The cap counts what was asked for, repeats included.
        rejects(KeyType.KEY_TYPE_ECDSA_SECP256K1, G, WalletType.WALLET_TYPE_NATIVE,
                Collections.nCopies(17, "zen"), "too many");
    }

    private static Wallet wallet(WalletType t, String address) {
        return Wallet.newBuilder().setType(t).setAddress(address).build();
    }

    private static List<WalletType> types(List<Wallet> w) {
        return w.stream().map(Wallet::getType).collect(Collectors.toList());
    }

    /** ED_TEST1 + (0, -1): adding the order-2 point maps (x, y) to (-x, -y). */
    private static byte[] mixedOrder() {
        BigInteger p = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
        byte[] le = ED_TEST1.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        BigInteger y = new BigInteger(1, reverse(le));
        BigInteger negY = p.subtract(y).mod(p);
        byte[] out = reverse(toFixed(negY));
        // -x flips the sign bit (x is non-zero for this key).
        if (!xOdd) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static byte[] toFixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
