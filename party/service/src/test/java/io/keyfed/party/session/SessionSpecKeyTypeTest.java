package io.keyfed.party.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.party.dkg.curve.CurveId;

/** Which DKG each key type runs: taproot keys come from the secp256k1 DKG, unchanged. */
class SessionSpecKeyTypeTest {
    private static final String PREFIX = "zen";

    @Test
    void eachKeyTypeRunsTheDkgOfItsCurve() {
        assertEquals(CurveId.SECP256K1, SessionSpec.curveOf(KeyType.KEY_TYPE_ECDSA_SECP256K1));
        assertEquals(CurveId.SECP256K1, SessionSpec.curveOf(KeyType.KEY_TYPE_BITCOIN_SECP256K1));
        assertEquals(CurveId.SECP256K1, SessionSpec.curveOf(KeyType.KEY_TYPE_BITCOIN_TAPROOT));
        assertEquals(CurveId.ED25519, SessionSpec.curveOf(KeyType.KEY_TYPE_EDDSA_ED25519));
    }

    @Test
    void anUnknownKeyTypeIsRefusedListingTheKnownOnesTaprootIncluded() {
        for (KeyType t : new KeyType[] {KeyType.KEY_TYPE_UNSPECIFIED, KeyType.UNRECOGNIZED}) {
            PartyException e = assertThrows(PartyException.class, () -> SessionSpec.curveOf(t));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("unknown key type"), e.getMessage());
            assertTrue(e.getMessage().contains("64 = taproot secp256k1"), e.getMessage());
        }
    }

    @Test
    void aTaprootKeygenCallIsValidatedAsASecp256k1SessionUnderItsOwnKeyType() {
        byte[] a = Secp256k1.publicKeyOf(BigInteger.valueOf(11));
        byte[] b = Secp256k1.publicKeyOf(BigInteger.valueOf(12));
        String addrA = Addresses.account(PREFIX, a);
        String addrB = Addresses.account(PREFIX, b);
        String keyring = Bech32.encode(Addresses.KEYRING_PREFIX, new byte[20]);
        long now = 1_000_000L;
        KeyRequest r = KeyRequest.newBuilder().setId(9).setKeyringAddr(keyring)
                .setKeyType(KeyType.KEY_TYPE_BITCOIN_TAPROOT).setPartyThreshold(2).setDeadlineUnixMs(now + 60_000)
                .addParties(KeyringParty.newBuilder().setAddress(addrA).setPublicKey(ByteString.copyFrom(a)))
                .addParties(KeyringParty.newBuilder().setAddress(addrB).setPublicKey(ByteString.copyFrom(b)))
                .build();
        KeygenRequest call = KeygenRequest.newBuilder().setChainId("keyfed-test").setRequest(r).build();

        SessionSpec spec = SessionSpec.validate(call, PREFIX, addrA, a, now);

        assertEquals(KeyType.KEY_TYPE_BITCOIN_TAPROOT, spec.keyType());
        assertEquals("secp256k1", spec.curveName());
        byte[] expected = DkgSessionId.derive("keyfed-test", 9, keyring, 64, List.of(addrA, addrB).stream().sorted()
                .toList(), 2);
        assertArrayEquals(expected, spec.sessionId().toBytes());
    }
}
