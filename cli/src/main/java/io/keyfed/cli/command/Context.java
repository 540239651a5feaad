package io.keyfed.cli.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.cli.args.Opt;
import io.keyfed.cli.args.ParsedArgs;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.KeyStoreException;
import io.keyfed.cli.keys.SigningKey;

/** What a command runs with: global settings, output streams, the ledger and the key store. */
public final class Context {
    public static final String ENV_LEDGER = "KEYFED_LEDGER";
    public static final String ENV_HOME = "KEYFED_HOME";
    public static final String DEFAULT_LEDGER = "http://localhost:8080";

    public static final Opt LEDGER = Opt.value("--ledger", "URL",
            "ledger REST base URL (default $" + ENV_LEDGER + " or " + DEFAULT_LEDGER + ")");
    public static final Opt HOME = Opt.value("--home", "DIR", "client home holding keys/ (default $" + ENV_HOME
            + " or ~/.keyfed)");
    public static final Opt JSON = Opt.flag("--json", "print machine-readable JSON (the ledger's JSON for queries)");
    public static final Opt QUIET = Opt.flag("--quiet", "print only the main value (address, id, hash...)");
    public static final Opt HELP = Opt.flag("--help", "show usage");
    public static final List<Opt> GLOBAL_OPTIONS = List.of(LEDGER, HOME, JSON, QUIET, HELP);

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Output output;
    private String ledgerUrl;
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

    /** Applies global options given on the command line (they override the environment). */
    public void applyGlobals(ParsedArgs a) {
        if (a.has(LEDGER.name())) {
            ledgerUrl = a.get(LEDGER.name());
            api = null;
        }
        if (a.has(HOME.name())) {
            home = Path.of(a.get(HOME.name()));
            keyStore = null;
        }
        json |= a.has(JSON.name());
        quiet |= a.has(QUIET.name());
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
                api = new LedgerApi(new LedgerClient(ledgerUrl));
            } catch (IllegalArgumentException e) {
                throw new CliException("INVALID_ARGUMENT", e.getMessage());
            }
        }
        return api;
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
    public String accountPrefix(ParsedArgs a) {
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
