package io.keyfed.party.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeEach;

class PinSourceTest {
    private Path dir;

    @BeforeEach
    void createDir() throws Exception {
        // java.io.tmpdir (target/tmp, from the parent pom) may not exist yet
        Files.createDirectories(Path.of("target"));
        dir = Files.createTempDirectory(Path.of("target"), "pin-test");
    }

    @Test
    void readsTheFirstLineOfTheFile() throws Exception {
        Path f = dir.resolve("pin");
        Files.write(f, "pin-from-file\r\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("pin-from-file".toCharArray(), PinSource.read(Optional.of(f.toString()), "X", n -> "env-pin"));
        Files.write(f, "no-newline".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("no-newline".toCharArray(), PinSource.read(Optional.of(f.toString()), "X", n -> null));
    }

    @Test
    void fallsBackToTheEnvironmentVariable() {
        Map<String, String> env = Map.of("KEYFED_HSM_USER_PIN", "env-pin");
        assertArrayEquals("env-pin".toCharArray(), PinSource.read(Optional.empty(), "KEYFED_HSM_USER_PIN", env::get));
        assertArrayEquals("env-pin".toCharArray(), PinSource.read(Optional.of(" "), "KEYFED_HSM_USER_PIN", env::get));
    }

    @Test
    void missingOrEmptyPinIsAClearErrorWithoutTheValue() throws Exception {
        HsmException e = assertThrows(HsmException.class, () -> PinSource.read(Optional.empty(), "MY_PIN", n -> null));
        assertEquals(HsmException.Kind.PIN_MISSING, e.kind());
        assertTrue(e.getMessage().contains("MY_PIN"));
        assertEquals(HsmException.Kind.PIN_MISSING,
                assertThrows(HsmException.class, () -> PinSource.read(Optional.empty(), "MY_PIN", n -> "")).kind());
        Path empty = dir.resolve("empty");
        Files.write(empty, "\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(HsmException.Kind.PIN_MISSING, assertThrows(HsmException.class,
                () -> PinSource.read(Optional.of(empty.toString()), "MY_PIN", n -> "x")).kind());
        HsmException missing = assertThrows(HsmException.class,
                () -> PinSource.read(Optional.of(dir.resolve("absent").toString()), "MY_PIN", n -> "x"));
        assertEquals(HsmException.Kind.PIN_MISSING, missing.kind());
        assertTrue(missing.getMessage().contains("pin-file"));
    }

    @Test
    void returnCodesAreFoundInCauseChains() {
        Exception chain = new java.io.IOException("load failed",
                new javax.security.auth.login.LoginException("x") {
                    {
                        initCause(new RuntimeException("CKR_PIN_INCORRECT"));
                    }
                });
        assertEquals("CKR_PIN_INCORRECT", HsmException.findReturnCode(chain));
        assertEquals(null, HsmException.findReturnCode(new RuntimeException("no code")));
        HsmException e = new HsmException(HsmException.Kind.LOGIN, "login failed", chain);
        assertEquals("CKR_PIN_INCORRECT", e.returnCode().orElseThrow());
        assertTrue(e.getMessage().endsWith("[CKR_PIN_INCORRECT]"));
        assertFalse(new HsmException(HsmException.Kind.LOGIN, "x").returnCode().isPresent());
    }
}
