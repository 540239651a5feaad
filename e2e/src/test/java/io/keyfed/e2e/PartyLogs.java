package io.keyfed.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a party's log (RUN/logs/partyI.log) says about its signing sessions. */
final class PartyLogs {
    private static final Pattern SIGNED = Pattern.compile("signed in attempt (\\d+)");

    private PartyLogs() {
    }

    /**
     * The N of every "signed in attempt N" line of sign request {@code requestId} (the line names the request id
     * or the session id, in full or its first 16 hex digits) in the party's log.
     */
    static List<Integer> signedInAttempts(Path log, long requestId, byte[] sessionId) throws Exception {
        String sid = HexFormat.of().formatHex(sessionId);
        Pattern request = Pattern.compile("request\\D{0,16}\\b" + requestId + "\\b");
        List<Integer> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = SIGNED.matcher(line);
            if (m.find() && (line.contains(sid.substring(0, 16)) || request.matcher(line).find())) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }
}
