package io.keyfed.cli.command;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.log.LogVerifier;

/** {@code verify-log}: checks the ledger's whole tx-log hash chain. */
final class LogCommands {
    static final int PAGE_SIZE = 100;

    private LogCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("verify-log", "Recompute and check the whole tx-log hash chain")
                .addOption(Specs.value("--page-size", "N", "entries per request, 1.." + PAGE_SIZE + " (default "
                        + PAGE_SIZE + ")")),
                """
                Checks heights 1,2,3... without gaps, prev_hash = previous hash (32 zero bytes before
                height 1) and hash = SHA-256(prev_hash || tx_bytes || outcome).
                Output: 'log verified: N entries, head HASH' (exit 0), or on stderr
                'log verification failed at height H: REASON' (exit 1). --json prints
                {"verified":true,"entries":N,"head":"..."} or {"verified":false,"entries":N,"bad_height":H,
                "reason":"..."}.""", LogCommands::verify);
    }

    /** The outcome of a run over the whole log. */
    record Result(boolean ok, long entries, String head, long badHeight, String reason) {
    }

    static int verify(Context ctx, Args a) throws Exception {
        long pageSize = a.longValue("--page-size", PAGE_SIZE);
        if (pageSize < 1 || pageSize > PAGE_SIZE) {
            throw a.error("--page-size must be between 1 and " + PAGE_SIZE);
        }
        Result r = run(ctx.api(), (int) pageSize);
        if (ctx.json()) {
            ObjectNode o = Output.mapper().createObjectNode();
            o.put("verified", r.ok());
            o.put("entries", r.entries());
            if (r.ok()) {
                o.put("head", r.head());
            } else {
                o.put("bad_height", r.badHeight());
                o.put("reason", r.reason());
            }
            ctx.output().json(o);
        } else if (r.ok()) {
            ctx.output().line("log verified: " + r.entries() + " entries, head " + r.head());
        } else {
            ctx.err().println("log verification failed at height " + r.badHeight() + ": " + r.reason());
        }
        return r.ok() ? 0 : 1;
    }

    /**
     * Pages through GET /v1/txs from height 1, feeding every entry to a {@link LogVerifier}. Follows
     * next_page_token, or next_from_height when the ledger pages by height.
     */
    static Result run(LedgerApi api, int pageSize) throws LedgerClientException, CliException {
        LogVerifier v = new LogVerifier();
        String token = "";
        long from = 1;
        Set<String> seen = new HashSet<>();
        while (true) {
            JsonNode page = api.txs(from, pageSize, token);
            for (JsonNode item : LedgerJson.items(page, LedgerJson.TXS)) {
                LedgerJson.TxEntry e;
                try {
                    e = LedgerJson.txEntry(item);
                } catch (IllegalArgumentException bad) {
                    return new Result(false, v.count(), v.headHex(), v.count() + 1, bad.getMessage());
                }
                try {
                    v.accept(e);
                } catch (LogVerifier.BadEntry bad) {
                    return new Result(false, v.count(), v.headHex(), bad.height(), bad.reason());
                }
            }
            token = LedgerJson.nextPageToken(page);
            long nextFrom = LedgerJson.nextFromHeight(page);
            if (!token.isEmpty()) {
                if (!seen.add(token)) {
                    throw new CliException("BAD_RESPONSE", "the ledger repeated page token '" + token + "'");
                }
            } else if (nextFrom > 0) {
                if (nextFrom <= from) {
                    throw new CliException("BAD_RESPONSE", "the ledger's next_from_height " + nextFrom
                            + " does not advance past " + from);
                }
                from = nextFrom;
            } else {
                return new Result(true, v.count(), v.headHex(), 0, "");
            }
        }
    }
}
