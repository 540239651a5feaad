package io.keyfed.party.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real SoftHSM2 tokens for tests, created with hsm-config/init-token.sh.
 *
 * <p>libsofthsm2 reads {@code SOFTHSM2_CONF} (set by surefire in party/service/pom.xml) and
 * scans its token folder once, when the first SunPKCS11 provider of the JVM loads it: tokens
 * created later are invisible to that JVM. So the first call creates a pool of tokens
 * ({@code -Dkeyfed.hsm.test.tokens}, default 10) before any provider opens, and hands them out
 * by name. Every test in this module that needs a SoftHSM token must get it here, and must not
 * open a SunPKCS11 provider before its first call. PINs are random per run and live only in
 * files under target/.
 */
public final class SoftHsmTestTokens {

    /** One initialised, empty (until a test fills it) token. */
    public static final class TestToken {
        private final String label;
        private final int slotListIndex;
        private final Path sunPkcs11Config;
        private final Path userPinFile;

        TestToken(String label, int slotListIndex, Path sunPkcs11Config, Path userPinFile) {
            this.label = label;
            this.slotListIndex = slotListIndex;
            this.sunPkcs11Config = sunPkcs11Config;
            this.userPinFile = userPinFile;
        }

        public String label() {
            return label;
        }

        public int slotListIndex() {
            return slotListIndex;
        }

        /** SunPKCS11 configuration written from hsm-config/sunpkcs11.cfg.template. */
        public Path sunPkcs11Config() {
            return sunPkcs11Config;
        }

        /** File holding the token's user PIN (mode 0600). */
        public Path userPinFile() {
            return userPinFile;
        }

        /** A configuration for {@link HsmToken#open(HsmConfig)} with the PIN from the file. */
        public TestHsmConfig config() {
            return new TestHsmConfig(sunPkcs11Config.toString()).pinFile(userPinFile.toString());
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static List<TestToken> pool;
    private static final Map<String, TestToken> byName = new HashMap<>();

    private SoftHsmTestTokens() {
    }

    /** The token reserved for {@code name}; the same name gives the same token in one JVM. */
    public static synchronized TestToken token(String name) {
        if (pool == null) {
            pool = createPool(Integer.getInteger("keyfed.hsm.test.tokens", 10));
        }
        TestToken t = byName.get(name);
        if (t == null) {
            if (byName.size() >= pool.size()) {
                throw new IllegalStateException("all " + pool.size() + " SoftHSM test tokens are taken;"
                        + " raise -Dkeyfed.hsm.test.tokens");
            }
            t = pool.get(byName.size());
            byName.put(name, t);
        }
        return t;
    }

    /** The folder of the SoftHSM configuration and tokens (from SOFTHSM2_CONF). */
    public static Path baseDir() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run the tests through Maven"
                    + " (party/service/pom.xml sets it for surefire)");
        }
        return Path.of(conf).toAbsolutePath().getParent();
    }

    /** hsm-config/ of the repository. */
    public static Path hsmConfigDir() {
        return Path.of(System.getProperty("keyfed.hsm.config.dir", "../../hsm-config")).toAbsolutePath().normalize();
    }

    private static List<TestToken> createPool(int size) {
        try {
            Path base = baseDir();
            deleteTree(base);
            Files.createDirectories(base.resolve("pins"));
            List<String> labels = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                String label = String.format("keyfed-test-%02d", i);
                labels.add(label);
                Path pinFile = pinFile(label);
                writeSecretFile(pinFile, randomPin());
                Map<String, String> env = new HashMap<>();
                env.put("KEYFED_HSM_LABEL", label);
                env.put("KEYFED_HSM_SO_PIN", randomPin());
                env.put("KEYFED_HSM_USER_PIN_FILE", pinFile.toString());
                runScript(env);
            }
            // SoftHSM orders slots by slot id, so indices are final only once every token exists.
            List<TestToken> tokens = new ArrayList<>();
            for (String label : labels) {
                Path cfg = base.resolve(label + ".cfg");
                Map<String, String> env = new HashMap<>();
                env.put("KEYFED_HSM_LABEL", label);
                env.put("KEYFED_HSM_SUNPKCS11_CFG", cfg.toString());
                Map<String, String> out = runScript(env);
                int index = Integer.parseInt(out.get("KEYFED_HSM_SLOT_LIST_INDEX"));
                tokens.add(new TestToken(label, index, cfg, pinFile(label)));
            }
            return tokens;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create SoftHSM test tokens", e);
        }
    }

    private static Path pinFile(String label) {
        return baseDir().resolve("pins").resolve(label + ".pin");
    }

    static String randomPin() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
        }
        return sb.toString();
    }

    /** Writes a file only the owner can read (PINs). */
    public static void writeSecretFile(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    }

    /** Runs init-token.sh with the JVM's SOFTHSM2_CONF plus {@code env}; returns its KEY=value output. */
    static Map<String, String> runScript(Map<String, String> env) throws IOException {
        Path script = hsmConfigDir().resolve("init-token.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(baseDir().resolve("init-token.log").toFile()));
        pb.redirectErrorStream(false);
        return parse(run(pb, "init-token.sh"));
    }

    /** Runs a child process to completion and returns its standard output. */
    static String run(ProcessBuilder pb, String what) throws IOException {
        if (pb.redirectError() == ProcessBuilder.Redirect.PIPE) {
            pb.redirectErrorStream(true);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(what + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed with exit code " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private static Map<String, String> parse(String out) {
        Map<String, String> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
