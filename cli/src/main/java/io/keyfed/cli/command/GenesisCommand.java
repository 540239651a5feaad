package io.keyfed.cli.command;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.api.crypto.Addresses;

/** {@code genesis}: writes the genesis JSON the ledger reads at first start. Works offline. */
final class GenesisCommand {
    static final String CHAIN_ID = "chain_id";
    static final String ACCOUNTS = "accounts";
    static final String ADDRESS = "address";
    static final String AMOUNT = "amount";
    static final String PARAMS = "params";
    static final String DEFAULT_TIMEOUT = "default_timeout_seconds";
    static final String MAX_TIMEOUT = "max_timeout_seconds";

    private GenesisCommand() {
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("genesis", "Write a genesis file: chain id, funded accounts, settings")
                .addOption(Specs.required("--out", "FILE", "where to write the genesis JSON (overwritten)"))
                .addOption(Specs.required("--chain-id", "ID", "chain id"))
                .addOption(Specs.requiredRepeated("--account", "NAME_OR_ADDR=AMOUNT", "a funded account (key name or "
                        + "address) and its urock balance"))
                .addOption(Specs.value("--default-timeout", "SECONDS", "default key-request timeout"))
                .addOption(Specs.value("--max-timeout", "SECONDS", "largest key-request timeout a request may ask for"))
                .addOption(Specs.value("--prefix", "P",
                        "account address prefix for key names and checks (default zen)")),
                """
                        Writes {"chain_id":ID,"accounts":[{"address":A,"amount":"N"}...],
                        "params":{"default_timeout_seconds":S,"max_timeout_seconds":M}} (each param only when given).
                        Output: 'wrote FILE: N accounts, supply S urock, chain ID'. --quiet prints only FILE;
                        --json prints the written document.""",
                GenesisCommand::run);
    }

    static int run(Context ctx, Args a) throws Exception {
        String prefix = a.get("--prefix", Addresses.DEFAULT_PREFIX);
        String chainId = a.get("--chain-id");
        if (chainId.isBlank()) {
            throw a.error("--chain-id must not be empty");
        }
        ObjectNode doc = Output.mapper().createObjectNode();
        doc.put(CHAIN_ID, chainId);
        ArrayNode accounts = doc.putArray(ACCOUNTS);
        Set<String> seen = new HashSet<>();
        BigInteger supply = BigInteger.ZERO;
        for (String spec : a.all("--account")) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0) {
                throw a.error("--account '" + spec + "': expected NAME_OR_ADDR=AMOUNT");
            }
            String who = spec.substring(0, eq);
            String amount = a.canonicalAmount("--account " + who, spec.substring(eq + 1));
            String address = ctx.resolveAccount(who, prefix);
            try {
                Addresses.requireAddress(address, prefix, "account");
            } catch (IllegalArgumentException e) {
                throw a.error("--account '" + spec + "': '" + who + "' is neither a stored key nor a valid address ("
                        + e.getMessage() + ")");
            }
            if (!seen.add(address)) {
                throw a.error("--account: " + address + " is listed twice");
            }
            ObjectNode acc = accounts.addObject();
            acc.put(ADDRESS, address);
            acc.put(AMOUNT, amount);
            supply = supply.add(new BigInteger(amount));
        }
        ObjectNode params = doc.putObject(PARAMS);
        Long timeout = a.longValue("--default-timeout");
        if (timeout != null) {
            if (timeout == 0) {
                throw a.error("--default-timeout must be positive");
            }
            params.put(DEFAULT_TIMEOUT, timeout);
        }
        Long max = a.longValue("--max-timeout");
        if (max != null) {
            if (max == 0 || (timeout != null && max < timeout)) {
                throw a.error("--max-timeout must be positive and at least --default-timeout");
            }
            params.put(MAX_TIMEOUT, max);
        }
        Path out = Path.of(a.get("--out"));
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(out, Output.mapper().writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new CliException("IO_ERROR", "cannot write " + out + ": " + e.getMessage());
        }
        if (ctx.json()) {
            ctx.output().json(doc);
        } else if (ctx.quiet()) {
            ctx.output().line(out.toString());
        } else {
            ctx.output().line("wrote " + out + ": " + accounts.size() + " accounts, supply " + supply
                    + " urock, chain " + chainId);
        }
        return 0;
    }
}
