package io.keyfed.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code crypto}: {@code crypto_ms_per_key} and {@code floor_keys_per_s} from JMH results alone, with no deployment
 * ({@code ./keyfed bench --crypto-only}); the deployment's fields are null.
 */
@Command(name = "crypto", description = "The cryptography's cost per request from JMH results (-rf json).")
final class CryptoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--jmh", required = true, paramLabel = "FILE", description = "JMH results, -rf json")
    Path jmh;

    @Option(names = "--type", paramLabel = "TYPE", defaultValue = "ecdsa",
            description = "key type: ecdsa, ed25519, bitcoin or taproot (default ecdsa)")
    String type;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "2", description = "threshold (default 2)")
    int threshold;

    @Option(names = "--parties", paramLabel = "N", defaultValue = "3", description = "parties (default 3)")
    int parties;

    @Option(names = "--sign", description = "a sign request's cryptography instead of a key request's")
    boolean sign;

    @Option(names = "--messages", paramLabel = "M", defaultValue = "1",
            description = "with --sign: messages per request (default 1)")
    int messages;

    @Option(names = "--cores", paramLabel = "C", description = "cores for floor_keys_per_s (default: available "
            + "processors)")
    Integer cores;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
    Path jsonOut;

    @Override
    public Integer call() throws Exception {
        int c = cores == null ? Runtime.getRuntime().availableProcessors() : cores;
        CryptoCost.Cost cost;
        try {
            if (c < 1) {
                throw new IllegalArgumentException("--cores must be at least 1");
            }
            if (sign && SignLoad.signableType(type) == null) {
                throw new IllegalArgumentException("--sign needs --type ed25519, taproot, ecdsa or bitcoin");
            }
            cost = CryptoCost.compute(new CryptoCost.Flow(sign, type, threshold, parties, sign ? messages : 0),
                    JmhResults.read(jmh));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        double floor = CryptoCost.floorKeysPerS(c, cost.msPerKey());
        System.out.printf(Locale.ROOT, "crypto %s %s %d-of-%d: crypto_ms_per_key %.2f (%s), floor_keys_per_s %.0f "
                + "(%d cores); cpu_ms_per_key_deployment null, overhead_ratio null (--crypto-only)%n",
                sign ? "sign" : "key", type, threshold, parties, cost.msPerKey(), CryptoCost.formula(cost), floor, c);
        if (jsonOut != null) {
            ObjectNode j = JSON.createObjectNode();
            j.put("crypto_ms_per_key", CryptoCost.round(cost.msPerKey(), 3));
            j.putNull("cpu_ms_per_key_deployment");
            j.putNull("overhead_ratio");
            j.put("floor_keys_per_s", CryptoCost.round(floor, 1));
            ObjectNode crypto = j.putObject("crypto");
            crypto.put("cores", c);
            CryptoCost.describe(crypto, cost, "JMH results " + jmh);
            ObjectNode params = j.putObject("params");
            params.put("type", type);
            params.put("threshold", threshold);
            params.put("parties", parties);
            params.put("mode", sign ? "sign" : "key");
            if (sign) {
                params.put("messages", messages);
            }
            Files.writeString(jsonOut, JSON.writeValueAsString(j) + "\n");
        }
        return 0;
    }
}
