package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./keyfed up}, the client commands it prints, {@code status} and {@code down}, as a user runs them:
 * real processes started by the launcher in the background, on a free port block and a run directory under
 * {@code e2e/target/runs} (so a user's {@code .keyfed/local} is never touched). Tests run in order, each on
 * the state the previous one left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFederationIT {
    private static final Pattern PUBLIC_KEY = Pattern.compile("(?m)^public_key:\\s+([0-9a-f]+)$");
    private static final Pattern WORKSPACE = Pattern.compile("(?m)^\\s+workspace\\s+(\\S+)$");
    private static final Pattern KEYRING = Pattern.compile("(?m)^\\s+keyring\\s+(\\S+) \\(2 of 3");

    private Path root;
    private Path run;
    private int basePort;
    /** The client commands the first {@code up} printed. */
    private final List<String> commands = new ArrayList<>();
    /** The party admin command (curl with the admin token, on party 1's management port) the first up printed. */
    private String adminCommand;
    private String workspace;
    private String keyring;
    private String publicKey;

    private record Result(int exit, String out) {
    }

    @BeforeAll
    void choosePortsAndRunDirectory() throws IOException {
        root = Path.of(System.getProperty("keyfed.root", "..")).toAbsolutePath().normalize();
        run = root.resolve("e2e/target/runs/local-" + System.currentTimeMillis());
        basePort = freeBlock();
    }

    @AfterAll
    void purge() throws Exception {
        if (run != null && Files.exists(run)) {
            keyfed("down", "--purge");
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void upRefusesAPortBlockWithATakenPortAndStartsNothing() throws Exception {
        Path other = run.resolveSibling(run.getFileName() + "-taken");
        try (ServerSocket taken = new ServerSocket(basePort + 12, 1, InetAddress.getLoopbackAddress())) {
            Result r = keyfedIn(other, "up", "--base-port", Integer.toString(basePort));
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.out().contains("port " + (basePort + 12) + " is in use"), r.out());
            assertTrue(r.out().contains("--base-port"), r.out());
        }
        assertFalse(Files.exists(other.resolve("federation.conf")), "no federation was made");
        assertFalse(Files.exists(other.resolve("pids")), "nothing was started");
    }

    @Test
    @Order(2)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void upStartsAFederationWhosePrintedCommandsRequestAKeyAndShowItsAddresses() throws Exception {
        Result up = keyfed("up", "--base-port", Integer.toString(basePort));
        assertEquals(0, up.exit(), up.out());
        workspace = group(WORKSPACE, up.out());
        keyring = group(KEYRING, up.out());
        for (String line : up.out().split("\n")) {
            if (line.trim().startsWith("KEYFED_HOME=")) {
                commands.add(line.trim());
            } else if (line.trim().startsWith("curl ") && line.contains("/admin/sealing-key")) {
                adminCommand = line.trim();
            }
        }
        assertEquals(5, commands.size(), up.out());
        String request = command("--type ecdsa --wait");
        assertTrue(request.contains("--workspace " + workspace) && request.contains("--keyring " + keyring), request);

        Result key = shell(request);
        assertEquals(0, key.exit(), key.out());
        assertTrue(key.out().contains("status: KEY_REQUEST_STATUS_FULFILLED"), key.out());
        assertTrue(key.out().contains("wallets:") && key.out().contains("EVM     0x"), key.out());
        publicKey = group(PUBLIC_KEY, key.out());

        Result list = shell(command("key list"));
        assertEquals(0, list.exit(), list.out());
        assertTrue(list.out().contains(publicKey), list.out());

        // The env file says the same as the printed commands.
        String env = Files.readString(run.resolve("env"));
        assertTrue(env.contains("KEYFED_LEDGER=https://127.0.0.1:" + basePort), env);
        assertTrue(env.contains("KEYFED_CA=" + run.resolve("tls/ca.crt")), env);
        assertTrue(env.contains("KEYFED_KEYRING=" + keyring), env);
    }

    @Test
    @Order(3)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void statusShowsEveryProcessReadyAndTheKeyring() throws Exception {
        Result st = keyfed("status");
        assertEquals(0, st.exit(), st.out());
        for (String name : List.of("ledger", "party1", "party2", "party3", "connector1", "connector2", "connector3")) {
            assertTrue(Pattern.compile("(?m)^\\s+" + name + "\\s+\\d+\\s+\\d+\\s+ready\\b").matcher(st.out()).find(),
                    name + " ready in:\n" + st.out());
        }
        assertTrue(st.out().contains("party_threshold:       2"), st.out());
        assertEquals(3, count(st.out(), "parties\\[\\d\\]\\.address"), st.out());
        assertTrue(st.out().contains("all healthy"), st.out());

        // The printed admin command works (the token from the party's file); without the token: 401.
        Result admin = shell(adminCommand);
        assertEquals(0, admin.exit(), admin.out());
        assertTrue(admin.out().contains("\"current_key_id\":\"keyfed-sealing"), admin.out());
        Result anonymous = shell("curl -s -o /dev/null -w '%{http_code}' --cacert " + run.resolve("tls/ca.crt") + " https://127.0.0.1:"
                + (basePort + 31)
                + "/admin/sealing-key");
        assertEquals("401", anonymous.out().trim(), anonymous.out());
    }

    @Test
    @Order(4)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aSecondUpSaysItIsRunningAndChangesNothing() throws Exception {
        Map<String, String> pids = pidFiles();
        assertEquals(7, pids.size(), "a pid file per service: " + pids);
        String conf = Files.readString(run.resolve("federation.conf"));
        Result again = keyfed("up", "--base-port", Integer.toString(basePort));
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("already running; nothing changed"), again.out());
        assertEquals(pids, pidFiles());
        assertEquals(conf, Files.readString(run.resolve("federation.conf")));
    }

    @Test
    @Order(5)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void downLeavesNoProcessBehindAndKeepsTheData() throws Exception {
        List<ProcessHandle> started = processes();
        assertEquals(7 + 4, started.size(), "7 services and 4 PostgreSQL servers: " + started);
        Result down = keyfed("down");
        assertEquals(0, down.exit(), down.out());
        assertTrue(down.out().contains("stopped 7 processes"), down.out());
        for (ProcessHandle h : started) {
            assertFalse(running(h), "pid " + h.pid() + " still runs after down");
        }
        assertTrue(Files.exists(run.resolve("federation.conf")) && Files.isDirectory(run.resolve("ledger")));
        Result st = keyfed("status");
        assertEquals(3, st.exit(), st.out());
        assertTrue(st.out().contains("stopped"), st.out());
    }

    @Test
    @Order(6)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void upAgainResumesWithTheSameKeyKeyringAndWorkspace() throws Exception {
        Result up = keyfed("up");
        assertEquals(0, up.exit(), up.out());
        assertTrue(up.out().contains("resuming"), up.out());
        assertEquals(workspace, group(WORKSPACE, up.out()));
        assertEquals(keyring, group(KEYRING, up.out()));
        Result list = shell(command("key list"));
        assertEquals(0, list.exit(), list.out());
        assertTrue(list.out().contains(publicKey), list.out());
    }

    @Test
    @Order(7)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void downPurgeStopsEverythingAndDeletesTheRunDirectory() throws Exception {
        List<ProcessHandle> started = processes();
        assertEquals(11, started.size(), started.toString());
        Result down = keyfed("down", "--purge");
        assertEquals(0, down.exit(), down.out());
        for (ProcessHandle h : started) {
            assertFalse(running(h), "pid " + h.pid() + " still runs after down --purge");
        }
        assertFalse(Files.exists(run), run + " deleted");
        Result again = keyfed("down");
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("nothing to stop"), again.out());
    }

    // ------------------------------------------------------------------------------------ helpers

    private String command(String containing) {
        return commands.stream().filter(c -> c.contains(containing)).findFirst()
                .orElseThrow(() -> new AssertionError("no printed command with '" + containing + "': " + commands));
    }

    private Result keyfed(String... args) throws Exception {
        return keyfedIn(run, args);
    }

    private Result keyfedIn(Path runDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("keyfed").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--run-dir", runDir.toString()));
        return exec(cmd);
    }

    /** A printed command, as a user pastes it into a shell at the repository's root. */
    private Result shell(String line) throws Exception {
        return exec(List.of("bash", "-c", line));
    }

    private Result exec(List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        // The services were packaged by this Maven build: no nested build, and this JVM's java.
        pb.environment().put("KEYFED_SKIP_BUILD", "1");
        pb.environment().put("KEYFED_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().remove("KEYFED_RUN_DIR");
        pb.environment().remove("KEYFED_BASE_PORT");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " ended");
        System.out.println("$ " + String.join(" ", cmd) + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    /** name -> "PID START" of each pid file under the run directory. */
    private Map<String, String> pidFiles() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(run.resolve("pids"))) {
            for (Path f : files.toList()) {
                out.put(f.getFileName().toString(), Files.readString(f).trim());
            }
        }
        return out;
    }

    /** Every running process of the federation: the services (pid files) and their PostgreSQL servers. */
    private List<ProcessHandle> processes() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (String line : pidFiles().values()) {
            pids.add(Long.parseLong(line.split(" ")[0]));
        }
        List<Path> pgDirs = new ArrayList<>(List.of(run.resolve("ledger")));
        for (int i = 1; i <= 3; i++) {
            pgDirs.add(run.resolve("party" + i + "/data/pgdata"));
        }
        for (Path dir : pgDirs) {
            long pg = Federation.postmasterPid(dir).orElseThrow(() -> new AssertionError("no postmaster.pid in " + dir));
            assertTrue(Federation.isPostgres(pg), "postmaster " + pg + " of " + dir + " is a running postgres");
            pids.add(pg);
        }
        List<ProcessHandle> out = new ArrayList<>();
        for (long pid : pids) {
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("pid " + pid + " runs"));
            assertTrue(running(h), "pid " + pid + " runs");
            out.add(h);
        }
        return out;
    }

    /**
     * Alive and not a zombie (a process that has exited but whose parent, here init, has not reaped it yet).
     * The handle remembers the start time, so a reused pid is not mistaken for the process.
     */
    private static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in:\n" + text);
        return m.group(1);
    }

    private static int count(String text, String regex) {
        return (int) Pattern.compile(regex).matcher(text).results().count();
    }

    /** A base port whose block (ledger, parties +11..+13, connectors +21..+23, party management +31..+33) is free. */
    private static int freeBlock() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20000, 30000);
            if (free(base) && free(base + 11) && free(base + 12) && free(base + 13) && free(base + 21)
                    && free(base + 22) && free(base + 23) && free(base + 31) && free(base + 32) && free(base + 33)) {
                return base;
            }
        }
        throw new IOException("no free port block between 20000 and 30000");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
