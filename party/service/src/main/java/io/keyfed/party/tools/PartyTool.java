package io.keyfed.party.tools;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.party.hsm.HsmConfig;
import io.keyfed.party.hsm.HsmException;
import io.keyfed.party.hsm.HsmReport;
import io.keyfed.party.hsm.HsmSettings;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.hsm.KeyStatus;

/**
 * Operator tools that run without the party service, straight on the party's token:
 *
 * <pre>
 * identity  --config FILE [--prefix P] [--pin-env NAME | --pin-file FILE] [--no-create]
 *     opens the token (creating the party's keys on first use unless --no-create) and prints
 *     ADDRESS:PUBLIC_KEY_HEX, the form a keyring registers a party in
 * hsm-check --config FILE [--pin-env NAME | --pin-file FILE] [--no-agreement]
 *     probes the PKCS#11 library and token without changing anything: mechanisms, login, keys
 * </pre>
 *
 * Exit status: 0 fine, 1 the token cannot serve a party, 2 bad usage. PINs are read from the
 * environment or a file, never from the command line.
 */
public final class PartyTool {
    private PartyTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-create", "--no-agreement" -> opts.put(a, "true");
                case "--config", "--prefix", "--pin-env", "--pin-file" -> {
                    if (i + 1 >= args.length) {
                        err.println("error: " + a + " needs a value");
                        return 2;
                    }
                    opts.put(a, args[++i]);
                }
                case "--help", "-h" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    err.println("error: unknown option '" + a + "'");
                    usage(err);
                    return 2;
                }
            }
        }
        if (!opts.containsKey("--config")) {
            err.println("error: --config FILE (the SunPKCS11 configuration of the party's token) is required");
            return 2;
        }
        HsmSettings config = HsmSettings.builder()
                .configFile(opts.get("--config"))
                .pinEnv(opts.getOrDefault("--pin-env", "KEYFED_HSM_USER_PIN"))
                .pinFile(Optional.ofNullable(opts.get("--pin-file")))
                .agreementEnabled(!opts.containsKey("--no-agreement"))
                .createMissingKeys(!opts.containsKey("--no-create"))
                .build();
        try {
            return switch (command) {
                case "identity" -> identity(config, opts.getOrDefault("--prefix", Addresses.DEFAULT_PREFIX), out);
                case "hsm-check" -> hsmCheck(config, out);
                default -> {
                    err.println("error: unknown command '" + command + "'");
                    usage(err);
                    yield 2;
                }
            };
        } catch (HsmException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int identity(HsmConfig config, String prefix, PrintStream out) {
        try (HsmToken token = HsmToken.open(config)) {
            byte[] pub = token.identityPublicKey();
            out.println(Addresses.account(prefix, pub) + ":" + HexFormat.of().formatHex(pub));
            return 0;
        }
    }

    private static int hsmCheck(HsmConfig config, PrintStream out) {
        HsmReport report = HsmToken.inspect(config);
        out.println("provider: " + report.provider());
        out.println("library:  " + report.providerInfo());
        out.println("mechanisms:");
        List<String> problems = new ArrayList<>();
        for (HsmReport.Mechanism m : report.mechanisms()) {
            out.printf("  %-24s %-28s %s%n", m.name(), m.service(), m.available() ? "ok" : "MISSING");
            if (!m.available()) {
                problems.add("mechanism " + m.name() + " is missing: " + m.consequence());
            }
        }
        report.loginError().ifPresent(e -> problems.add("login failed: " + e));
        out.println("keys:");
        for (KeyStatus k : report.keys()) {
            String state;
            if (!k.present()) {
                state = "MISSING";
                problems.add("key '" + k.alias() + "' (" + k.role() + ") is not in the token");
            } else if (!k.protectedInToken()) {
                state = "NOT PROTECTED (token object " + k.tokenObject() + ", sensitive " + k.sensitive()
                        + ", extractable " + k.extractable() + ")";
                problems.add("key '" + k.alias() + "' is not a sensitive, non-extractable token object");
            } else {
                state = "ok (token object, sensitive, non-extractable" + (k.bits() > 0 ? ", " + k.bits() + " bits" : "")
                        + ")";
            }
            out.printf("  %-20s %-12s %s%n", k.alias(), k.role(), state);
        }
        if (problems.isEmpty() && report.ok()) {
            out.println("result: the token can serve a KeyFed party");
            return 0;
        }
        out.println("result: the token CANNOT serve a KeyFed party:");
        problems.forEach(p -> out.println("  - " + p));
        return 1;
    }

    private static void usage(PrintStream s) {
        s.println("usage: party-tool identity  --config FILE [--prefix P] [--pin-env NAME | --pin-file FILE] [--no-create]");
        s.println("       party-tool hsm-check --config FILE [--pin-env NAME | --pin-file FILE] [--no-agreement]");
        s.println("  identity   print the party's ADDRESS:IDENTITY_PUBLIC_KEY (creates the keys on first use)");
        s.println("  hsm-check  probe the PKCS#11 library and token: mechanisms, login, the party's keys");
        s.println("  The user PIN comes from the environment variable (default KEYFED_HSM_USER_PIN) or a file.");
    }
}
