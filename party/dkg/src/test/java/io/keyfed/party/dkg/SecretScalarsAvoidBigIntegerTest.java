package io.keyfed.party.dkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Build check: no secret scalar passes through {@code java.math.BigInteger} in this module's main code
 * (variable time, and immutable, so it can never be wiped).
 *
 * <p>Every main source file is scanned, comments and string literals blanked out, for {@code BigInteger}
 * (which also catches {@code BigIntegers}, {@code toBigInteger}, {@code fromBigInteger}) and
 * {@code java.math}. Each hit must be covered by an entry of {@link #ALLOWED}: a public-only use, with the
 * reason it is public. The secret paths ({@link #SECRET_PATHS}: the secret package, the round functions,
 * the scalar type and both scalar implementations, the round-1 package holding μ) may have no entry at
 * all. An entry that no longer matches anything fails too, so the list cannot go stale.
 */
class SecretScalarsAvoidBigIntegerTest {
    static final Path MAIN = Path.of("src/main/java/io/keyfed/party/dkg");
    static final Pattern TOKEN = Pattern.compile("BigInteger|java\\.math");

    /** A public-only use: a code fragment in one file (path relative to {@link #MAIN}). */
    record Allowed(String file, String fragment, String whyPublic) {
    }

    static final List<Allowed> ALLOWED = List.of(
            new Allowed("curve/Curve.java", "import java.math.BigInteger;",
                    "for order()'s return type"),
            new Allowed("curve/Curve.java", "BigInteger order();",
                    "the group order q is a public constant (for documentation and test references)"),
            new Allowed("curve/Secp256k1Curve.java", "import java.math.BigInteger;",
                    "for n and publicInteger below"),
            new Allowed("curve/Secp256k1Curve.java", "BigInteger N = PARAMS.getN();",
                    "the group order n is a public constant"),
            new Allowed("curve/Secp256k1Curve.java", "public BigInteger order()",
                    "returns the public constant n"),
            new Allowed("curve/Secp256k1Curve.java", "private static BigInteger publicInteger(Scalar k)",
                    "converts PUBLIC scalars only: called by mul and mulBaseAddPublic (challenges, participant "
                            + "indices, broadcast μ), checked by publicIntegerIsCalledOnlyByThePublicMultipliers"),
            new Allowed("curve/Secp256k1Curve.java", "return new BigInteger(1, k.bytes(CurveId.SECP256K1));",
                    "body of publicInteger: the public scalar as BouncyCastle's variable-time multipliers take it"),
            new Allowed("curve/Secp256k1Projective.java",
                    "SecP256K1Field.fromBigInteger(p.getAffineXCoord().toBigInteger())",
                    "the base point P of mulSecret is public (a received or published point)"),
            new Allowed("curve/Secp256k1Projective.java",
                    "SecP256K1Field.fromBigInteger(p.getAffineYCoord().toBigInteger())",
                    "the base point P of mulSecret is public (a received or published point)"),
            new Allowed("curve/Secp256k1Projective.java",
                    "return curve.createPoint(Nat256.toBigInteger(x), Nat256.toBigInteger(y));",
                    "not the scalar: the affine coordinates of the product k·P handed to BouncyCastle's point "
                            + "type, as mulBase's result is; a residual leak about the product (not k), "
                            + "documented in Secp256k1Projective's Javadoc"),
            new Allowed("curve/Ed25519Curve.java", "import java.math.BigInteger;",
                    "for l"),
            new Allowed("curve/Ed25519Curve.java", "BigInteger L = BigInteger.ONE.shiftLeft(252)",
                    "the group order l is a public constant"),
            new Allowed("curve/Ed25519Curve.java", ".add(new BigInteger(\"\"))",
                    "the rest of l's definition (the digits are blanked with the other string literals)"),
            new Allowed("curve/Ed25519Curve.java", "public BigInteger order()",
                    "returns the public constant l"));

    /** Files on the secret paths: no BigInteger at all, whatever the allow-list says. */
    static final List<String> SECRET_PATHS = List.of("secret/", "Dkg.java", "pkg/Round1Package.java",
            "curve/Scalar.java", "curve/Secp256k1Scalars.java", "curve/Ed25519Scalars.java");

    @Test
    void mainCodeUsesBigIntegerOnlyForAllowListedPublicValues() throws IOException {
        Map<String, String> sources = mainSources();
        assertTrue(sources.size() >= 30, "scanned only " + sources.size() + " files under " + MAIN.toAbsolutePath());
        assertTrue(sources.keySet().containsAll(List.of("Dkg.java", "secret/SecretShare.java",
                "secret/SecretPolynomial.java", "curve/Secp256k1Curve.java", "curve/Ed25519Curve.java")));
        List<String> violations = violations(sources, ALLOWED);
        assertTrue(violations.isEmpty(), "BigInteger outside the allow-list of public values:\n"
                + String.join("\n", violations));
    }

    @Test
    void allowListNamesNoSecretPathAndEveryEntryIsUsed() throws IOException {
        Map<String, String> sources = mainSources();
        for (Allowed a : ALLOWED) {
            assertFalse(isSecretPath(a.file()), "allow-list entry on a secret path: " + a);
            assertFalse(a.whyPublic().isBlank(), "allow-list entry without a reason: " + a);
            String code = sources.get(a.file());
            assertTrue(code != null && blankCommentsAndStrings(code).contains(a.fragment()),
                    "stale allow-list entry: " + a);
        }
    }

    /** The one conversion of a scalar to BigInteger serves the public, variable-time multipliers only. */
    @Test
    void publicIntegerIsCalledOnlyByThePublicMultipliers() throws IOException {
        String code = blankCommentsAndStrings(mainSources().get("curve/Secp256k1Curve.java"));
        Pattern declaration = Pattern.compile("^    (?:public|private|static|\\s)+[\\w<>\\[\\]]+ (\\w+)\\(");
        List<String> callers = new ArrayList<>();
        String method = null;
        for (String line : code.split("\n")) {
            Matcher m = declaration.matcher(line);
            if (m.find()) {
                method = m.group(1);
                continue;
            }
            for (int at = line.indexOf("publicInteger("); at >= 0; at = line.indexOf("publicInteger(", at + 1)) {
                callers.add(method);
            }
        }
        assertEquals(List.of("mul", "mulBaseAddPublic", "mulBaseAddPublic"), callers);
    }

    /** The check can fail: a BigInteger on a secret path, even one the allow-list names, is reported. */
    @Test
    void scanReportsABigIntegerOnASecretPath() {
        Map<String, String> fake = new TreeMap<>();
        fake.put("secret/SecretShare.java", """
                // a BigInteger in a comment is fine
                /* and in a block comment, BigInteger */
                String s = "BigInteger in a string";
                java.math.BigInteger v = value();
                """);
        fake.put("curve/Curve.java", "import java.math.BigInteger;\nBigInteger order();\n");
        List<String> v = violations(fake, List.of(
                new Allowed("secret/SecretShare.java", "java.math.BigInteger v = value();", "pretends to be public"),
                new Allowed("curve/Curve.java", "import java.math.BigInteger;", "for order()")));
        // files in path order; the unlisted order() and the secret-path line, not the comments or string
        assertEquals(List.of("curve/Curve.java:2: BigInteger order();",
                "secret/SecretShare.java:4: java.math.BigInteger v = value();"), v);
    }

    static boolean isSecretPath(String file) {
        return SECRET_PATHS.stream().anyMatch(p -> p.endsWith("/") ? file.startsWith(p) : file.equals(p));
    }

    /** "file:line: code" for every hit that is on a secret path or not covered by an allow-list fragment. */
    static List<String> violations(Map<String, String> sources, List<Allowed> allowed) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String file = e.getKey();
            String[] lines = blankCommentsAndStrings(e.getValue()).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (!TOKEN.matcher(line).find()) {
                    continue;
                }
                boolean covered = !isSecretPath(file) && allowed.stream()
                        .filter(a -> a.file().equals(file) && line.contains(a.fragment()))
                        .anyMatch(a -> !TOKEN.matcher(line.replace(a.fragment(), "")).find());
                if (!covered) {
                    out.add(file + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        return out;
    }

    /**
     * Replaces comments and the contents of string and char literals by spaces, keeping line breaks, so
     * that only code is scanned (a string's quotes stay: {@code "abc"} becomes {@code ""}).
     */
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
