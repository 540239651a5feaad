package io.keyfed.cli.command;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.args.CommandSpec;
import io.keyfed.cli.args.Opt;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.KeyStoreException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxBuilder;

/** Signs one message with a stored key and submits it: chain id from params, sequence from the account. */
final class TxSubmitter {
    static final Opt FROM = Opt.required("--from", "NAME", "name of the signing key in HOME/keys");

    private TxSubmitter() {
    }

    /** A spec for a transaction command, with --from already added. */
    static CommandSpec txSpec(String name, String summary) {
        return new CommandSpec(name, summary).opt(FROM).notes("""
                Output: height, hash, outcome and, when set, created_address / key_request_id.
                --quiet prints only created_address (or key_request_id, or else the hash); --json prints the
                ledger's answer {height, hash, outcome, created_address, key_request_id}.""");
    }

    /** Builds, signs and posts the transaction; returns the ledger's result JSON. */
    static JsonNode submit(Context ctx, String from, Consumer<TxBody.Builder> msg)
            throws KeyStoreException, LedgerClientException, CliException {
        SigningKey key = ctx.keys().load(from);
        try {
            LedgerApi api = ctx.api();
            LedgerJson.Params params = ctx.params();
            if (params.chainId().isEmpty()) {
                throw new CliException("BAD_RESPONSE", "the ledger's /v1/params has no chain_id");
            }
            String prefix = params.addressPrefix().isEmpty() ? "zen" : params.addressPrefix();
            JsonNode account = api.accountOrNull(key.address(prefix));
            long sequence = account == null ? 0 : LedgerJson.account(account).sequence();
            TxRaw raw = TxBuilder.build(key, params.chainId(), sequence, msg);
            return api.broadcast(raw.toByteArray());
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
