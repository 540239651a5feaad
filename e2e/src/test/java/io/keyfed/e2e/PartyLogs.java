package io.keyfed.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a party's log (RUN/logs/partyI.log) says about one sign request: its signing session logs lines
 * {@code sign request ID: ...}, among them {@code signed in attempt N (...)} and
 * {@code attempt N failed (...; coordinator ADDRESS sent no package)}.
 */
final class PartyLogs {
    private static final Pattern SIGNED = Pattern.compile("signed in attempt (\\d+)");

    private PartyLogs() {
    }

    /** The lines of the party's log about sign request {@code requestId}. */
    static List<String> lines(Path log, long requestId) throws Exception {
        String tag = "sign request " + Long.toUnsignedString(requestId) + ":";
        return Files.readAllLines(log).stream().filter(l -> l.contains(tag)).toList();
    }

    /** The N of every "signed in attempt N" line of sign request {@code requestId} in the party's log. */
    static List<Integer> signedInAttempts(Path log, long requestId) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (String line : lines(log, requestId)) {
            Matcher m = SIGNED.matcher(line);
            if (m.find()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }

    /**
     * {@link #signedInAttempts}, once the party has logged at least one (the line is written as the session ends,
     * around the answer the ledger records): waits for it up to 30 s; empty if it never came.
     */
    static List<Integer> awaitSignedInAttempts(Path log, long requestId) throws Exception {
        List<Integer> attempts = signedInAttempts(log, requestId);
        for (int i = 0; i < 150 && attempts.isEmpty(); i++) {
            Thread.sleep(200);
            attempts = signedInAttempts(log, requestId);
        }
        return attempts;
    }
}
