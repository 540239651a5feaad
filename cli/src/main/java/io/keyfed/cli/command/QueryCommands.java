package io.keyfed.cli.command;

import java.util.HexFormat;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;

import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.cli.http.LedgerJson;

/** {@code balance}, {@code account}, {@code tx show}, {@code params}. */
final class QueryCommands {
    private QueryCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("balance", "Show an account's balance").addPositional(Specs.arg("ADDR|NAME")),
                """
                Output: address, amount, denom. --quiet prints only the amount; --json prints the ledger's
                {"address","denom","amount"}.""", QueryCommands::balance);
        r.add(Specs.command("account", "Show an account: public key, sequence, balance")
                .addPositional(Specs.arg("ADDR|NAME")),
                """
                        Output: address, public_key, sequence, balance. --quiet prints only the address;
                        --json prints the ledger's JSON.""", QueryCommands::account);
        r.add(Specs.command("tx show", "Show a transaction from the log by hash or height")
                .addPositional(Specs.optionalArg("HASH"))
                .addOption(Specs.value("--height", "N", "the transaction at this height")),
                """
                        Output: height, hash, prev_hash, kind, outcome, sender, time_unix_ms, tx_bytes (hex) and,
                        for kind "tx", the decoded chain_id, sequence and msg. --json prints the ledger's JSON.""",
                QueryCommands::txShow);
        r.add(Specs.command("params", "Show the ledger's parameters"),
                """
                Output: chain_id, address_prefix, denom, genesis_supply, escrow_address,
                default_timeout_seconds. --quiet prints only the chain id; --json prints the ledger's JSON.""",
                QueryCommands::params);
    }

    static int balance(Context ctx, Args a) throws Exception {
        String addr = ctx.resolveAccount(a.positional(0), ctx.accountPrefix(a));
        JsonNode b = ctx.api().balance(addr);
        if (ctx.json()) {
            ctx.output().json(b);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.text(b, LedgerJson.AMOUNT));
        } else {
            ctx.output().fields(new Output.Fields().add("address", LedgerJson.text(b, LedgerJson.ADDRESS))
                    .add("amount", LedgerJson.text(b, LedgerJson.AMOUNT)).add("denom", LedgerJson.text(b, LedgerJson.DENOM)));
        }
        return 0;
    }

    static int account(Context ctx, Args a) throws Exception {
        String addr = ctx.resolveAccount(a.positional(0), ctx.accountPrefix(a));
        JsonNode acc = ctx.api().account(addr);
        if (ctx.json()) {
            ctx.output().json(acc);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.account(acc).address());
        } else {
            ctx.output().object(acc);
        }
        return 0;
    }

    static int txShow(Context ctx, Args a) throws Exception {
        String hash = a.positional(0);
        Long height = a.longValue("--height");
        if ((hash == null) == (height == null)) {
            throw a.error("give either HASH or --height N");
        }
        JsonNode tx;
        if (hash != null) {
            tx = ctx.api().tx(hash);
        } else {
            var items = LedgerJson.items(ctx.api().txs(height, 1, null), LedgerJson.TXS);
            if (items.isEmpty() || LedgerJson.txEntry(items.get(0)).height() != height) {
                throw new CliException("NOT_FOUND", "no transaction at height " + height);
            }
            tx = items.get(0);
        }
        if (ctx.json()) {
            ctx.output().json(tx);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.text(tx, LedgerJson.HASH));
        } else {
            Output.Fields f = Output.flatten(tx);
            if ("tx".equals(LedgerJson.text(tx, LedgerJson.KIND))) {
                f.addAll(decode(LedgerJson.txEntry(tx).txBytes()));
            }
            ctx.output().fields(f);
        }
        return 0;
    }

    /** chain_id, sequence, signer public key and msg of a TxRaw, for display. */
    static Output.Fields decode(byte[] txRaw) {
        Output.Fields f = new Output.Fields();
        try {
            TxBody body = TxBody.parseFrom(TxRaw.parseFrom(txRaw).getBodyBytes());
            f.add("body.chain_id", body.getChainId())
                    .add("body.sequence", body.getSequence())
                    .add("body.public_key", HexFormat.of().formatHex(body.getPublicKey().toByteArray()))
                    .add("body.msg", body.getMsgCase().name().toLowerCase(Locale.ROOT));
        } catch (InvalidProtocolBufferException e) {
            f.add("body", "(not a decodable TxRaw)");
        }
        return f;
    }

    static int params(Context ctx, Args a) throws Exception {
        JsonNode p = ctx.api().params();
        if (ctx.json()) {
            ctx.output().json(p);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.params(p).chainId());
        } else {
            ctx.output().object(p);
        }
        return 0;
    }
}
