package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.ledger.v1.MsgAddWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgRemoveWorkspaceOwner;
import io.keyfed.cli.args.CommandSpec;
import io.keyfed.cli.args.Opt;
import io.keyfed.cli.args.ParsedArgs;
import io.keyfed.cli.http.LedgerJson;

/** {@code workspace create|add-owner|remove-owner|show|list}. */
final class WorkspaceCommands {
    private WorkspaceCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(TxSubmitter.txSpec("workspace create", "Create a workspace owned by the signer (and any --owner)")
                .opt(Opt.repeated("--owner", "ADDR", "additional owner address (or key name)")),
                WorkspaceCommands::create);
        r.add(TxSubmitter.txSpec("workspace add-owner", "Add an owner to a workspace")
                .opt(Opt.required("--workspace", "W", "workspace address"))
                .opt(Opt.required("--owner", "ADDR", "new owner address (or key name)")),
                WorkspaceCommands::addOwner);
        r.add(TxSubmitter.txSpec("workspace remove-owner", "Remove an owner from a workspace (never the last one)")
                .opt(Opt.required("--workspace", "W", "workspace address"))
                .opt(Opt.required("--owner", "ADDR", "owner address (or key name) to remove")),
                WorkspaceCommands::removeOwner);
        r.add(new CommandSpec("workspace show", "Show a workspace").arg("ADDR").notes("""
                Output: address, creator, owners (comma-separated). --json prints the ledger's JSON."""),
                WorkspaceCommands::show);
        r.add(new CommandSpec("workspace list", "List workspaces, optionally only those with an owner")
                .opt(Opt.value("--owner", "ADDR", "only workspaces this account (or key name) owns")).notes("""
                Output: an ADDRESS OWNERS table. --quiet prints only the addresses; --json prints
                {"workspaces":[...],"next_page_token":""} with every page combined."""),
                WorkspaceCommands::list);
    }

    static int create(Context ctx, ParsedArgs a) throws Exception {
        String prefix = ctx.accountPrefix(a);
        List<String> owners = new ArrayList<>();
        for (String o : a.all("--owner")) {
            owners.add(ctx.resolveAccount(o, prefix));
        }
        JsonNode result = TxSubmitter.submit(ctx, a.get("--from"),
                b -> b.setNewWorkspace(MsgNewWorkspace.newBuilder().addAllAdditionalOwners(owners)));
        TxSubmitter.print(ctx, result);
        return 0;
    }

    static int addOwner(Context ctx, ParsedArgs a) throws Exception {
        String owner = ctx.resolveAccount(a.get("--owner"), ctx.accountPrefix(a));
        JsonNode result = TxSubmitter.submit(ctx, a.get("--from"),
                b -> b.setAddWorkspaceOwner(MsgAddWorkspaceOwner.newBuilder()
                        .setWorkspaceAddr(a.get("--workspace")).setNewOwner(owner)));
        TxSubmitter.print(ctx, result);
        return 0;
    }

    static int removeOwner(Context ctx, ParsedArgs a) throws Exception {
        String owner = ctx.resolveAccount(a.get("--owner"), ctx.accountPrefix(a));
        JsonNode result = TxSubmitter.submit(ctx, a.get("--from"),
                b -> b.setRemoveWorkspaceOwner(MsgRemoveWorkspaceOwner.newBuilder()
                        .setWorkspaceAddr(a.get("--workspace")).setOwner(owner)));
        TxSubmitter.print(ctx, result);
        return 0;
    }

    static int show(Context ctx, ParsedArgs a) throws Exception {
        JsonNode ws = ctx.api().workspace(a.positional(0));
        if (ctx.json()) {
            ctx.output().json(ws);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.text(ws, LedgerJson.ADDRESS));
        } else {
            ctx.output().object(ws);
        }
        return 0;
    }

    static int list(Context ctx, ParsedArgs a) throws Exception {
        io.keyfed.cli.http.LedgerApi api = ctx.api();
        String owner = a.has("--owner") ? ctx.resolveAccount(a.get("--owner"), ctx.accountPrefix(a)) : null;
        List<JsonNode> items = Pages.all(t -> api.workspaces(owner, t), LedgerJson.WORKSPACES);
        if (ctx.json()) {
            ctx.output().json(Pages.combined(LedgerJson.WORKSPACES, items));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ADDRESS", "OWNERS"});
        for (JsonNode w : items) {
            List<String> os = new ArrayList<>();
            JsonNode arr = LedgerJson.field(w, LedgerJson.OWNERS);
            if (arr != null) {
                arr.forEach(x -> os.add(x.asText()));
            }
            rows.add(new String[] {LedgerJson.text(w, LedgerJson.ADDRESS), String.join(",", os)});
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
}
