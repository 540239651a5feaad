package io.keyfed.party.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.party.admin.AdminCredential.Outcome;

/** Reading the admin token file and checking Authorization headers against it. */
class AdminCredentialTest {
    private static final String TOKEN = "0123456789abcdef-admin";

    @TempDir
    Path dir;

    private AdminCredential fromFile(String content) throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, content);
        return new AdminCredential(Optional.of(file));
    }

    @Test
    void withoutATokenFileEveryCallIsRefusedAsDisabled() {
        AdminCredential c = new AdminCredential(Optional.empty());
        assertFalse(c.enabled());
        assertEquals(Outcome.DISABLED, c.check(null));
        assertEquals(Outcome.DISABLED, c.check("Bearer " + TOKEN));
    }

    @Test
    void acceptsOnlyTheBearerTokenOfTheFirstLine() throws Exception {
        AdminCredential c = fromFile(TOKEN + "\nsecond line ignored\n");
        assertTrue(c.enabled());
        assertEquals(Outcome.ALLOWED, c.check("Bearer " + TOKEN));
        assertEquals(Outcome.ALLOWED, c.check("bearer " + TOKEN), "the scheme is case-insensitive");
        assertEquals(Outcome.WRONG, c.check("Bearer " + TOKEN + "0"));
        assertEquals(Outcome.WRONG, c.check("Bearer " + TOKEN.substring(1)));
        assertEquals(Outcome.WRONG, c.check("Bearer second line ignored"));
        assertEquals(Outcome.MISSING, c.check(null));
        assertEquals(Outcome.MISSING, c.check(""));
        assertEquals(Outcome.MISSING, c.check("Bearer "));
        assertEquals(Outcome.MISSING, c.check("Basic " + TOKEN));
        assertEquals(Outcome.MISSING, c.check(TOKEN));
    }

    @Test
    void refusesUnusableTokenFilesNamingTheProblemButNotTheToken() throws Exception {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new AdminCredential(Optional.of(dir.resolve("absent"))));
        assertTrue(missing.getMessage().contains("cannot read the admin token file"), missing.getMessage());
        assertTrue(missing.getMessage().contains("keyfed.party.admin.token-file"), missing.getMessage());
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> fromFile("\n"));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        IllegalStateException shortToken = assertThrows(IllegalStateException.class, () -> fromFile("short-token\n"));
        assertTrue(shortToken.getMessage().contains("shorter than 16"), shortToken.getMessage());
        assertFalse(shortToken.getMessage().contains("short-token"), shortToken.getMessage());
        IllegalStateException spaces = assertThrows(IllegalStateException.class,
                () -> fromFile("0123456789 abcdef xyz\n"));
        assertTrue(spaces.getMessage().contains("spaces or control characters"), spaces.getMessage());
    }

    @Test
    void itsTextNamesTheFileNotTheToken() throws Exception {
        AdminCredential c = fromFile(TOKEN);
        assertFalse(c.toString().contains(TOKEN), c.toString());
        assertTrue(c.toString().contains("admin.token"), c.toString());
    }
}
