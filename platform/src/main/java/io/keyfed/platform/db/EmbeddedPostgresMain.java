package io.keyfed.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * The services' default database: when no datasource URL is configured (system property, environment
 * or configuration), {@link #run} starts an embedded PostgreSQL (zonky) whose data directory survives
 * restarts, points {@code quarkus.datasource.*} at it, runs Quarkus, and stops PostgreSQL afterwards.
 * Given {@code quarkus.datasource.jdbc.url} / {@code reactive.url} it just runs Quarkus against that
 * server, with the configured credentials.
 *
 * <p>The embedded server requires a password for every connection: the superuser's, drawn at random at the
 * first start and kept in {@value #PASSWORD_FILE} inside the data directory (mode 0600); the datasources get it
 * as in-process configuration, never on a command line. A data directory from a version that trusted local
 * connections is converted at its next start (see {@code ClusterPassword}).
 *
 * <p>Next to the data directory {@code <dir>} it keeps {@code <dir>-work} (zonky's unpacked binaries),
 * {@code <dir>.lock} (held while the service runs, so two processes never share one data directory)
 * and {@code <dir>.port} (the server's port while it runs, for operators and tests). Each server
 * listens on a free port of its own, so several services start side by side on one machine.
 */
public final class EmbeddedPostgresMain {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresMain.class);
    /** The database and user of the embedded server (it listens on localhost only). */
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";
    /** The file, inside the data directory, that holds the superuser's password (mode 0600). */
    public static final String PASSWORD_FILE = ClusterPassword.FILE_NAME;
    private static final int START_ATTEMPTS = 3;

    private EmbeddedPostgresMain() {
    }

    /**
     * Runs the Quarkus application, on the configured datasource or else on an embedded PostgreSQL in
     * {@code dataDir}; exits the JVM when the application ends.
     */
    public static void run(Path dataDir, String... args) {
        if (datasourceConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        int[] exitCode = { 0 };
        try (Instance pg = start(dir)) {
            int port = pg.port();
            System.setProperty("quarkus.datasource.jdbc.url", pg.jdbcUrl());
            System.setProperty("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + DATABASE);
            System.setProperty("quarkus.datasource.username", USER);
            // In-process configuration (not a -D of the command line, which other users see in ps).
            System.setProperty("quarkus.datasource.password", pg.password());
            LOG.infof("embedded PostgreSQL on port %d, data in %s", port, dir);
            stopQuarkusFirstOnSignals();
            // With an exit handler Quarkus.run returns instead of exiting, so PostgreSQL stops after the app.
            // The handler replaces Quarkus's own, which is what logs a failed start: log it here.
            Quarkus.run(null, (code, failure) -> {
                exitCode[0] = code;
                if (failure != null) {
                    LOG.errorf(failure, "the application failed to start: %s", failure.getMessage());
                }
            }, args);
        }
        System.exit(exitCode[0]);
    }

    /**
     * A running embedded server; closing it stops PostgreSQL and releases the data directory. A watchdog
     * restarts the server, on the same port and data directory, if it dies while the service runs (PostgreSQL
     * replays its write-ahead log, so nothing committed is lost); the service's pools reconnect by themselves.
     */
    public static final class Instance implements AutoCloseable {
        private static final long WATCH_SECONDS = 2;
        private final Path dir;
        private final Path work;
        private final ClusterPassword password;
        private final int port;
        private final FileChannel lockChannel;
        private final FileLock lock;
        private final Path portFile;
        private final ScheduledExecutorService watchdog;
        private volatile EmbeddedPostgres pg;
        private volatile boolean closing;

        private Instance(EmbeddedPostgres pg, Path dir, Path work, ClusterPassword password, FileChannel lockChannel,
                FileLock lock, Path portFile) {
            this.pg = pg;
            this.dir = dir;
            this.work = work;
            this.password = password;
            this.port = pg.getPort();
            this.lockChannel = lockChannel;
            this.lock = lock;
            this.portFile = portFile;
            this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "embedded-postgres-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleWithFixedDelay(this::restartIfDead, WATCH_SECONDS, WATCH_SECONDS, TimeUnit.SECONDS);
        }

        public int port() {
            return port;
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
        }

        /** The password of {@link #USER} (every connection needs it); not to be logged. */
        public String password() {
            return password.value();
        }

        /** The file that keeps {@link #password()}. */
        public Path passwordFile() {
            return password.file();
        }

        private void restartIfDead() {
            if (closing || postmasterAlive(dir)) {
                return;
            }
            LOG.errorf("embedded PostgreSQL on port %d (data %s) stopped unexpectedly; restarting it", port, dir);
            try {
                // Release the dead server's handle first: it holds zonky's lock on the data directory.
                pg.close();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("closing the dead server's handle: %s", e.getMessage());
            }
            try {
                pg = startServer(dir, work, port, password);
                LOG.infof("embedded PostgreSQL restarted on port %d after crash recovery", port);
            } catch (IOException | RuntimeException e) {
                LOG.errorf("embedded PostgreSQL could not be restarted (will try again): %s", e.getMessage());
            }
        }

        @Override
        public void close() {
            closing = true;
            watchdog.shutdownNow();
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warnf("embedded PostgreSQL did not stop cleanly: %s", e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(portFile);
                    lock.release();
                    lockChannel.close();
                } catch (IOException e) {
                    LOG.debugf("cannot release %s: %s", portFile, e.getMessage());
                }
            }
        }
    }

    /** Whether the postmaster named by the data directory's postmaster.pid is running. */
    static boolean postmasterAlive(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            return !lines.isEmpty() && ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Starts PostgreSQL on a free port with the persistent data directory {@code dataDir} (created
     * mode 0700 on first use, initialised by initdb when empty), every connection requiring the password of
     * {@link #PASSWORD_FILE}. A server left running from the same data directory by a killed process is
     * stopped first.
     *
     * @throws IllegalStateException when another process uses the directory or its password file is unusable
     */
    public static Instance start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        return start(dir, dir.resolveSibling(dir.getFileName() + "-work"));
    }

    /**
     * {@link #start(Path)} with zonky's binaries unpacked in {@code workDir} (several servers, e.g. the tests',
     * may share one) instead of {@code <dataDir>-work}.
     */
    public static Instance start(Path dataDir, Path workDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path work = workDir.toAbsolutePath().normalize();
        String name = dir.getFileName().toString();
        Path lockFile = dir.resolveSibling(name + ".lock");
        Path portFile = dir.resolveSibling(name + ".port");
        FileChannel channel = null;
        try {
            createPrivateDirectories(dir);
            createPrivateDirectories(work);
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the database directory " + dir
                        + " is in use by another running process; give each service its own data directory");
            }
            ClusterPassword password = ClusterPassword.forDataDirectory(dir);
            EmbeddedPostgres pg = startServer(dir, work, 0, password);
            Files.writeString(portFile, Integer.toString(pg.getPort()) + "\n", StandardCharsets.US_ASCII);
            return new Instance(pg, dir, work, password, channel, lock, portFile);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * zonky picks a free port just before PostgreSQL binds it, so another process can take it in between;
     * the start then fails or answers nothing. Try again (on a new port) a few times. Between initdb and the
     * server's start the password and the password-only pg_hba.conf are put in place ({@link ClusterPassword#apply});
     * zonky's start-up check connects with the password.
     */
    private static EmbeddedPostgres startServer(Path dir, Path work, int port, ClusterPassword password)
            throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            stopLeftoverServer(dir);
            try {
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(work.toFile())
                        .setPgBinaryResolver(new BinariesIn(work))
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // zonky turns synchronous_commit off for test speed: a crash would then lose
                        // transactions the service already confirmed. KeyFed keeps PostgreSQL's durable defaults.
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("fsync", "on")
                        .setServerConfig("full_page_writes", "on")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setConnectConfig("password", password.value())
                        .setDataDirectoryCustomizer(d -> {
                            try {
                                password.apply(d.toPath(), work);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                if (port > 0) {
                    b.setPort(port);
                }
                return b.start();
            } catch (IOException e) {
                last = e;
                if (attempt < START_ATTEMPTS) {
                    LOG.warnf("embedded PostgreSQL in %s did not start (%s); trying again on another port", dir,
                            e.getMessage());
                }
            }
        }
        throw last;
    }

    /**
     * zonky's binaries, unpacked in {@code work}. zonky remembers per resolver where it unpacked them; one resolver
     * per working directory (equal records) keeps them there, where {@link ClusterPassword} finds {@code postgres}.
     */
    private record BinariesIn(Path work) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }

    /**
     * A process killed without its shutdown hooks (SIGKILL) leaves its PostgreSQL running, which would
     * keep the data directory's postmaster.pid. We hold the directory's lock, so that server is an
     * orphan of this directory: stop it (SIGTERM) and wait for it.
     */
    private static void stopLeftoverServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || lines.size() < 2
                || !Path.of(lines.get(1).trim()).toAbsolutePath().normalize().equals(dir)
                || !handle.get().info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
            return;
        }
        LOG.warnf("stopping the PostgreSQL (pid %d) left running on %s by a process that was killed", pid, dir);
        handle.get().destroy();
        try {
            handle.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the PostgreSQL left running on " + dir + " (pid " + pid + ") did not stop");
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    /**
     * The embedded server registers its own JVM shutdown hook, which would race the application's. On
     * SIGTERM and SIGINT, stop the application instead; {@link #run} then stops PostgreSQL and exits.
     */
    private static void stopQuarkusFirstOnSignals() {
        for (String name : new String[] { "TERM", "INT" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Quarkus.asyncExit());
            } catch (IllegalArgumentException e) {
                LOG.debugf("cannot handle SIG%s: %s", name, e.getMessage());
            }
        }
    }

    /** Whether a datasource URL (JDBC or reactive) is configured anywhere. */
    public static boolean datasourceConfigured() {
        return setting("quarkus.datasource.reactive.url").isPresent()
                || setting("quarkus.datasource.jdbc.url").isPresent();
    }

    /**
     * A setting as Quarkus will see it before it starts: system property, then environment variable
     * (upper case, non-alphanumerics as {@code _}), then application.properties.
     */
    public static Optional<String> setting(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        if (v == null || v.isBlank()) {
            try {
                v = ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse(null);
            } catch (RuntimeException e) {
                v = null;
            }
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }
}
