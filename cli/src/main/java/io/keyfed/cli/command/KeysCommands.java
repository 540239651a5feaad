package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.keys.KeyStoreException;
import io.keyfed.cli.keys.SigningKey;
import picocli.CommandLine.Model.OptionSpec;

/** {@code keys add|list|show}: local key files. Never prints a private key. */
final class KeysCommands {
    static OptionSpec prefix() {
        return Specs.value("--prefix", "P",
                "account address prefix (default: the ledger's address_prefix, or zen when offline)");
    }

    private static final String KEY_OUTPUT = """
            Output: name, address, public_key (hex) and file. --quiet prints only the address; --json prints
            {"name","address","public_key","file"}.""";

    private KeysCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("keys add", "Create a new secp256k1 account key in HOME/keys/NAME.key (mode 0600)")
                .addPositional(Specs.arg("NAME")).addOption(prefix()),
                KEY_OUTPUT, KeysCommands::add);
        r.add(Specs.command("keys list", "List the stored keys and their addresses").addOption(prefix()),
                """
                Output: a NAME ADDRESS table. --quiet prints only the names; --json prints
                {"keys":[{"name","address","public_key","file"}]}.""", KeysCommands::list);
        r.add(Specs.command("keys show", "Show a stored key's address and public key")
                .addPositional(Specs.arg("NAME"))
                .addOption(prefix()).addOption(Specs.flag("--party", "print only ADDR:PUBHEX, the form 'keyring create --party' takes")),
                KEY_OUTPUT, KeysCommands::show);
    }

    static int add(Context ctx, Args a) throws Exception {
        String name = a.positional(0);
        String prefix = ctx.accountPrefix(a);
        SigningKey key = ctx.keys().create(name, ctx.random());
        try {
            printKey(ctx, key, prefix);
        } finally {
            key.destroy();
        }
        return 0;
    }

    static int show(Context ctx, Args a) throws Exception {
        String prefix = ctx.accountPrefix(a);
        SigningKey key = ctx.keys().load(a.positional(0));
        try {
            if (a.has("--party")) {
                ctx.output().line(key.address(prefix) + ":" + HexFormat.of().formatHex(key.publicKey()));
                return 0;
            }
            printKey(ctx, key, prefix);
        } finally {
            key.destroy();
        }
        return 0;
    }

    static int list(Context ctx, Args a) throws Exception {
        String prefix = ctx.accountPrefix(a);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ADDRESS"});
        ArrayNode arr = Output.mapper().createArrayNode();
        int status = 0;
        for (String name : ctx.keys().list()) {
            try {
                SigningKey key = ctx.keys().load(name);
                try {
                    rows.add(new String[] {name, key.address(prefix)});
                    arr.add(describe(ctx, key, prefix));
                } finally {
                    key.destroy();
                }
            } catch (KeyStoreException e) {
                ctx.err().println("warning: " + e.getMessage());
                status = 1;
            }
        }
        if (ctx.json()) {
            ObjectNode o = Output.mapper().createObjectNode();
            o.set("keys", arr);
            ctx.output().json(o);
        } else if (ctx.quiet()) {
            for (int i = 1; i < rows.size(); i++) {
                ctx.output().line(rows.get(i)[0]);
            }
        } else {
            ctx.output().table(rows);
        }
        return status;
    }

    private static ObjectNode describe(Context ctx, SigningKey key, String prefix) throws KeyStoreException {
        ObjectNode o = Output.mapper().createObjectNode();
        o.put("name", key.name());
        o.put("address", key.address(prefix));
        o.put("public_key", HexFormat.of().formatHex(key.publicKey()));
        o.put("file", ctx.keys().pathOf(key.name()).toString());
        return o;
    }

    private static void printKey(Context ctx, SigningKey key, String prefix) throws KeyStoreException {
        if (ctx.json()) {
            ctx.output().json(describe(ctx, key, prefix));
        } else if (ctx.quiet()) {
            ctx.output().line(key.address(prefix));
        } else {
            ctx.output().fields(new Output.Fields()
                    .add("name", key.name())
                    .add("address", key.address(prefix))
                    .add("public_key", HexFormat.of().formatHex(key.publicKey()))
                    .add("file", ctx.keys().pathOf(key.name())));
        }
    }
}
