package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.keyfed.api.tls.ServiceIdentity;
import io.keyfed.party.session.PartyException;

class PartyAccessTest {
    private static final String SELF = "zen1self";
    private final PartyAccess tlsOnly = new PartyAccess(SELF, false);

    private static Status.Code refusal(Runnable r) {
        return assertThrows(PartyException.class, r::run).toStatus().getCode();
    }

    @Test
    void keygenIsAcceptedOnlyFromTheOwnConnector() {
        assertDoesNotThrow(() -> tlsOnly.requireOwnConnector(Caller.pinned(ServiceIdentity.connector(SELF)), "Keygen"));
        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> tlsOnly.requireOwnConnector(Caller.pinned(ServiceIdentity.connector("zen1other")), "Keygen")));
        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> tlsOnly.requireOwnConnector(Caller.pinned(ServiceIdentity.party(SELF)), "Keygen")));
        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> tlsOnly.requireOwnConnector(Caller.pinned(ServiceIdentity.ledger()), "Keygen")));
    }

    @Test
    void anEnvelopeIsAcceptedOnlyFromTheSenderItNames() {
        assertDoesNotThrow(() -> tlsOnly.requirePeer(Caller.pinned(ServiceIdentity.party("zen1a")), "zen1a", "Deliver"));
        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> tlsOnly.requirePeer(Caller.pinned(ServiceIdentity.party("zen1b")), "zen1a", "Deliver")));
        assertEquals(Status.Code.PERMISSION_DENIED,
                refusal(() -> tlsOnly.requirePeer(Caller.pinned(ServiceIdentity.connector("zen1a")), "zen1a", "Deliver")));
    }

    @Test
    void aTlsCallerWithoutAKeyfedCertificateIsUnauthenticated() {
        Caller anonymous = Caller.ANONYMOUS;
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> tlsOnly.requireOwnConnector(anonymous, "Keygen")));
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> tlsOnly.requirePeer(anonymous, "zen1a", "Deliver")));
        // Development mode does not relax it: over TLS the rules still apply.
        assertEquals(Status.Code.UNAUTHENTICATED,
                refusal(() -> new PartyAccess(SELF, true).requireOwnConnector(anonymous, "Keygen")));
    }

    @Test
    void aCertificateTheCaIssuedButThePartyDoesNotPinIsRefusedWhateverItNames() {
        Caller impostor = new Caller(true, Optional.of(ServiceIdentity.connector(SELF)), false);
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> tlsOnly.requireOwnConnector(impostor, "Keygen")));
        Caller peerImpostor = new Caller(true, Optional.of(ServiceIdentity.party("zen1a")), false);
        assertEquals(Status.Code.PERMISSION_DENIED, refusal(() -> tlsOnly.requirePeer(peerImpostor, "zen1a", "Deliver")));
    }

    @Test
    void plainTextCallersPassOnlyInDevelopmentMode() {
        assertEquals(Status.Code.UNAUTHENTICATED, refusal(() -> tlsOnly.requireOwnConnector(Caller.PLAINTEXT, "Keygen")));
        assertDoesNotThrow(() -> new PartyAccess(SELF, true).requireOwnConnector(Caller.PLAINTEXT, "Keygen"));
    }
}
