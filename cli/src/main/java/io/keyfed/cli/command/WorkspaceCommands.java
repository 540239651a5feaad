package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.ledger.v1.MsgAddWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgRemoveWorkspaceOwner;
import io.keyfed.cli.http.LedgerJson;

/** {@code workspace create|add-owner|remove-owner|show|list}. */
final class WorkspaceCommands {
    private WorkspaceCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(TxCommandSupport.txSpec("workspace create",
                "Create a workspace owned by the signer (and any --owner)")
                .addOption(Specs.repeated("--owner", "ADDR", "additional owner address (or key name)")),
                WorkspaceCommands::create);
        r.add(TxCommandSupport.txSpec("workspace add-owner", "Add an owner to a workspace")
                .addOption(Specs.required("--workspace", "W", "workspace address"))
                .addOption(Specs.required("--owner", "ADDR", "new owner address (or key name)")),
                WorkspaceCommands::addOwner);
        r.add(TxCommandSupport.txSpec("workspace remove-owner",
                "Remove an owner from a workspace (never the last one)")
                .addOption(Specs.required("--workspace", "W", "workspace address"))
                .addOption(Specs.required("--owner", "ADDR", "owner address (or key name) to remove")),
                WorkspaceCommands::removeOwner);
        r.add(Specs.command("workspace show", "Show a workspace").addPositional(Specs.arg("ADDR")),
                """
                Output: address, creator, owners (comma-separated). --json prints the ledger's JSON.""",
                WorkspaceCommands::show);
        r.add(Specs.command("workspace list", "List workspaces, optionally only those with an owner")
                .addOption(Specs.value("--owner", "ADDR", "only workspaces this account (or key name) owns")),
                """
                Output: an ADDRESS OWNERS table. --quiet prints only the addresses; --json prints
                {"workspaces":[...],"next_page_token":""} with every page combined.""",
                WorkspaceCommands::list);
    }

    static int create(Context ctx, Args a) throws Exception {
        String prefix = ctx.accountPrefix(a);
        List<String> owners = new ArrayList<>();
        for (String o : a.all("--owner")) {
            owners.add(ctx.resolveAccount(o, prefix));
        }
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setNewWorkspace(MsgNewWorkspace.newBuilder().addAllAdditionalOwners(owners)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int addOwner(Context ctx, Args a) throws Exception {
        String owner = ctx.resolveAccount(a.get("--owner"), ctx.accountPrefix(a));
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setAddWorkspaceOwner(MsgAddWorkspaceOwner.newBuilder()
                        .setWorkspaceAddr(a.get("--workspace")).setNewOwner(owner)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int removeOwner(Context ctx, Args a) throws Exception {
        String owner = ctx.resolveAccount(a.get("--owner"), ctx.accountPrefix(a));
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setRemoveWorkspaceOwner(MsgRemoveWorkspaceOwner.newBuilder()
                        .setWorkspaceAddr(a.get("--workspace")).setOwner(owner)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int show(Context ctx, Args a) throws Exception {
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

    static int list(Context ctx, Args a) throws Exception {
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
