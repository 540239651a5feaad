package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Build checks over this module's main sources (line comments ignored): no {@code BigInteger} (scalars go
 * through the curve's constant-time, wipeable {@code Scalar}), and no I/O, clocks or logging (the engine is
 * pure); and no class holding secrets is a record.
 */
class EngineSourceScanTest {
    static final Path MAIN = Path.of("src/main/java/io/keyfed/party/dkls");
    static final Pattern BIG_INTEGER = Pattern.compile("BigInteger|java\\.math");
    static final Pattern IMPURE = Pattern.compile("java\\.net|java\\.nio\\.file|java\\.io\\.File|System\\.(out|err)"
            + "|currentTimeMillis|nanoTime|java\\.time|Logger|logging|printStackTrace");
    static final List<String> SECRET_TYPES = List.of("VsotSender", "VsotReceiver", "OtSenderOutput",
            "OtReceiverOutput", "PairSetupState", "PairwiseSetupOutput", "SoftSpokenReceiver", "CotOutput", "Step",
            "RvoleReceiver", "RvoleOutput", "SignState");

    static List<String> hits(Pattern p) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(MAIN)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*$", "").replaceAll("^\\s*\\*.*$", "");
                    if (p.matcher(code).find()) {
                        out.add(f.getFileName() + ":" + (i + 1));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void noBigIntegerAndNoIoClocksOrLogging() throws IOException {
        assertTrue(Files.exists(MAIN.resolve("SoftSpokenSender.java")), "scanning the right folder");
        assertEquals(List.of(), hits(BIG_INTEGER));
        assertEquals(List.of(), hits(IMPURE));
    }

    /**
     * Every variable-base multiplication in the engine is by a secret scalar (b·A_k, b·(A_k − B), a_k·B in the
     * base OT; φ_i·X_j, φ_i·R_j in the signing's Γ checks), so none may use the variable-time {@code mul}: no
     * {@code .mul(} on the curve anywhere, and the five call sites use {@code mulSecret}.
     */
    @Test
    void secretScalarMultiplicationsUseTheConstantTimeMultiply() throws IOException {
        assertEquals(List.of(), hits(Pattern.compile("\\bC\\s*\\.\\s*mul\\s*\\(|Curve\\.\\w+\\.mul\\s*\\(")));
        for (String type : List.of("VsotSender", "VsotReceiver", "SignRound3")) {
            String src = Files.readString(MAIN.resolve(type + ".java"));
            assertTrue(src.contains("C.mulSecret("), type + " multiplies its secret scalars with mulSecret");
            assertTrue(!src.contains(".mul("), type + " has no variable-time mul");
        }
    }

    @Test
    void secretBearingTypesAreClassesWithARedactedToString() throws IOException {
        for (String type : SECRET_TYPES) {
            String src = Files.readString(MAIN.resolve(type + ".java"));
            assertTrue(src.contains("public final class " + type), type + " is a final class, not a record");
            assertTrue(src.contains("REDACTED"), type + " redacts its toString");
        }
    }
}
