package io.keyfed.api.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ServiceIdentityTest {

    @Test
    void eachRoleRoundTripsThroughItsUri() {
        for (ServiceIdentity id : new ServiceIdentity[] { ServiceIdentity.ledger(), ServiceIdentity.party("zen1abc"),
                ServiceIdentity.connector("zen1abc"), new ServiceIdentity(ServiceIdentity.Role.CLIENT, "ops") }) {
            assertEquals(Optional.of(id), ServiceIdentity.parse(id.uri()), id.uri());
        }
        assertEquals("keyfed:party:zen1abc", ServiceIdentity.party("zen1abc").uri());
        assertEquals("keyfed:connector:zen1abc", ServiceIdentity.connector("zen1abc").uri());
    }

    @Test
    void aConnectorIsNeverItsParty() {
        assertTrue(!ServiceIdentity.connector("zen1abc").equals(ServiceIdentity.party("zen1abc")));
    }

    @Test
    void malformedUrisNameNobody() {
        for (String uri : new String[] { null, "", "keyfed:", "keyfed:party", "keyfed:party:", "keyfed:party:a:b",
                "keyfed:admin:x", "spiffe://x/party/zen1abc", "KEYFED:party:zen1abc", "keyfed:ledger:x" }) {
            assertEquals(Optional.empty(), ServiceIdentity.parse(uri), String.valueOf(uri));
        }
    }
}
