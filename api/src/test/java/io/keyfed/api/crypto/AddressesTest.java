package io.keyfed.api.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The addresses of created workspaces and keyrings. The ledger has assigned them since its first release and
 * stores them, and the bench's prefill writes them into its tables, so the derivation is pinned to fixed values
 * here: a change to it would orphan every stored record.
 */
class AddressesTest {
    private static final String CREATOR = Bech32.encode(Addresses.DEFAULT_PREFIX, new byte[20]);

    @Test
    void aCreatedWorkspaceAndKeyringKeepTheirAddresses() {
        assertEquals("workspace174fugn260agfrhdh0z9vkmlchpv7we0cywujfa", Addresses.workspace(CREATOR, 0));
        assertEquals("workspace1ae58207pnj2dtyk6cyu0q59dh4jgkvzpvu0lnw", Addresses.workspace(CREATOR, 7));
        assertEquals("keyring1gjdxywg7763zvpvat2ywhchwkf8k2guuttuk38", Addresses.keyring(CREATOR, 0));
    }

    @Test
    void theKindTheCreatorAndTheSequenceEachChangeTheAddress() {
        String other = Bech32.encode(Addresses.DEFAULT_PREFIX, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15, 16, 17, 18, 19, 20 });
        String ws = Addresses.workspace(CREATOR, 0);
        assertNotEquals(ws, Addresses.workspace(CREATOR, 1));
        assertNotEquals(ws, Addresses.workspace(other, 0));
        byte[] wsPayload = Addresses.requireAddress(ws, Addresses.WORKSPACE_PREFIX, "workspace");
        byte[] krPayload = Addresses.requireAddress(Addresses.keyring(CREATOR, 0), Addresses.KEYRING_PREFIX, "keyring");
        assertEquals(20, wsPayload.length);
        assertFalse(Arrays.equals(wsPayload, krPayload), "the tag separates a workspace from a keyring");
    }
}
