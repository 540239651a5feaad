package io.keyfed.api.wallet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Loads the published test vectors kept under src/test/resources/vectors. */
final class Vectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Vectors() {
    }

    static JsonNode load(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing vector file " + name);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        if (out.isEmpty()) {
            throw new IllegalStateException("empty vector list");
        }
        return out;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.toLowerCase(java.util.Locale.ROOT));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
