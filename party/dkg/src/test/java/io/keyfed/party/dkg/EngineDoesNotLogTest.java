package io.keyfed.party.dkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "Secrets: no logging": the engine has no logger and prints nothing, so no secret can reach a log from
 * here. Scans the main sources (comments and strings blanked) for loggers, console output and stack
 * traces.
 */
class EngineDoesNotLogTest {
    static final Pattern LOGGING = Pattern.compile(
            "System\\s*\\.\\s*(out|err)|printStackTrace|java\\.util\\.logging|org\\.jboss\\.logging|org\\.slf4j"
                    + "|java\\.lang\\.System\\.Logger|System\\s*\\.\\s*getLogger|io\\.quarkus\\.logging|log4j");

    @Test
    void mainCodeHasNoLoggerAndNoConsoleOutput() throws IOException {
        Map<String, String> sources = SecretScalarsAvoidBigIntegerTest.mainSources();
        assertTrue(sources.size() >= 30, "scanned only " + sources.size() + " files");
        List<String> hits = hits(sources);
        assertTrue(hits.isEmpty(), "logging or console output in the engine:\n" + String.join("\n", hits));
    }

    /** The scan can fail. */
    @Test
    void scanReportsALoggerAndAPrintln() {
        List<String> hits = hits(Map.of("secret/SecretShare.java", """
                import org.jboss.logging.Logger;
                // System.out.println("in a comment is fine");
                System.out.println(value());
                """));
        assertEquals(List.of("secret/SecretShare.java:1: import org.jboss.logging.Logger;",
                "secret/SecretShare.java:3: System.out.println(value());"), hits);
    }

    static List<String> hits(Map<String, String> sources) {
        List<String> out = new ArrayList<>();
        sources.forEach((file, src) -> {
            String[] lines = SecretScalarsAvoidBigIntegerTest.blankCommentsAndStrings(src).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (LOGGING.matcher(lines[i]).find()) {
                    out.add(file + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        });
        return out;
    }
}
