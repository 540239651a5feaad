package io.keyfed.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.postgresql.util.PasswordUtil;

import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * The superuser password of one embedded cluster, kept in {@value #FILE_NAME} inside its data directory (mode
 * 0600), and the cluster's password-only authentication.
 *
 * <p>{@link #forDataDirectory} reads the file, or draws a new random password when there is none (a fresh data
 * directory, or one made by a version that trusted every local connection). {@link #apply} runs after zonky's
 * initdb and before the server starts: it writes a new password's file, sets the superuser's password (a
 * SCRAM-SHA-256 verifier, through PostgreSQL's single-user mode, so no server listens meanwhile) and writes a
 * {@code pg_hba.conf} in which every connection, socket or TCP, needs the password. The password is never
 * logged, never in an exception and never on a command line; {@link #toString} names only the file.
 */
final class ClusterPassword {
    /** The password file's name inside the data directory. */
    static final String FILE_NAME = "keyfed-password";
    /** Every connection (local socket and TCP, every user and database) must give the password. */
    static final String HBA = """
            # Written by KeyFed at each start of its embedded PostgreSQL (local edits are replaced): every
            # connection, Unix socket or TCP, of every user to every database, must give the password
            # (SCRAM-SHA-256). The password is in the keyfed-password file of this directory.
            local all all scram-sha-256
            host  all all 127.0.0.1/32 scram-sha-256
            host  all all ::1/128 scram-sha-256
            """;
    private static final Logger LOG = Logger.getLogger(ClusterPassword.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{22,}");
    private static final int RANDOM_BYTES = 32;
    private static final String VERIFIED = "keyfed-password-verified";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final String password;
    private volatile boolean unsaved;

    private ClusterPassword(Path file, String password, boolean unsaved) {
        this.file = file;
        this.password = password;
        this.unsaved = unsaved;
    }

    /**
     * The password of the cluster in {@code dataDir}: read from its file, or a new one (256 random bits,
     * URL-safe Base64) that {@link #apply} saves and sets.
     *
     * @throws IllegalStateException when the file is readable by others or malformed, saying what to do
     */
    static ClusterPassword forDataDirectory(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[RANDOM_BYTES];
            RANDOM.nextBytes(bytes);
            return new ClusterPassword(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IllegalStateException("the database password file " + file + " is open to other users (mode "
                    + PosixFilePermissions.toString(mode) + "); restrict it with 'chmod 600 " + file
                    + "', or delete it to have a new password set at the next start");
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!WELL_FORMED.matcher(value).matches()) {
            throw new IllegalStateException("the database password file " + file + " is malformed (expected one line"
                    + " of at least 22 characters A-Z a-z 0-9 - _); delete it to have a new password set at the next"
                    + " start");
        }
        return new ClusterPassword(file, value, false);
    }

    /** The password (for the services' datasources and the start-up check; never to be logged). */
    String value() {
        return password;
    }

    Path file() {
        return file;
    }

    /**
     * Between initdb and the server's start (zonky's data directory customizer, the server is down and the
     * directory locked): saves a new password, sets it as the superuser's, and writes the password-only
     * {@code pg_hba.conf} if the directory's differs. Nothing to do when both are already in place.
     *
     * @param work zonky's working directory (its unpacked binaries)
     */
    void apply(Path dataDir, Path work) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        boolean hbaCurrent = Files.isRegularFile(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
        boolean newPassword = unsaved;
        if (!newPassword && hbaCurrent) {
            return;
        }
        if (newPassword) {
            save();
        }
        setSuperuserPassword(dataDir, work);
        writePrivately(hba, HBA.getBytes(StandardCharsets.UTF_8));
        if (newPassword && !hbaCurrent) {
            LOG.infof("embedded PostgreSQL in %s: every connection now needs the password kept in %s (owner-only)",
                    dataDir, file);
        } else if (newPassword) {
            LOG.warnf("embedded PostgreSQL in %s: %s was missing; a new password is set and kept there", dataDir, file);
        } else {
            LOG.warnf("embedded PostgreSQL in %s: pg_hba.conf was not KeyFed's; rewritten so every connection needs"
                    + " the password", dataDir);
        }
    }

    private void save() throws IOException {
        writePrivately(file, (password + "\n").getBytes(StandardCharsets.US_ASCII));
        unsaved = false;
    }

    /**
     * Writes {@code target} through a temporary file created mode 0600 (never readable by others, not even while
     * being written), forced to disk and moved into place atomically.
     */
    private static void writePrivately(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Sets the superuser's password as a SCRAM-SHA-256 verifier (the clear password never reaches PostgreSQL)
     * in single-user mode, the statements on standard input, and checks that the verifier is stored.
     */
    private void setSuperuserPassword(Path dataDir, Path work) throws IOException {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As zonky runs initdb and pg_ctl: PostgreSQL refuses to run as root.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgresBinary(work).toString(), "--single", "-D", dataDir.toString(), "-F",
                "-c", "log_min_error_statement=panic", "-c", "log_statement=none", EmbeddedPostgresMain.USER));
        String input = "ALTER ROLE " + EmbeddedPostgresMain.USER + " PASSWORD '" + verifier + "'\n"
                + "SELECT '" + VERIFIED + "' AS verified FROM pg_authid WHERE rolname = '" + EmbeddedPostgresMain.USER
                + "' AND rolpassword = '" + verifier + "'\n";
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.US_ASCII));
        }
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while setting the database password in " + dataDir);
        }
        if (exit != 0 || !output.contains("= \"" + VERIFIED + "\"")) {
            String problems = output.lines().filter(l -> l.contains("ERROR") || l.contains("FATAL"))
                    .map(l -> l.replace(verifier, "<verifier>")).collect(Collectors.joining("; "));
            throw new IOException("cannot set the database password in " + dataDir + " (single-user postgres exit "
                    + exit + ")" + (problems.isEmpty() ? "" : ": " + problems));
        }
    }

    /**
     * zonky's {@code postgres} binary: {@code <work>/PG-<digest>/bin/postgres}, the newest if binaries of several
     * versions were unpacked there.
     */
    private static Path postgresBinary(Path work) throws IOException {
        try (Stream<Path> dirs = Files.list(work)) {
            List<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith("PG-"))
                    .map(d -> d.resolve("bin/postgres")).filter(Files::isExecutable).toList();
            Path newest = null;
            for (Path p : found) {
                if (newest == null
                        || Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(newest)) > 0) {
                    newest = p;
                }
            }
            if (newest == null) {
                throw new IOException("no PostgreSQL binaries (PG-*/bin/postgres) unpacked in " + work);
            }
            return newest;
        }
    }

    @Override
    public String toString() {
        return "ClusterPassword[" + file + "]";
    }
}
