package io.keyfed.ledger.grpc;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyResponse;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;
import io.keyfed.api.wallet.SegwitAddress;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Taproot keys on the ledger: requested as "taproot" (or "bitcoin-taproot"), made by the secp256k1 DKG, and
 * queried with their three P2TR wallets and verifying_key = x(Q), the BIP-86 output key.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TaprootKeyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(31);
    private static final TestAccount ADMIN = TestKeys.account(32);
    private static final TestAccount A = TestKeys.account(181);
    private static final TestAccount B = TestKeys.account(182);
    private static final TestAccount C = TestKeys.account(183);
    private static final HexFormat HEX = HexFormat.of();

    @GrpcClient("ledger")
    Ledger ledger;

    private KeyRequest get(long id) {
        return ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    private KeyResponse key(long id, WalletType wanted) {
        return ledger.getKey(KeyByIdRequest.newBuilder().setId(id).setWalletType(wanted).build()).await()
                .atMost(WAIT);
    }

    /** A fulfilled 2-of-3 key of {@code type} in a new workspace; returns the request id. */
    private long fulfilledKey(String ws, String kr, String type, byte[] publicKey) {
        KeyRequest req = get(LedgerRest.newKeyRequest(OWNER, ws, kr, type, 0));
        ledger.fulfilKeyRequest(Parties.fulfil(A, req, publicKey)).await().atMost(WAIT);
        KeyRequest done = ledger.fulfilKeyRequest(Parties.fulfil(B, req, publicKey)).await().atMost(WAIT);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus(), done.getRejectReason());
        return req.getId();
    }

    /** The first scalar from {@code from} whose public key has odd y, so the even-y negation matters. */
    private static BigInteger scalarWithOddY(long from) {
        BigInteger d = BigInteger.valueOf(from);
        while (Secp256k1.publicKeyOf(d)[0] != 3) {
            d = d.add(BigInteger.ONE);
        }
        return d;
    }

    /**
     * x(Q) computed from the private scalar, by another route than the ledger's: d' = d or n − d so that d'·G
     * has even y, then Q = (d' + τ)·G with τ = TaggedHash("TapTweak", x(P)).
     */
    private static byte[] outputKeyOf(BigInteger d) throws Exception {
        BigInteger n = Secp256k1.N;
        ECPoint p = Secp256k1.PARAMS.getG().multiply(d).normalize();
        BigInteger even = p.getAffineYCoord().toBigInteger().testBit(0) ? n.subtract(d) : d;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] tag = sha.digest("TapTweak".getBytes(StandardCharsets.US_ASCII));
        sha.update(tag);
        sha.update(tag);
        sha.update(p.getAffineXCoord().getEncoded());
        BigInteger tweak = new BigInteger(1, sha.digest());
        ECPoint q = Secp256k1.PARAMS.getG().multiply(even.add(tweak).mod(n)).normalize();
        return q.getAffineXCoord().getEncoded();
    }

    private static void assertP2tr(byte[] xq, List<Wallet> wallets) {
        assertEquals(List.of(WalletType.WALLET_TYPE_BTC_TAPROOT_MAINNET, WalletType.WALLET_TYPE_BTC_TAPROOT_TESTNET,
                WalletType.WALLET_TYPE_BTC_TAPROOT_REGNET), wallets.stream().map(Wallet::getType).toList());
        String[] hrps = {"bc", "tb", "bcrt"};
        for (int i = 0; i < 3; i++) {
            String address = wallets.get(i).getAddress();
            assertTrue(address.startsWith(hrps[i] + "1p"), address);
            SegwitAddress.Decoded d = SegwitAddress.decode(hrps[i], address);
            assertEquals(1, d.version(), address);
            assertArrayEquals(xq, d.program(), address);
        }
    }

    @Test
    void aTaprootKeyIsMadeBySecp256k1AndQueriedWithItsP2trWalletsAndOutputKey() throws Exception {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", A, B, C);
        BigInteger d = scalarWithOddY(424242);
        byte[] p = Secp256k1.publicKeyOf(d);
        byte[] xq = outputKeyOf(d);
        long id = fulfilledKey(ws, kr, "taproot", p);
        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, get(id).getKeyType());

        KeyResponse all = key(id, WalletType.WALLET_TYPE_UNSPECIFIED);
        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, all.getKey().getType());
        assertArrayEquals(p, all.getKey().getPublicKey().toByteArray(), "the stored key is the DKG's P");
        assertArrayEquals(xq, all.getKey().getVerifyingKey().toByteArray());
        assertP2tr(xq, all.getWalletsList());
        assertEquals(List.of(all.getWallets(2)), key(id, WalletType.WALLET_TYPE_BTC_TAPROOT_REGNET).getWalletsList());

        JsonPath rest = RestAssured.get("/v1/treasury/keys/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals("KEY_TYPE_BITCOIN_TAPROOT", rest.getString("key.type"));
        assertEquals(HEX.formatHex(xq), rest.getString("key.verifying_key"));
        assertEquals(HEX.formatHex(p), rest.getString("key.public_key"));
        assertEquals(all.getWalletsList().stream().map(Wallet::getAddress).toList(),
                rest.getList("wallets.address"));
        assertEquals(List.of("WALLET_TYPE_BTC_TAPROOT_MAINNET", "WALLET_TYPE_BTC_TAPROOT_TESTNET",
                "WALLET_TYPE_BTC_TAPROOT_REGNET"), rest.getList("wallets.type"));
        RestAssured.get("/v1/treasury/keys/" + id + "?wallet_type=BTC_TAPROOT_TESTNET").then().statusCode(200)
                .body("wallets.size()", equalTo(1))
                .body("wallets[0].address", equalTo(all.getWallets(1).getAddress()));
    }

    @Test
    void theKeyListCarriesEachKeysVerifyingKey() throws Exception {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", A, B, C);
        BigInteger d = BigInteger.valueOf(987654321);
        byte[] p = Secp256k1.publicKeyOf(d);
        long taproot = fulfilledKey(ws, kr, "bitcoin-taproot", p);
        long ecdsa = fulfilledKey(ws, kr, "ecdsa", p);
        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, get(taproot).getKeyType(), "the alias makes a taproot key");

        List<KeyResponse> listed = ledger.listKeys(ListKeysRequest.newBuilder().setWorkspaceAddr(ws).build())
                .await().atMost(WAIT).getKeysList();
        assertEquals(List.of(taproot, ecdsa), listed.stream().map(k -> k.getKey().getId()).toList());
        Key t = listed.get(0).getKey();
        assertArrayEquals(outputKeyOf(d), t.getVerifyingKey().toByteArray());
        assertP2tr(outputKeyOf(d), listed.get(0).getWalletsList());
        Key e = listed.get(1).getKey();
        assertArrayEquals(p, e.getVerifyingKey().toByteArray(), "an ecdsa key verifies under itself");

        List<Map<String, Object>> rest = RestAssured.get("/v1/treasury/keys?workspace_addr=" + ws).then()
                .statusCode(200).extract().jsonPath().getList("keys");
        assertEquals(HEX.formatHex(outputKeyOf(d)), ((Map<?, ?>) rest.get(0).get("key")).get("verifying_key"));
        assertEquals(HEX.formatHex(p), ((Map<?, ?>) rest.get(1).get("key")).get("verifying_key"));
    }

    @Test
    void aWalletThatDoesNotFitATaprootKeyIsRefusedNamingTheFittingOnes() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", A, B, C);
        long id = fulfilledKey(ws, kr, "taproot", Secp256k1.publicKeyOf(BigInteger.valueOf(31337)));
        StatusRuntimeException ex = assertThrows(StatusRuntimeException.class,
                () -> key(id, WalletType.WALLET_TYPE_BTC_MAINNET));
        assertEquals(Status.Code.INVALID_ARGUMENT, ex.getStatus().getCode());
        assertTrue(ex.getStatus().getDescription().contains("WALLET_TYPE_BTC_TAPROOT_MAINNET"),
                ex.getStatus().getDescription());
        RestAssured.get("/v1/treasury/keys/" + id + "?wallet_type=EVM").then().statusCode(400);
    }

    @Test
    void aTaprootAnswerWithAnXOnlyKeyIsRefusedAndChangesNothing() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", A, B, C);
        KeyRequest req = get(LedgerRest.newKeyRequest(OWNER, ws, kr, "taproot", 0));
        byte[] xOnly = Arrays.copyOfRange(Secp256k1.publicKeyOf(BigInteger.valueOf(4242)), 1, 33);
        long height = LedgerRest.height();
        StatusRuntimeException ex = assertThrows(StatusRuntimeException.class,
                () -> ledger.fulfilKeyRequest(Parties.fulfil(A, req, xOnly)).await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, ex.getStatus().getCode());
        assertTrue(ex.getStatus().getDescription().contains("33-byte compressed secp256k1"),
                ex.getStatus().getDescription());
        assertEquals(req, get(req.getId()));
        assertEquals(height, LedgerRest.height());
    }
}
