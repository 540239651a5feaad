package io.keyfed.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code init}: the admin key and C owner keys in the client home, and a genesis funding them. */
@Command(name = "init", description = "Create the admin and owner keys and write a genesis funding them.")
final class InitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "client home for the keys")
    Path home;

    @Option(names = "--accounts", paramLabel = "C", defaultValue = "32", description = "owner accounts (default 32)")
    int accounts;

    @Option(names = "--amount", paramLabel = "A", defaultValue = "1000000000",
            description = "urock for each account (default 1000000000)")
    String amount;

    @Option(names = "--chain-id", paramLabel = "ID", defaultValue = "keyfed-bench",
            description = "chain id (default keyfed-bench)")
    String chainId;

    @Option(names = "--genesis", required = true, paramLabel = "FILE", description = "where to write the genesis")
    Path genesis;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "120",
            description = "default key-request timeout, seconds (default 120)")
    int timeout;

    @Override
    public Integer call() throws Exception {
        KeyStore ks = new KeyStore(home);
        SecureRandom rnd = new SecureRandom();
        ObjectNode doc = JSON.createObjectNode();
        doc.put("chain_id", chainId);
        ArrayNode acc = doc.putArray("accounts");
        List<String> names = new ArrayList<>();
        names.add(LoadGenerator.ADMIN);
        for (int i = 1; i <= accounts; i++) {
            names.add(LoadGenerator.ownerName(i));
        }
        for (String n : names) {
            SigningKey k = ks.exists(n) ? ks.load(n) : ks.create(n, rnd);
            ObjectNode o = acc.addObject();
            o.put("address", k.address(Addresses.DEFAULT_PREFIX));
            o.put("amount", amount);
        }
        ObjectNode params = doc.putObject("params");
        params.put("default_timeout_seconds", (long) timeout);
        params.put("max_timeout_seconds", Math.max((long) timeout, 3600));
        Files.writeString(genesis, JSON.writeValueAsString(doc));
        return 0;
    }
}
