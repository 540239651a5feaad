package io.keyfed.party.hsm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

/**
 * Reads the token's user PIN from a file (first line) or an environment variable, never from a
 * command line or a configuration value. The caller owns the returned array and must wipe it.
 * A PIN read from the environment also exists as an immutable String in the JVM's environment
 * map, which cannot be wiped; prefer a file readable only by the party's user.
 */
final class PinSource {
    private static final Logger LOG = Logger.getLogger(PinSource.class);

    private PinSource() {
    }

    static char[] read(Optional<String> pinFile, String pinEnv) {
        return read(pinFile, pinEnv, System::getenv);
    }

    static char[] read(Optional<String> pinFile, String pinEnv, UnaryOperator<String> env) {
        if (pinFile.isPresent() && !pinFile.get().isBlank()) {
            return fromFile(Path.of(pinFile.get()));
        }
        String value = pinEnv == null || pinEnv.isBlank() ? null : env.apply(pinEnv);
        if (value == null || value.isEmpty()) {
            throw new HsmException(HsmException.Kind.PIN_MISSING,
                    "no HSM user PIN: set the environment variable " + pinEnv
                            + " (keyfed.party.hsm.pin-env) or keyfed.party.hsm.pin-file to a file holding it;"
                            + " never pass a PIN on the command line");
        }
        return value.toCharArray();
    }

    private static char[] fromFile(Path file) {
        byte[] bytes;
        try {
            warnIfReadableByOthers(file);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new HsmException(HsmException.Kind.PIN_MISSING,
                    "cannot read the HSM user PIN file " + file + " (keyfed.party.hsm.pin-file): "
                            + e.getClass().getSimpleName());
        }
        CharBuffer chars = null;
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            chars = decoder.decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            if (end == 0) {
                throw new HsmException(HsmException.Kind.PIN_MISSING,
                        "the HSM user PIN file " + file + " is empty");
            }
            char[] pin = new char[end];
            chars.get(0, pin);
            return pin;
        } catch (CharacterCodingException e) {
            throw new HsmException(HsmException.Kind.PIN_MISSING,
                    "the HSM user PIN file " + file + " is not UTF-8 text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warnf("HSM user PIN file %s is readable by group or others; restrict it to mode 0600", file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
