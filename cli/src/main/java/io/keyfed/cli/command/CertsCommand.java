package io.keyfed.cli.command;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.bouncycastle.util.IPAddress;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.cli.certs.CertDir;
import io.keyfed.cli.certs.CertIssuer;
import io.keyfed.cli.tls.TlsFileException;

/**
 * {@code certs}: the CA and the per-service keys and certificates of a local federation, as PEM files. Works
 * offline; idempotent.
 */
final class CertsCommand {
    static final long DEFAULT_DAYS = 397;
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    private CertsCommand() {
    }

    static void register(CommandRegistry r) {
        r.add(Specs.command("certs", "Make the CA and the TLS keys and certificates of a federation (PEM files)")
                .addOption(Specs.required("--dir", "DIR", "directory of the files (created 0700 if missing)"))
                .addOption(Specs.repeated("--host", "NAME_OR_IP", "another DNS name or IP address the services are "
                        + "reached at (localhost and 127.0.0.1 always are)"))
                .addOption(Specs.value("--days", "N", "lifetime of new leaf certificates in days (default "
                        + DEFAULT_DAYS + ")"))
                .addOption(Specs.flag("--ledger", "the ledger's certificate (SAN URI keyfed:ledger)"))
                .addOption(Specs.repeated("--party", "ADDRESS", "a party's certificate (keyfed:party:ADDRESS; the "
                        + "party's account address)"))
                .addOption(Specs.repeated("--connector", "ADDRESS", "the certificate of the connector of the party "
                        + "ADDRESS (keyfed:connector:ADDRESS)"))
                .addOption(Specs.repeated("--client", "NAME", "a client certificate (keyfed:client:NAME)"))
                .addOption(Specs.flag("--force", "re-issue the named leaf certificates (their keys stay; the CA "
                        + "is never re-issued)"))
                .addOption(Specs.value("--prefix", "P", "account address prefix of --party/--connector (default "
                        + Addresses.DEFAULT_PREFIX + ")")),
                """
                        Files: DIR/ca.crt, ca.key (EC P-256 CA, made once, then reused); ledger.crt/.key;
                        party-ADDRESS.crt/.key; connector-ADDRESS.crt/.key; client-NAME.crt/.key. Each leaf carries
                        its SAN URI, DNS localhost, IP 127.0.0.1 and every --host, is good for TLS server and client
                        authentication, and is signed by the CA. Keys are PKCS#8 PEM, mode 0600; certificates 0644.
                        Existing files are kept (checked against the CA and their keys). Output: one line per file,
                        'created FILE', 'kept FILE' or 're-issued FILE'; warnings on stderr. --quiet prints the
                        files only; --json prints {"dir":DIR,"files":[{"file","action"}],"warnings":[...]}.""",
                CertsCommand::run);
    }

    static int run(Context ctx, Args a) throws Exception {
        Path dir = Path.of(a.get("--dir"));
        String prefix = a.get("--prefix", Addresses.DEFAULT_PREFIX);
        long days = a.longValue("--days", DEFAULT_DAYS);
        if (days < 1 || days > CertIssuer.CA_LIFETIME.toDays()) {
            throw a.error("--days must be between 1 and " + CertIssuer.CA_LIFETIME.toDays() + ", got " + days);
        }
        List<String> hosts = new ArrayList<>();
        for (String h : new LinkedHashSet<>(a.all("--host"))) {
            if (!IPAddress.isValid(h) && !DNS_NAME.matcher(h).matches()) {
                throw a.error("--host '" + Addresses.printable(h) + "' is neither an IP address nor a DNS name");
            }
            hosts.add(h);
        }
        List<CertDir.Leaf> leaves = new ArrayList<>();
        if (a.has("--ledger")) {
            leaves.add(new CertDir.Leaf("ledger", "keyfed:ledger"));
        }
        for (String addr : distinct(a.all("--party"))) {
            requireAddress(a, "--party", addr, prefix);
            leaves.add(new CertDir.Leaf("party-" + addr, "keyfed:party:" + addr));
        }
        for (String addr : distinct(a.all("--connector"))) {
            requireAddress(a, "--connector", addr, prefix);
            leaves.add(new CertDir.Leaf("connector-" + addr, "keyfed:connector:" + addr));
        }
        for (String name : distinct(a.all("--client"))) {
            if (!CLIENT_NAME.matcher(name).matches()) {
                throw a.error("--client '" + Addresses.printable(name) + "': a name is 1 to 40 letters, digits, "
                        + "'.', '_' or '-', starting with a letter or digit");
            }
            leaves.add(new CertDir.Leaf("client-" + name, "keyfed:client:" + name));
        }

        CertDir certs = new CertDir(dir, new CertIssuer(ctx.random()), Clock.systemUTC());
        List<CertDir.Written> written = new ArrayList<>();
        try {
            written.addAll(certs.ensureCa());
            for (CertDir.Leaf leaf : leaves) {
                written.addAll(certs.ensureLeaf(leaf, hosts, Duration.ofDays(days), a.has("--force")));
            }
        } catch (TlsFileException e) {
            printed(ctx, written);
            throw new CliException(e.getMessage());
        } catch (IOException e) {
            printed(ctx, written);
            throw new CliException("IO_ERROR", "cannot write in " + dir + ": " + e.getMessage());
        }
        for (String w : certs.warnings()) {
            ctx.err().println("warning: " + w);
        }
        if (ctx.json()) {
            ObjectNode doc = Output.mapper().createObjectNode();
            doc.put("dir", dir.toString());
            ArrayNode files = doc.putArray("files");
            for (CertDir.Written w : written) {
                files.addObject().put("file", w.file().toString()).put("action", w.action().word());
            }
            ArrayNode warnings = doc.putArray("warnings");
            certs.warnings().forEach(warnings::add);
            ctx.output().json(doc);
        } else {
            printed(ctx, written);
        }
        return 0;
    }

    /** The files handled so far, one line each (also before an error, so that nothing done goes unreported). */
    private static void printed(Context ctx, List<CertDir.Written> written) {
        if (ctx.json()) {
            return;
        }
        for (CertDir.Written w : written) {
            ctx.output().line(ctx.quiet() ? w.file().toString() : w.action().word() + " " + w.file());
        }
    }

    private static void requireAddress(Args a, String option, String addr, String prefix) {
        try {
            Addresses.requireAddress(addr, prefix, option);
        } catch (IllegalArgumentException e) {
            throw a.error(e.getMessage() + " (expected the party's account address)");
        }
    }

    private static Set<String> distinct(List<String> values) {
        return new LinkedHashSet<>(values);
    }
}
