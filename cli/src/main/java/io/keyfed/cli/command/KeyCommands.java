package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.cli.http.LedgerJson;
import picocli.CommandLine.Model.OptionSpec;

/** {@code key request|show|list|requests|request-show}. */
final class KeyCommands {
    static final long DEFAULT_WAIT_SECONDS = 300;
    private static final String KEY_OUTPUT = """
            Output: the key's fields (id, workspace_addr, keyring_addr, type, public_key, holders, degraded,
            verifying_key: x(Q) for taproot keys, else the public key), then 'wallets:' with one
            '  TYPE  ADDRESS' line per wallet. --quiet prints only the wallet addresses, one per line;
            --json prints the ledger's {"key":{...},"wallets":[{"type","address"}]}.""";

    private KeyCommands() {
    }

    private static OptionSpec wallet() {
        return Specs.choice("--wallet", "TYPE",
                "only this wallet: native, evm, btc_testnet, btc_mainnet, btc_regnet, solana, zcash_mainnet, "
                        + "zcash_testnet, btc_taproot_mainnet, btc_taproot_testnet, btc_taproot_regnet "
                        + "(default: all that fit)", EnumArgs.WALLET_TYPES);
    }

    private static OptionSpec prefixes() {
        return Specs.repeated("--prefix", "P", "bech32 prefix for NATIVE wallets (default: the ledger's)");
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("key request", "Ask a keyring for a new key for a workspace")
                .addOption(TxCommandSupport.from())
                .addOption(Specs.required("--workspace", "W", "workspace address (the signer must own it)"))
                .addOption(Specs.required("--keyring", "K", "keyring address"))
                .addOption(Specs.requiredChoice("--type", "TYPE", "ecdsa, ed25519 (eddsa), bitcoin (btc) or taproot "
                        + "(bitcoin-taproot)",
                        EnumArgs.KEY_TYPES))
                .addOption(Specs.value("--timeout", "SECONDS", "seconds until the request is rejected and refunded "
                        + "(default: the ledger's)"))
                .addOption(Specs.flag("--wait", "wait until the request is FULFILLED or REJECTED, then print the key"))
                .addOption(Specs.value("--wait-timeout", "SECONDS", "give up waiting after this long (default "
                        + DEFAULT_WAIT_SECONDS + ")")), """
                        Output: height, hash, outcome, key_request_id. --quiet prints only the request id.
                        With --wait: then 'status: STATUS (n of t responses)' on each change (stderr with
                        --quiet/--json) and, once FULFILLED, the key as 'key show' prints it. --json with --wait
                        prints {"tx":{...},"request":{...},"key":{...}}. A REJECTED request or a wait timeout
                        exits with status 1 ('error: REJECTED: ...' / 'error: DEADLINE_EXCEEDED: ...').""",
                KeyCommands::request);
        r.add(Specs.command("key show", "Show a key and its addresses").addPositional(Specs.arg("ID"))
                .addOption(wallet()).addOption(prefixes()), KEY_OUTPUT, KeyCommands::show);
        r.add(Specs.command("key list", "List a workspace's keys")
                .addOption(Specs.required("--workspace", "W", "workspace address")).addOption(wallet())
                .addOption(prefixes()), """
                        Output: one block per key as 'key show' prints it, separated by blank lines. --quiet
                        prints only the key ids; --json prints {"keys":[...],"next_page_token":""}.""",
                KeyCommands::list);
        r.add(Specs.command("key requests", "List key requests")
                .addOption(Specs.value("--keyring", "K", "only this keyring's"))
                .addOption(Specs.value("--workspace", "W", "only this workspace's"))
                .addOption(Specs.choice("--status", "S", "only this status: pending, partial, fulfilled, rejected",
                        EnumArgs.STATUSES)), """
                        Output: an ID STATUS TYPE RESPONSES WORKSPACE KEYRING table. --quiet prints only the ids;
                        --json prints {"requests":[...],"next_page_token":""}.""",
                KeyCommands::requests);
        r.add(Specs.command("key request-show", "Show one key request").addPositional(Specs.arg("ID")), """
                Output: the request's fields as aligned lines. --quiet prints only the status;
                --json prints the ledger's JSON.""", KeyCommands::requestShow);
    }

    static int request(Context ctx, Args a) throws Exception {
        String type = EnumArgs.keyType(a, "--type");
        long timeout = a.longValue("--timeout", 0);
        long waitSeconds = a.longValue("--wait-timeout", DEFAULT_WAIT_SECONDS);
        boolean wait = a.has("--wait");
        if (a.has("--wait-timeout") && !wait) {
            throw a.error("--wait-timeout needs --wait");
        }
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                        .setWorkspaceAddr(a.get("--workspace"))
                        .setKeyringAddr(a.get("--keyring"))
                        .setKeyType(type)
                        .setTimeoutSeconds(timeout)));
        if (!wait) {
            TxCommandSupport.print(ctx, result);
            return 0;
        }
        LedgerJson.TxResult tx = LedgerJson.txResult(result);
        if (tx.keyRequestId() == 0) {
            throw new CliException("BAD_RESPONSE", "the ledger's answer carries no key_request_id");
        }
        if (ctx.quiet()) {
            ctx.output().line(Long.toString(tx.keyRequestId()));
        } else if (!ctx.json()) {
            ctx.output().fields(TxCommandSupport.fields(tx));
        }
        JsonNode request = waitFinal(ctx, tx.keyRequestId(), waitSeconds);
        LedgerJson.KeyRequestState st = LedgerJson.keyRequest(request);
        JsonNode key = LedgerJson.STATUS_FULFILLED.equals(st.status()) ? ctx.api().key(st.id(), null, null) : null;
        if (ctx.json()) {
            ObjectNode o = Output.mapper().createObjectNode();
            o.set("tx", result);
            o.set("request", request);
            if (key != null) {
                o.set("key", key);
            }
            ctx.output().json(o);
        } else if (key != null && !ctx.quiet()) {
            printKey(ctx, key);
        }
        if (key == null) {
            throw new CliException("REJECTED", "key request " + st.id() + " was rejected: " + st.rejectReason());
        }
        return 0;
    }

    /** Waits until the request is final, reporting each change ({@link RequestWait}). */
    static JsonNode waitFinal(Context ctx, long id, long waitSeconds) throws Exception {
        return RequestWait.untilFinal(ctx, "key request " + id, waitSeconds, () -> ctx.api().keyRequest(id), req -> {
            LedgerJson.KeyRequestState st = LedgerJson.keyRequest(req);
            return new RequestWait.Reading("status: " + st.status() + " (" + st.responses() + " of " + st.threshold()
                    + " responses)", st.status(), st.isFinal(), LedgerJson.STATUS_REJECTED.equals(st.status())
                            ? List.of("reject_reason: " + Output.escape(st.rejectReason())) : List.of());
        });
    }

    static int show(Context ctx, Args a) throws Exception {
        long id = a.parseNonNegative("ID", a.positional(0));
        JsonNode key = ctx.api().key(id, EnumArgs.walletType(a, "--wallet"), String.join(",", a.all("--prefix")));
        if (ctx.json()) {
            ctx.output().json(key);
        } else if (ctx.quiet()) {
            for (String[] w : LedgerJson.wallets(key)) {
                ctx.output().line(w[1]);
            }
        } else {
            printKey(ctx, key);
        }
        return 0;
    }

    static int list(Context ctx, Args a) throws Exception {
        io.keyfed.cli.http.LedgerApi api = ctx.api();
        String wallet = EnumArgs.walletType(a, "--wallet");
        String prefixes = String.join(",", a.all("--prefix"));
        List<JsonNode> keys = Pages.all(t -> api.keys(a.get("--workspace"), wallet, prefixes, t), LedgerJson.KEYS);
        if (ctx.json()) {
            ctx.output().json(Pages.combined(LedgerJson.KEYS, keys));
        } else if (ctx.quiet()) {
            for (JsonNode k : keys) {
                ctx.output().line(LedgerJson.text(LedgerJson.field(k, LedgerJson.KEY), LedgerJson.ID));
            }
        } else if (keys.isEmpty()) {
            ctx.output().line("(none)");
        } else {
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    ctx.out().println();
                }
                printKey(ctx, keys.get(i));
            }
        }
        return 0;
    }

    static int requests(Context ctx, Args a) throws Exception {
        io.keyfed.cli.http.LedgerApi api = ctx.api();
        String status = EnumArgs.status(a, "--status");
        List<JsonNode> reqs = Pages.all(t -> api.keyRequests(a.get("--keyring"), a.get("--workspace"),
                status, t), LedgerJson.REQUESTS);
        if (ctx.json()) {
            ctx.output().json(Pages.combined(LedgerJson.REQUESTS, reqs));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "TYPE", "RESPONSES", "WORKSPACE", "KEYRING"});
        for (JsonNode r : reqs) {
            LedgerJson.KeyRequestState st = LedgerJson.keyRequest(r);
            rows.add(new String[] {Long.toString(st.id()), EnumArgs.shortName(st.status(), LedgerJson.STATUS_PREFIX),
                    EnumArgs.shortName(LedgerJson.text(r, LedgerJson.KEY_TYPE), "KEY_TYPE_"),
                    st.responses() + "/" + st.threshold(), LedgerJson.text(r, LedgerJson.WORKSPACE_ADDR),
                    LedgerJson.text(r, LedgerJson.KEYRING_ADDR)});
        }
        if (ctx.quiet()) {
            for (int i = 1; i < rows.size(); i++) {
                ctx.output().line(rows.get(i)[0]);
            }
        } else {
            ctx.output().table(rows);
        }
        return 0;
    }

    static int requestShow(Context ctx, Args a) throws Exception {
        long id = a.parseNonNegative("ID", a.positional(0));
        JsonNode req = ctx.api().keyRequest(id);
        if (ctx.json()) {
            ctx.output().json(req);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.keyRequest(req).status());
        } else {
            ctx.output().object(req);
        }
        return 0;
    }

    /** The key's fields, then its wallets as an indented TYPE ADDRESS list. */
    static void printKey(Context ctx, JsonNode keyResponse) {
        ctx.output().object(LedgerJson.field(keyResponse, LedgerJson.KEY));
        List<String[]> wallets = LedgerJson.wallets(keyResponse);
        ctx.output().line("wallets:" + (wallets.isEmpty() ? " (none)" : ""));
        int width = 0;
        for (String[] w : wallets) {
            width = Math.max(width, EnumArgs.shortName(w[0], LedgerJson.WALLET_PREFIX).length());
        }
        for (String[] w : wallets) {
            String t = EnumArgs.shortName(w[0], LedgerJson.WALLET_PREFIX);
            ctx.output().line("  " + t + " ".repeat(width - t.length() + 2) + w[1]);
        }
    }
}
