package io.keyfed.api.verify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Loads the published vectors under src/test/resources/vectors; every file names its source. */
final class VerifyVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VerifyVectors() {
    }

    static JsonNode load(String name) {
        try (InputStream in = VerifyVectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing vector file " + name);
            }
            JsonNode root = MAPPER.readTree(in);
            if (!root.hasNonNull("source") || root.get("source").asText().isBlank()) {
                throw new IllegalStateException(name + " does not name its source");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
