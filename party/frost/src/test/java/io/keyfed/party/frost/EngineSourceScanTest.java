package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Build checks over this module's main sources, comments and string literals blanked out:
 * <ul>
 *   <li>no {@code BigInteger} or {@code java.math} at all: the engine's scalars (shares, nonces, and the
 *       public values too) go through the curve's constant-time, wipeable {@code Scalar} operations only;</li>
 *   <li>no I/O, clocks or logging: the engine is pure.</li>
 * </ul>
 */
class EngineSourceScanTest {
    static final Path MAIN = Path.of("src/main/java/io/keyfed/party/frost");
    static final Pattern BIG_INTEGER = Pattern.compile("BigInteger|java\\.math");
    static final Pattern IMPURE = Pattern.compile("java\\.net|java\\.nio\\.file|java\\.io\\.File|System\\.(out|err)"
            + "|currentTimeMillis|nanoTime|java\\.time|Logger|logging|printStackTrace");

    @Test
    void noBigIntegerInMainCode() throws IOException {
        Map<String, String> sources = mainSources();
        assertTrue(sources.keySet().containsAll(List.of("Frost.java", "SigningNonces.java", "SigningMath.java",
                "Secp256k1Tr.java", "KeyAdjustment.java")), "scanned " + sources.keySet());
        assertEquals(List.of(), hits(sources, BIG_INTEGER));
    }

    @Test
    void noIoClocksOrLoggingInMainCode() throws IOException {
        assertEquals(List.of(), hits(mainSources(), IMPURE));
    }

    /** The scan can fail: code is reported, comments and strings are not. */
    @Test
    void scanReportsCodeNotCommentsOrStrings() {
        Map<String, String> fake = Map.of("X.java", """
                // BigInteger in a comment
                /* System.out in a block comment */
                String s = "java.math in a string";
                java.math.BigInteger v = null;
                System.out.println(v);
                """);
        assertEquals(List.of("X.java:4: java.math.BigInteger v = null;"), hits(fake, BIG_INTEGER));
        assertEquals(List.of("X.java:5: System.out.println(v);"), hits(fake, IMPURE));
    }

    static List<String> hits(Map<String, String> sources, Pattern token) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(sources).entrySet()) {
            String[] lines = blankCommentsAndStrings(e.getValue()).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (token.matcher(lines[i]).find()) {
                    out.add(e.getKey() + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        return out;
    }

    /** Comments and the contents of string and char literals become spaces; line breaks stay. */
    static String blankCommentsAndStrings(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                for (; i < end; i++) {
                    if (src.charAt(i) == '\n') {
                        b.append('\n');
                    }
                }
            } else if (c == '"' || c == '\'') {
                b.append(c);
                i++;
                while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                if (i < n && src.charAt(i) == c) {
                    b.append(c);
                    i++;
                }
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    static Map<String, String> mainSources() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                out.put(MAIN.relativize(p).toString().replace('\\', '/'), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
