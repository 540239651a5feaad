package io.keyfed.cli.keys;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Key files under {@code HOME/keys/NAME.key}: a small JSON document holding the secp256k1 private scalar
 * and the public key, readable by its owner only (rw-------, directory rwx------). A file that group or
 * others can access is refused.
 */
public final class KeyStore {
    public static final String SUFFIX = ".key";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> FILE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");
    private static final String F_VERSION = "version";
    private static final String F_TYPE = "type";
    private static final String F_PRIVATE = "private_key";
    private static final String F_PUBLIC = "public_key";
    private static final String TYPE = "secp256k1";

    private final Path dir;
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    public KeyStore(Path home) {
        this.dir = home.resolve("keys");
    }

    public Path directory() {
        return dir;
    }

    public Path pathOf(String name) throws KeyStoreException {
        checkName(name);
        return dir.resolve(name + SUFFIX);
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.endsWith(SUFFIX);
    }

    public boolean exists(String name) {
        return isValidName(name) && Files.exists(dir.resolve(name + SUFFIX), LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates a new key file; refuses to overwrite an existing one. */
    public SigningKey create(String name, SecureRandom random) throws KeyStoreException {
        Path target = pathOf(name);
        ensureDirectory();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyStoreException("key '" + name + "' already exists (" + target + ")");
        }
        SigningKey key = SigningKey.generate(name, random);
        byte[] secret = key.exportSecret();
        byte[] content = null;
        Path tmp = null;
        try {
            ObjectNode doc = mapper.createObjectNode();
            doc.put(F_VERSION, 1);
            doc.put(F_TYPE, TYPE);
            doc.put(F_PRIVATE, HexFormat.of().formatHex(secret));
            doc.put(F_PUBLIC, HexFormat.of().formatHex(key.publicKey()));
            content = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
            doc.removeAll();
            tmp = dir.resolve("." + name + ".tmp" + Long.toHexString(random.nextLong()));
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_PERMS));
            Files.setPosixFilePermissions(tmp, FILE_PERMS);
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
            return key;
        } catch (FileAlreadyExistsException e) {
            throw new KeyStoreException("key '" + name + "' already exists (" + target + ")");
        } catch (IOException e) {
            throw new KeyStoreException("cannot write key file " + target + ": " + e.getClass().getSimpleName());
        } finally {
            Arrays.fill(secret, (byte) 0);
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Loads a key, refusing files (or a key directory) that group or others can access. */
    public SigningKey load(String name) throws KeyStoreException {
        Path p = pathOf(name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyStoreException("no key named '" + name + "' (looked for " + p + "); create one with: keyfed keys add "
                    + name);
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyStoreException("key file " + p + " is not a regular file");
        }
        checkOwnerOnly(p);
        byte[] content = null;
        byte[] secret = null;
        try {
            content = Files.readAllBytes(p);
            JsonNode doc;
            try {
                doc = mapper.readTree(content);
            } catch (IOException e) {
                throw new KeyStoreException("key file " + p + " is not valid JSON");
            }
            if (doc == null || !doc.isObject() || !TYPE.equals(doc.path(F_TYPE).asText())
                    || !doc.path(F_PRIVATE).isTextual()) {
                throw new KeyStoreException("key file " + p + " is not a KeyFed secp256k1 key file");
            }
            try {
                secret = HexFormat.of().parseHex(doc.path(F_PRIVATE).asText());
            } catch (IllegalArgumentException e) {
                throw new KeyStoreException("key file " + p + ": private key is not hex");
            }
            SigningKey key = SigningKey.fromSecret(name, secret);
            String pub = doc.path(F_PUBLIC).asText("");
            if (!pub.isEmpty() && !pub.equalsIgnoreCase(HexFormat.of().formatHex(key.publicKey()))) {
                key.destroy();
                throw new KeyStoreException("key file " + p + ": public key does not match the private key");
            }
            return key;
        } catch (NoSuchFileException e) {
            throw new KeyStoreException("no key named '" + name + "'");
        } catch (IOException e) {
            throw new KeyStoreException("cannot read key file " + p + ": " + e.getClass().getSimpleName());
        } finally {
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** Names of the stored keys, sorted. */
    public List<String> list() throws KeyStoreException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                String n = f.substring(0, f.length() - SUFFIX.length());
                if (isValidName(n)) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new KeyStoreException("cannot list " + dir + ": " + e.getClass().getSimpleName());
        }
        names.sort(null);
        return names;
    }

    private void ensureDirectory() throws KeyStoreException {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIR_PERMS));
                }
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
            }
            // umask may have narrowed the create mode; set it exactly, and tighten an existing directory
            Files.setPosixFilePermissions(dir, DIR_PERMS);
        } catch (FileAlreadyExistsException e) {
            throw new KeyStoreException(dir + " exists and is not a directory");
        } catch (IOException | UnsupportedOperationException e) {
            throw new KeyStoreException("cannot create key directory " + dir + ": " + e.getClass().getSimpleName());
        }
    }

    private static void checkOwnerOnly(Path p) throws KeyStoreException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new KeyStoreException("cannot check permissions of " + p + " (not a POSIX file system)");
        }
        Set<PosixFilePermission> perms;
        try {
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new KeyStoreException("cannot read permissions of " + p + ": " + e.getClass().getSimpleName());
        }
        for (PosixFilePermission perm : perms) {
            if (perm != PosixFilePermission.OWNER_READ && perm != PosixFilePermission.OWNER_WRITE
                    && perm != PosixFilePermission.OWNER_EXECUTE) {
                throw new KeyStoreException("refusing to use key file " + p + ": it is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "); restrict it with: chmod 600 " + p);
            }
        }
    }

    private static void checkName(String name) throws KeyStoreException {
        if (!isValidName(name)) {
            throw new KeyStoreException("invalid key name '" + (name == null ? "" : name.replaceAll("\\p{Cntrl}", "?"))
                    + "': use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
        }
    }
}
