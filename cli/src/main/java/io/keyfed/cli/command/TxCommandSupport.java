package io.keyfed.cli.command;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.KeyStoreException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxSubmitter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What the transaction commands share: {@code --from}, the output notes, submitting and printing. */
final class TxCommandSupport {
    static final String TX_NOTES = """
            Output: height, hash, outcome and, when set, created_address / key_request_id.
            --quiet prints only created_address (or key_request_id, or else the hash); --json prints the
            ledger's answer {height, hash, outcome, created_address, key_request_id}.""";

    private TxCommandSupport() {
    }

    static OptionSpec from() {
        return Specs.required("--from", "NAME", "name of the signing key in HOME/keys");
    }

    /** A spec for a transaction command, with --from already added. */
    static CommandSpec txSpec(String name, String summary) {
        return Specs.command(name, summary, TX_NOTES).addOption(from());
    }

    /** Signs with the stored key {@code from} and posts the transaction; returns the ledger's result JSON. */
    static JsonNode submit(Context ctx, String from, Consumer<TxBody.Builder> msg)
            throws KeyStoreException, LedgerClientException, CliException {
        SigningKey key = ctx.keys().load(from);
        try {
            return new TxSubmitter(ctx.api()).submit(key, msg);
        } finally {
            key.destroy();
        }
    }

    /** Prints a transaction result as the global output mode asks. */
    static void print(Context ctx, JsonNode result) {
        LedgerJson.TxResult r = LedgerJson.txResult(result);
        if (ctx.json()) {
            ctx.output().json(result);
        } else if (ctx.quiet()) {
            ctx.output().line(quietValue(r));
        } else {
            ctx.output().fields(fields(r));
        }
    }

    static Output.Fields fields(LedgerJson.TxResult r) {
        return new Output.Fields()
                .add("height", r.height())
                .add("hash", r.hash())
                .add("outcome", r.outcome())
                .addIfSet("created_address", r.createdAddress())
                .addIfSet("key_request_id", r.keyRequestId());
    }

    static String quietValue(LedgerJson.TxResult r) {
        if (!r.createdAddress().isEmpty()) {
            return r.createdAddress();
        }
        if (r.keyRequestId() != 0) {
            return Long.toString(r.keyRequestId());
        }
        return r.hash();
    }
}
