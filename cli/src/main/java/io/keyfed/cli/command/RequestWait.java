package io.keyfed.cli.command;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.cli.http.LedgerClientException;

/**
 * {@code --wait} for a key or sign request: polls the ledger every {@value #POLL_MILLIS} ms until the request
 * is final, printing each change of its progress line (to stderr with {@code --json} or {@code --quiet}), and
 * the request's closing lines once it is final. A ledger that is briefly unreachable (restart, network blip)
 * is retried until the wait's deadline; an answer from the ledger that is an error ends the wait at once.
 */
final class RequestWait {
    static final long POLL_MILLIS = 250;

    /** What one read of a request shows. */
    record Reading(String progress, String status, boolean isFinal, List<String> closingLines) {
    }

    /** One read of the request from the ledger. */
    @FunctionalInterface
    interface Fetch {
        JsonNode read() throws Exception;
    }

    private RequestWait() {
    }

    /**
     * @param what "key request 7" or "sign request 3", for the message when the wait runs out
     * @return the request as last read, final
     */
    static JsonNode untilFinal(Context ctx, String what, long waitSeconds, Fetch fetch,
            Function<JsonNode, Reading> read) throws Exception {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        var progress = ctx.json() || ctx.quiet() ? ctx.err() : ctx.out();
        String last = null;
        while (true) {
            JsonNode req;
            try {
                req = fetch.read();
            } catch (LedgerClientException e) {
                if (e.httpStatus() != 0 || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            Reading r = read.apply(req);
            if (!r.progress().equals(last)) {
                progress.println(r.progress());
                progress.flush();
                last = r.progress();
            }
            if (r.isFinal()) {
                r.closingLines().forEach(progress::println);
                return req;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new CliException("DEADLINE_EXCEEDED", what + " is still " + r.status() + " after " + waitSeconds
                        + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
