package io.keyfed.party.transport;

import java.util.Arrays;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.api.party.v1.PartyIdentity;

/**
 * A party's verified identity: address, secp256k1 identity key, and the P-256 key-agreement key
 * certified by the identity key.
 *
 * <p>Certification (what {@code PartyIdentity.agreement_key_signature} signs, with the identity key
 * in the token, 64-byte R||S low-S over SHA-256):
 * <pre>CanonicalWriter("keyfed/agreement-key/v1").string(address).bytes(agreement_public_key)</pre>
 * where {@code agreement_public_key} is the 65-byte uncompressed SEC1 point as sent.
 */
public final class PeerIdentity {
    public static final String CERTIFICATION_DOMAIN = "keyfed/agreement-key/v1";
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

    private final String address;
    private final byte[] identityKey;
    private final byte[] agreementKey;

    private PeerIdentity(String address, byte[] identityKey, byte[] agreementKey) {
        this.address = address;
        this.identityKey = identityKey;
        this.agreementKey = agreementKey;
    }

    /** The bytes the identity key signs to certify the agreement key. */
    public static byte[] certificationBytes(String address, byte[] agreementKey) {
        return new CanonicalWriter(CERTIFICATION_DOMAIN).string(address).bytes(agreementKey).toByteArray();
    }

    /** 33-byte compressed (or 65-byte) P-256 point → 65-byte uncompressed SEC1, validated. */
    public static byte[] uncompressedP256(byte[] point) {
        ECPoint p = P256.getCurve().decodePoint(point);
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("not a valid P-256 point");
        }
        return p.getEncoded(false);
    }

    /**
     * Checks what a peer's GetIdentity returned against what the request's snapshot registers.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    public static PeerIdentity verify(PartyIdentity reply, String expectedAddress, byte[] expectedIdentityKey,
            String prefix) {
        if (!expectedAddress.equals(reply.getAddress())) {
            throw new IllegalArgumentException("the endpoint configured for " + expectedAddress + " reports address '"
                    + Addresses.printable(reply.getAddress()) + "'");
        }
        byte[] identity = reply.getIdentityPublicKey().toByteArray();
        if (!Arrays.equals(identity, expectedIdentityKey)) {
            throw new IllegalArgumentException("party " + expectedAddress
                    + " reports an identity key that differs from the one registered in the keyring snapshot");
        }
        if (!Addresses.account(prefix, identity).equals(expectedAddress)) {
            throw new IllegalArgumentException("party " + expectedAddress + " does not derive from its identity key");
        }
        byte[] agreement = reply.getAgreementPublicKey().toByteArray();
        if (agreement.length != 65) {
            throw new IllegalArgumentException("party " + expectedAddress + " sent a " + agreement.length
                    + "-byte agreement key; expected a 65-byte uncompressed P-256 point");
        }
        try {
            uncompressedP256(agreement);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("party " + expectedAddress + " sent an invalid agreement key");
        }
        if (!Secp256k1.verify(identity, certificationBytes(expectedAddress, agreement),
                reply.getAgreementKeySignature().toByteArray())) {
            throw new IllegalArgumentException("party " + expectedAddress
                    + ": the certification of its agreement key does not verify against its identity key");
        }
        return new PeerIdentity(expectedAddress, identity.clone(), agreement.clone());
    }

    public String address() {
        return address;
    }

    public byte[] identityKey() {
        return identityKey.clone();
    }

    /** 65-byte uncompressed P-256 agreement key. */
    public byte[] agreementKey() {
        return agreementKey.clone();
    }

    boolean sameKeys(byte[] identity) {
        return Arrays.equals(identityKey, identity);
    }

    @Override
    public String toString() {
        return "PeerIdentity[" + address + "]";
    }
}
