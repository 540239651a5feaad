package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./keyfed hsm-check} against real SoftHSM2 tokens, each in its own token folder and probed by a
 * separate process (libsofthsm2 reads SOFTHSM2_CONF when it loads): a token holding the party's keys passes;
 * a token without them, a configuration disabling a mechanism the party needs, and a missing PKCS#11
 * library each fail with a message saying what the party cannot do.
 */
class HsmCheckCommandTest {
    private static Path work;

    @BeforeAll
    static void requireSoftHsmAndPartyBuild() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of(SecurityProvidersTest.SOFTHSM_LIBRARY)), "SoftHSM2 not installed");
        assumeTrue(Files.isRegularFile(Repo.root().resolve("party/service/target/quarkus-app/quarkus-run.jar")),
                "party service not packaged (run the whole reactor)");
        work = Path.of(System.getProperty("java.io.tmpdir"), "hsm-check-" + System.nanoTime());
        Files.createDirectories(work);
    }

    private record Result(int exit, String output) {
    }

    /** A fresh token with the given label; returns its folder (softhsm2.conf, sunpkcs11.cfg, user.pin). */
    private static Path token(String label) throws Exception {
        Path dir = work.resolve(label);
        Files.createDirectories(dir);
        Path pin = dir.resolve("user.pin");
        Files.createFile(pin, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(pin, "pin-" + label + "\n");
        Result r = run(List.of("bash", Repo.root().resolve("hsm-config/init-token.sh").toString()), dir, Map.of(
                "KEYFED_HSM_LABEL", label, "KEYFED_HSM_SO_PIN", "so-" + label,
                "KEYFED_HSM_USER_PIN_FILE", pin.toString(),
                "KEYFED_HSM_SUNPKCS11_CFG", dir.resolve("sunpkcs11.cfg").toString()));
        assertEquals(0, r.exit(), "init-token.sh failed:\n" + r.output());
        return dir;
    }

    private static Result keyfed(Path dir, Path cfg, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Repo.root().resolve("keyfed").toString(), "hsm-check", "--config",
                cfg.toString(), "--pin-file", dir.resolve("user.pin").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, dir, Map.of());
    }

    private static Result run(List<String> cmd, Path tokenDir, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", tokenDir.resolve("softhsm2.conf").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "command did not finish: " + cmd);
        return new Result(p.exitValue(), out);
    }

    /** Creates the party's keys the way a first start does (party-tool identity). */
    private static void createPartyKeys(Path dir) throws Exception {
        Path app = Repo.root().resolve("party/service/target/quarkus-app");
        Result r = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                app + "/app/*:" + app + "/lib/main/*:" + app + "/lib/boot/*", "io.keyfed.party.tools.PartyTool",
                "identity", "--config", dir.resolve("sunpkcs11.cfg").toString(), "--pin-file",
                dir.resolve("user.pin").toString()), dir, Map.of());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().matches("(?s).*zen1[a-z0-9]+:0[23][0-9a-f]{64}.*"), r.output());
    }

    @Test
    void shouldPassForTokenHoldingThePartysProtectedKeys() throws Exception {
        Path dir = token("hc-good");
        createPartyKeys(dir);
        Result r = keyfed(dir, dir.resolve("sunpkcs11.cfg"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("result: the token can serve a KeyFed party"), r.output());
        assertTrue(r.output().matches("(?s).*token label\\s+: hc-good.*"), "token info is reported:\n" + r.output());
        assertTrue(r.output().contains("ok (token object, sensitive, non-extractable"), r.output());
        assertTrue(r.output().matches("(?s).*CKM_ECDSA\\s+.*ok.*"), r.output());
    }

    @Test
    void shouldFailClearlyForTokenWithoutThePartysKeys() throws Exception {
        Path dir = token("hc-empty");
        Result r = keyfed(dir, dir.resolve("sunpkcs11.cfg"));
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("CANNOT serve a KeyFed party"), r.output());
        assertTrue(r.output().contains("key 'keyfed-identity'") && r.output().contains("is not in the token"),
                r.output());
    }

    @Test
    void shouldFailClearlyWhenAMechanismIsMissing() throws Exception {
        Path dir = token("hc-nomech");
        createPartyKeys(dir);
        Path cfg = dir.resolve("no-ecdsa.cfg");
        Files.writeString(cfg, Files.readString(dir.resolve("sunpkcs11.cfg"))
                + "\ndisabledMechanisms = {\n  CKM_ECDSA\n}\n");
        Result r = keyfed(dir, cfg);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("mechanism CKM_ECDSA is missing"), r.output());
    }

    @Test
    void shouldFailClearlyWhenTheLibraryIsMissing() throws Exception {
        Path dir = token("hc-nolib");
        Path cfg = dir.resolve("no-library.cfg");
        Files.writeString(cfg, Files.readString(dir.resolve("sunpkcs11.cfg"))
                .replace(SecurityProvidersTest.SOFTHSM_LIBRARY, "/nonexistent/libvendor-pkcs11.so"));
        Result r = keyfed(dir, cfg);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("error:") && r.output().contains("libvendor-pkcs11.so"), r.output());
    }
}
