package io.keyfed.ledger.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A scheme left out of {@code keyfed.ledger.signing.schemes} (here ecdsa, with the setting narrowed to
 * {@code ed25519,bip340}) is refused with FAILED_PRECONDITION naming it, and changes nothing.
 */
@QuarkusTest
@TestProfile(SignSchemeNotEnabledTest.SchnorrOnly.class)
@WithTestResource(PostgresTestResource.class)
class SignSchemeNotEnabledTest {
    private static final TestAccount OWNER = TestKeys.account(9);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(196);
    private static final TestAccount B = TestKeys.account(197);

    /** The ledger with only the Schnorr schemes enabled. */
    public static class SchnorrOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfed.ledger.signing.schemes", "ed25519,bip340");
        }
    }

    @GrpcClient("ledger")
    Ledger ledger;

    @Test
    void aKeyWhoseSchemeIsNotEnabledIsRefusedNamingTheScheme() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 1, "10", A, B);
        long ecdsa = SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ecdsa",
                Secp256k1.publicKeyOf(BigInteger.valueOf(424242)), 1, A, B);
        long balance = LedgerRest.balance(OWNER.address());
        long height = LedgerRest.height();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SignSetup.broadcast(ledger, OWNER,
                SignSetup.request(ecdsa, List.of(new byte[32]), 0, "")));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("signature scheme ecdsa"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("supported: ed25519,bip340"),
                e.getStatus().getDescription());
        assertEquals(balance, LedgerRest.balance(OWNER.address()), "no fee taken");
        assertEquals(height, LedgerRest.height(), "nothing logged");
    }
}
