package io.keyfed.cli.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;

class KeyStoreTest {
    @TempDir
    Path home;

    private final SecureRandom random = new SecureRandom();

    @Test
    void createdKeyFileIsOwnerOnly() throws Exception {
        KeyStore ks = new KeyStore(home);
        ks.create("alice", random).destroy();
        Path file = ks.pathOf("alice");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ks.directory())));
        try (var s = Files.list(ks.directory())) {
            assertEquals(List.of(file), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void roundTripGivesTheSameKey() throws Exception {
        KeyStore ks = new KeyStore(home);
        SigningKey created = ks.create("bob", random);
        byte[] pub = created.publicKey();
        String addr = created.address("zen");
        created.destroy();

        SigningKey loaded = ks.load("bob");
        assertArrayEquals(pub, loaded.publicKey());
        assertEquals(addr, loaded.address("zen"));
        assertEquals(Addresses.account("zen", pub), addr);
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        assertTrue(Secp256k1.verify(pub, msg, loaded.sign(msg)));
        assertEquals(List.of("bob"), ks.list());
    }

    @Test
    void refusesGroupReadableKeyFile() throws Exception {
        KeyStore ks = new KeyStore(home);
        ks.create("carol", random).destroy();
        Path file = ks.pathOf("carol");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.load("carol"));
        assertTrue(e.getMessage().contains("accessible by group or others"), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void refusesWorldReadableKeyFile() throws Exception {
        KeyStore ks = new KeyStore(home);
        ks.create("dave", random).destroy();
        Files.setPosixFilePermissions(ks.pathOf("dave"), PosixFilePermissions.fromString("rw----r--"));
        assertThrows(KeyStoreException.class, () -> ks.load("dave"));
    }

    @Test
    void refusesToOverwriteAnExistingKey() throws Exception {
        KeyStore ks = new KeyStore(home);
        SigningKey first = ks.create("erin", random);
        byte[] pub = first.publicKey();
        first.destroy();
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.create("erin", random));
        assertTrue(e.getMessage().contains("already exists"));
        assertArrayEquals(pub, ks.load("erin").publicKey());
    }

    @Test
    void rejectsBadNames() {
        KeyStore ks = new KeyStore(home);
        for (String bad : new String[] {"", "../x", "a/b", ".hidden", "-x", "x".repeat(65)}) {
            assertThrows(KeyStoreException.class, () -> ks.create(bad, random), bad);
        }
        assertFalse(ks.exists("../etc"));
    }

    @Test
    void corruptKeyFileErrorDoesNotEchoItsContent() throws Exception {
        KeyStore ks = new KeyStore(home);
        ks.create("frank", random).destroy();
        Path file = ks.pathOf("frank");
        String secretLooking = "deadbeef".repeat(8);
        Files.writeString(file, "{\"type\":\"secp256k1\",\"private_key\":\"" + secretLooking + "\" oops");
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.load("frank"));
        assertFalse(e.getMessage().contains(secretLooking), e.getMessage());
        assertFalse(e.getMessage().contains("deadbeef"), e.getMessage());
    }

    @Test
    void missingKeyNamesTheFix() {
        KeyStore ks = new KeyStore(home);
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.load("nobody"));
        assertTrue(e.getMessage().contains("keys add nobody"), e.getMessage());
    }

    @Test
    void signingKeyHasNoRevealingToString() throws Exception {
        SigningKey k = new KeyStore(home).create("gina", random);
        String s = k.toString();
        assertTrue(s.startsWith(SigningKey.class.getName() + "@"), s);
        k.destroy();
    }
}
