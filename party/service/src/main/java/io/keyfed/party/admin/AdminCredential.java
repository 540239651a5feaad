package io.keyfed.party.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * The admin bearer token, read once from {@code keyfed.party.admin.token-file}, and the check of an
 * {@code Authorization} header against it. Only the SHA-256 digest of the token is kept; the presented token is
 * hashed too and the digests are compared with {@link MessageDigest#isEqual} (constant time, whatever the
 * length of what was presented). Neither the token nor what a caller presented is ever logged or returned.
 */
@ApplicationScoped
public class AdminCredential {
    private static final Logger LOG = Logger.getLogger(AdminCredential.class);

    /** Shortest token accepted from the file. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    /** The result of checking one request's {@code Authorization} header. */
    public enum Outcome {
        /** The right token. */
        ALLOWED,
        /** No token file is configured: every admin call is refused. */
        DISABLED,
        /** No {@code Authorization: Bearer ...} header. */
        MISSING,
        /** A bearer token that is not the admin token. */
        WRONG
    }

    private final Optional<byte[]> digest;
    private final String source;

    @Inject
    public AdminCredential(AdminConfig config) {
        this(config.tokenFile().filter(f -> !f.isBlank()).map(Path::of));
    }

    /** Reads the token from {@code file}, or, with none, a credential that refuses everything. */
    public AdminCredential(Optional<Path> file) {
        this.source = file.map(Path::toString).orElse("none");
        this.digest = file.map(AdminCredential::read);
    }

    /** True when a token file is configured (the admin routes can be used). */
    public boolean enabled() {
        return digest.isPresent();
    }

    /** Checks an {@code Authorization} header value ({@code null} when the request has none). */
    public Outcome check(String authorization) {
        if (digest.isEmpty()) {
            return Outcome.DISABLED;
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Outcome.MISSING;
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(digest.get(), presented) ? Outcome.ALLOWED : Outcome.WRONG;
    }

    private static byte[] read(Path file) {
        byte[] bytes;
        try {
            warnIfReadableByOthers(file);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the admin token file " + file
                    + " (keyfed.party.admin.token-file): " + e.getClass().getSimpleName());
        }
        try {
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String token = (end < 0 ? text : text.substring(0, end)).strip();
            if (token.isEmpty()) {
                throw new IllegalStateException("the admin token file " + file + " (keyfed.party.admin.token-file)"
                        + " is empty");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalStateException("the admin token in " + file + " (keyfed.party.admin.token-file) is"
                        + " shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
            if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalStateException("the admin token in " + file + " (keyfed.party.admin.token-file)"
                        + " contains spaces or control characters");
            }
            return sha256(token.getBytes(StandardCharsets.UTF_8));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warnf("the admin token file %s can be read by other users; make it readable by the party's"
                        + " user only (chmod 600)", file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredential[token file " + source + "]";
    }
}
