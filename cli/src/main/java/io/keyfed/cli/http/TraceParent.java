package io.keyfed.cli.http;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The W3C trace context a submit starts: the {@code traceparent} header value
 * {@code "00-<32 hex trace id>-<16 hex span id>-01"}. The client is the root of a key request's trace: the
 * ledger continues it for the commit, and every connector and party after it. With {@code TRACEPARENT} set in
 * the environment to a valid value (a script's own trace), the submit continues that one instead.
 */
public final class TraceParent {
    /** The environment variable a caller can set to put the client's submits into its own trace. */
    public static final String ENV = "TRACEPARENT";
    private static final Pattern VALID = Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceParent() {
    }

    /** Whether the value is a version-00 traceparent with non-zero ids. */
    public static boolean valid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** A traceparent of a new trace: random trace and span ids, sampled. */
    public static String generate() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        trace[0] |= 1;
        span[0] |= 1;
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    /** {@code TRACEPARENT} from the environment when valid, else a new trace. */
    public static String forSubmit() {
        String env = System.getenv(ENV);
        return valid(env) ? env : generate();
    }

    /** The trace id of a valid traceparent. */
    public static String traceId(String traceparent) {
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        return traceparent.substring(3, 35);
    }
}
