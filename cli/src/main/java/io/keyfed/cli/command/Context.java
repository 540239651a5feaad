package io.keyfed.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.KeyStoreException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tls.TlsFileException;
import io.keyfed.cli.tls.TlsFiles;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** What a command runs with: global settings, output streams, the ledger and the key store. */
public final class Context {
    public static final String ENV_LEDGER = "KEYFED_LEDGER";
    public static final String ENV_HOME = "KEYFED_HOME";
    /** The ledger listens with TLS only (plain text is refused), so the default is https. */
    public static final String DEFAULT_LEDGER = "https://localhost:8080";

    public static final String LEDGER = "--ledger";
    public static final String HOME = "--home";
    public static final String JSON = "--json";
    public static final String QUIET = "--quiet";
    public static final String HELP = "--help";
    public static final String CA = "--ca";
    public static final String CLIENT_CERT = "--client-cert";
    public static final String CLIENT_KEY = "--client-key";
    /** Accepted before the command only. */
    public static final String VERSION = "--version";
    /** Marks the global options (a command's own option of the same name, like {@code certs --ledger}, wins). */
    private static final Object GLOBAL = new Object();

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Output output;
    private String ledgerUrl;
    private String ca;
    private String clientCert;
    private String clientKey;
    private Path home;
    private boolean json;
    private boolean quiet;
    private LedgerApi api;
    private KeyStore keyStore;
    private SecureRandom random;

    public Context(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.output = new Output(this);
        String l = env.get(ENV_LEDGER);
        this.ledgerUrl = l == null || l.isBlank() ? DEFAULT_LEDGER : l;
        String h = env.get(ENV_HOME);
        this.home = h == null || h.isBlank() ? Path.of(System.getProperty("user.home"), ".keyfed") : Path.of(h);
    }

    /** The options every command takes, before or after its name: new specs for each command. */
    public static List<OptionSpec> globalOptions() {
        return List.of(
                global(Specs.value(LEDGER, "URL", "ledger REST base URL (default $" + ENV_LEDGER + " or "
                        + DEFAULT_LEDGER + ")")),
                global(Specs.value(HOME, "DIR", "client home holding keys/ (default $" + ENV_HOME + " or ~/.keyfed)")),
                global(Specs.value(CA, "FILE", "PEM file of the CA certificate(s) to trust for an https:// ledger "
                        + "(default $" + TlsFiles.ENV_CA + ", else the JDK's trusted CAs)")),
                global(Specs.value(CLIENT_CERT, "FILE", "PEM client certificate shown to an https:// ledger that "
                        + "asks for one (default $" + TlsFiles.ENV_CLIENT_CERT + ")")),
                global(Specs.value(CLIENT_KEY, "FILE", "PEM private key of --client-cert, mode 0600 (default $"
                        + TlsFiles.ENV_CLIENT_KEY + ")")),
                global(Specs.flag(JSON, "print machine-readable JSON (the ledger's JSON for queries)")),
                global(Specs.flag(QUIET, "print only the main value (address, id, hash...)")),
                global(OptionSpec.builder(HELP).arity("0").type(boolean.class).usageHelp(true)
                        .description("show usage").build()));
    }

    private static OptionSpec global(OptionSpec o) {
        return o.toBuilder().userObject(GLOBAL).build();
    }

    /** Whether an option is one of {@link #globalOptions()}. */
    public static boolean isGlobal(OptionSpec o) {
        return o.userObject() == GLOBAL;
    }

    /** Whether {@code r} matched the global option {@code name} (not a command's own option of that name). */
    private static boolean matchedGlobal(ParseResult r, String name) {
        OptionSpec o = r.matchedOption(name);
        return o != null && isGlobal(o);
    }

    /** The client's version, from the build. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Context.class.getResourceAsStream("/io/keyfed/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no version known
        }
        return "keyfed " + p.getProperty("version", "unknown");
    }

    /** Applies the global options of one command's parse result (they override the environment). */
    public void applyGlobals(ParseResult r) {
        if (matchedGlobal(r, LEDGER)) {
            ledgerUrl = r.matchedOptionValue(LEDGER, ledgerUrl);
            api = null;
        }
        if (matchedGlobal(r, HOME)) {
            home = Path.of(r.<String>matchedOptionValue(HOME, home.toString()));
            keyStore = null;
        }
        if (matchedGlobal(r, CA)) {
            ca = r.matchedOptionValue(CA, ca);
            api = null;
        }
        if (matchedGlobal(r, CLIENT_CERT)) {
            clientCert = r.matchedOptionValue(CLIENT_CERT, clientCert);
            api = null;
        }
        if (matchedGlobal(r, CLIENT_KEY)) {
            clientKey = r.matchedOptionValue(CLIENT_KEY, clientKey);
            api = null;
        }
        json |= matchedGlobal(r, JSON);
        quiet |= matchedGlobal(r, QUIET);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Output output() {
        return output;
    }

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet && !json;
    }

    public Path home() {
        return home;
    }

    public String ledgerUrl() {
        return ledgerUrl;
    }

    public LedgerApi api() throws CliException {
        if (api == null) {
            try {
                api = new LedgerApi(new LedgerClient(ledgerUrl, tls()));
            } catch (IllegalArgumentException | TlsFileException e) {
                throw new CliException("INVALID_ARGUMENT", e.getMessage());
            }
        }
        return api;
    }

    /** The TLS files for an https:// ledger: the global options, else the environment. */
    public TlsFiles tls() {
        return TlsFiles.of(ca, clientCert, clientKey, env);
    }

    public KeyStore keys() {
        if (keyStore == null) {
            keyStore = new KeyStore(home);
        }
        return keyStore;
    }

    public SecureRandom random() {
        if (random == null) {
            random = new SecureRandom();
        }
        return random;
    }

    /** The ledger's parameters. */
    public LedgerJson.Params params() throws CliException, LedgerClientException {
        return LedgerJson.params(api().params());
    }

    /**
     * Account prefix: {@code --prefix} when given, else the ledger's address_prefix, else "zen" when the
     * ledger cannot be asked.
     */
    public String accountPrefix(Args a) {
        String p = a.get("--prefix");
        if (p != null && !p.isEmpty()) {
            return p;
        }
        try {
            String fromLedger = params().addressPrefix();
            if (fromLedger != null && !fromLedger.isEmpty()) {
                return fromLedger;
            }
        } catch (CliException | LedgerClientException | RuntimeException e) {
            // offline: fall back to the default prefix
        }
        return Addresses.DEFAULT_PREFIX;
    }

    /** A key name from the key store resolves to its address; anything else is taken as an address. */
    public String resolveAccount(String nameOrAddress, String prefix) throws KeyStoreException {
        if (keys().exists(nameOrAddress)) {
            SigningKey k = keys().load(nameOrAddress);
            try {
                return k.address(prefix);
            } finally {
                k.destroy();
            }
        }
        return nameOrAddress;
    }
}
