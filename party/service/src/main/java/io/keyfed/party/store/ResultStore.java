package io.keyfed.party.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.session.PartyException;

/**
 * The party's own database of results: one file per answered request in the data directory,
 * {@code request-<id>.rec}.
 *
 * <p>Format (big-endian): {@code "KFPR" | u8 version=1 | u64 request id | u32 key type |
 * u32 len | session id | u32 len | PublicKeyPackage | u32 len | sealed share | u32 len |
 * PartyResponse (protobuf) | SHA-256 of everything before}.
 *
 * <p>Crash safety: a record is written to a temporary file in the same directory, forced to disk,
 * renamed atomically onto its final name, and the directory is forced, so after a crash a record is
 * either absent or complete. Records are never overwritten. Leftover temporary files are removed at
 * start.
 */
public final class ResultStore {
    private static final Logger LOG = Logger.getLogger(ResultStore.class);
    private static final byte[] MAGIC = { 'K', 'F', 'P', 'R' };
    private static final int VERSION = 1;
    private static final int MAX_RECORD_BYTES = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    public ResultStore(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            if (!Files.isDirectory(this.dir)) {
                Files.createDirectories(this.dir);
                try {
                    Files.setPosixFilePermissions(this.dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.dir, ".request-*.tmp")) {
                for (Path p : leftovers) {
                    LOG.warnf("removing the incomplete record %s (left by a crash)", p.getFileName());
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the data directory " + this.dir
                    + " (keyfed.party.data-dir): " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    public Path file(long requestId) {
        return dir.resolve("request-" + Long.toUnsignedString(requestId) + ".rec");
    }

    public boolean contains(long requestId) {
        return Files.exists(file(requestId));
    }

    /** The stored result, if any. INTERNAL when the file is corrupt. Blocking. */
    public Optional<StoredResult> find(long requestId) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file(requestId));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new PartyException(Status.Code.INTERNAL, "cannot read the stored result of request "
                    + Long.toUnsignedString(requestId) + ": " + e.getMessage());
        }
        return Optional.of(decode(requestId, bytes));
    }

    /** Request ids with a stored result. Blocking. */
    public List<Long> requestIds() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "request-*.rec")) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                out.add(Long.parseUnsignedLong(n.substring("request-".length(), n.length() - ".rec".length())));
            }
        } catch (IOException | NumberFormatException e) {
            throw new PartyException(Status.Code.INTERNAL, "cannot list the data directory: " + e.getMessage());
        }
        return out;
    }

    /**
     * Writes a record atomically. ALREADY_EXISTS if the request already has one (never overwritten).
     * Blocking.
     */
    public void put(StoredResult r) {
        Path target = file(r.requestId());
        if (Files.exists(target)) {
            throw new PartyException(Status.Code.ALREADY_EXISTS, "request " + Long.toUnsignedString(r.requestId())
                    + " already has a stored result");
        }
        byte[] bytes = encode(r);
        Path tmp = dir.resolve(".request-" + Long.toUnsignedString(r.requestId()) + "-"
                + HexFormat.of().formatHex(randomBytes()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp); // fails if the target exists: no overwrite, atomic
                Files.delete(tmp);
            } catch (UnsupportedOperationException | IOException linkFailure) {
                if (linkFailure instanceof FileAlreadyExistsException) {
                    throw linkFailure;
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            forceDirectory();
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(tmp);
            throw new PartyException(Status.Code.ALREADY_EXISTS, "request " + Long.toUnsignedString(r.requestId())
                    + " already has a stored result");
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(tmp);
            throw new PartyException(Status.Code.INTERNAL, "the data directory does not support atomic renames");
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new PartyException(Status.Code.INTERNAL, "cannot store the result of request "
                    + Long.toUnsignedString(r.requestId()) + ": " + e.getMessage());
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debugf("cannot force the directory %s: %s", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debugf("cannot delete %s", p);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] encode(StoredResult r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeLong(r.requestId());
            out.writeInt(r.keyType());
            for (byte[] field : new byte[][] { r.sessionId(), r.publicKeyPackage(), r.sealedShare(),
                    r.response().toByteArray() }) {
                out.writeInt(field.length);
                out.write(field);
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            byte[] all = Arrays.copyOf(body, body.length + 32);
            System.arraycopy(Hashes.sha256(body), 0, all, body.length, 32);
            return all;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static StoredResult decode(long requestId, byte[] all) {
        String what = "the stored result of request " + Long.toUnsignedString(requestId);
        if (all.length < MAGIC.length + 1 + 8 + 4 + 16 + 32 || all.length > MAX_RECORD_BYTES) {
            throw corrupt(what, "bad length");
        }
        byte[] body = Arrays.copyOf(all, all.length - 32);
        if (!MessageDigest.isEqual(Hashes.sha256(body), Arrays.copyOfRange(all, body.length, all.length))) {
            throw corrupt(what, "checksum mismatch");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC) || in.get() != VERSION) {
            throw corrupt(what, "unknown format");
        }
        long id = in.getLong();
        if (id != requestId) {
            throw corrupt(what, "it names request " + Long.toUnsignedString(id));
        }
        int keyType = in.getInt();
        byte[][] fields = new byte[4][];
        for (int i = 0; i < 4; i++) {
            int len = in.remaining() >= 4 ? in.getInt() : -1;
            if (len < 0 || len > in.remaining()) {
                throw corrupt(what, "truncated");
            }
            fields[i] = new byte[len];
            in.get(fields[i]);
        }
        if (in.hasRemaining()) {
            throw corrupt(what, "trailing bytes");
        }
        try {
            return new StoredResult(id, keyType, fields[0], fields[1], fields[2], PartyResponse.parseFrom(fields[3]));
        } catch (InvalidProtocolBufferException e) {
            throw corrupt(what, "bad response");
        }
    }

    private static PartyException corrupt(String what, String why) {
        return new PartyException(Status.Code.INTERNAL, what + " is corrupt (" + why
                + "); it is kept as is and no second key generation is run for it");
    }
}
