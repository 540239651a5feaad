package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.WalletType;

/** Base58Check P2PKH: Zcash transparent (t1 / tm) and Bitcoin (version 0) addresses. */
class TransparentAddressTest {
    static Stream<JsonNode> p2pkh() {
        return Vectors.list(Vectors.load("transparent.json").get("p2pkh")).stream();
    }

    @ParameterizedTest
    @MethodSource("p2pkh")
    void encodesPublishedVectors(JsonNode v) {
        byte[] version = Vectors.hex(v.get("version").asText());
        byte[] hash = Vectors.hex(v.get("hash160").asText());
        String address = v.get("address").asText();
        assertEquals(address, TransparentAddress.p2pkh(version, hash));
        byte[] payload = Base58.decodeCheck(address);
        assertArrayEquals(version, Arrays.copyOf(payload, version.length));
        assertArrayEquals(hash, Arrays.copyOfRange(payload, version.length, payload.length));
    }

    @Test
    void zcashVersionBytesGiveT1AndTmForAnyKey() {
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] key = Secp256k1.publicKeyOf(new BigInteger(255, r).add(BigInteger.ONE));
            var w = Wallets.derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, key, WalletType.WALLET_TYPE_UNSPECIFIED,
                    List.of(), "zen");
            String main = w.stream().filter(x -> x.getType() == WalletType.WALLET_TYPE_ZCASH_MAINNET).findFirst()
                    .orElseThrow().getAddress();
            String test = w.stream().filter(x -> x.getType() == WalletType.WALLET_TYPE_ZCASH_TESTNET).findFirst()
                    .orElseThrow().getAddress();
            assertTrue(main.startsWith("t1"), main);
            assertTrue(test.startsWith("tm"), test);
            assertEquals(35, main.length());
            assertEquals(35, test.length());
            byte[] h = Hashes.hash160(key);
            assertArrayEquals(concat(TransparentAddress.ZCASH_MAINNET, h), Base58.decodeCheck(main));
            assertArrayEquals(concat(TransparentAddress.ZCASH_TESTNET, h), Base58.decodeCheck(test));
        }
    }

    @Test
    void generatorKeyAsZcashMatchesTheBitcoinHashCrossCheck() {
        byte[] g = Vectors.hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        String btc = TransparentAddress.p2pkhOfKey(TransparentAddress.BITCOIN_MAINNET, g);
        assertEquals("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", btc);
        String zec = Wallets.derive(KeyType.KEY_TYPE_BITCOIN_SECP256K1, g, WalletType.WALLET_TYPE_ZCASH_MAINNET,
                List.of(), "zen").get(0).getAddress();
        byte[] btcHash = Arrays.copyOfRange(Base58.decodeCheck(btc), 1, 21);
        byte[] zecHash = Arrays.copyOfRange(Base58.decodeCheck(zec), 2, 22);
        assertArrayEquals(btcHash, zecHash);
    }

    @Test
    void refusesAWrongHashLength() {
        assertThrows(IllegalArgumentException.class,
                () -> TransparentAddress.p2pkh(TransparentAddress.ZCASH_MAINNET, new byte[21]));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
