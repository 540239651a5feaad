package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** The .proto contracts: published as their own artifact, documented packages and services, every field commented. */
class ProtoContractTest {
    private static final Path PROTO_ROOT = Path.of("api/src/main/proto");
    /** A field declaration: [repeated|optional] type name = number [options]; */
    private static final Pattern FIELD = Pattern.compile(
            "^(repeated\\s+|optional\\s+)?(map<[^>]+>|[A-Za-z_][\\w.]*)\\s+[A-Za-z_]\\w*\\s*=\\s*\\d+\\s*(\\[[^]]*])?\\s*;");

    static Set<String> protoFiles() throws IOException {
        Set<String> out = new TreeSet<>();
        Path root = Repo.root().resolve(PROTO_ROOT);
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".proto")).forEach(p -> out.add(root.relativize(p).toString()));
        }
        return out;
    }

    @Test
    void protoZipHoldsEveryContract() throws IOException {
        String version = Repo.version("api");
        Path zip = Repo.artifactsRoot().resolve("api/target/keyfed-api-" + version + "-proto.zip");
        assertTrue(Files.isRegularFile(zip), zip + " was not produced (package the api module)");
        Set<String> inZip = new TreeSet<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).forEach(inZip::add);
        }
        assertEquals(protoFiles(), inZip, "the proto zip must hold exactly the contracts, at their import paths");
    }

    @Test
    void packagesAndServicesAreTheDocumentedOnes() throws IOException {
        String ledger = Repo.read(Repo.root().resolve(PROTO_ROOT).resolve("keyfed/ledger/v1/ledger.proto"));
        String party = Repo.read(Repo.root().resolve(PROTO_ROOT).resolve("keyfed/party/v1/party.proto"));
        assertTrue(ledger.contains("package keyfed.ledger.v1;") && ledger.contains("service Ledger {"));
        assertTrue(party.contains("package keyfed.party.v1;") && party.contains("service Party {"));
        String readme = Repo.read(Repo.root().resolve("tools/grpc-node/README.md"));
        for (String name : List.of("keyfed.ledger.v1", "keyfed.party.v1", "keyfed.ledger.v1.Ledger", "keyfed.party.v1.Party")) {
            assertTrue(readme.contains(name), "tools/grpc-node/README.md does not document " + name);
        }
    }

    /** Every field carries a comment: on the line(s) just above it, or at the end of its line. */
    @Test
    void everyFieldIsCommented() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String file : protoFiles()) {
            List<String> lines = Files.readAllLines(Repo.root().resolve(PROTO_ROOT).resolve(file));
            for (int i = 0; i < lines.size(); i++) {
                for (String decl : declarations(lines.get(i))) {
                    if (!FIELD.matcher(decl).find() || decl.startsWith("option ") || decl.startsWith("reserved")) {
                        continue;
                    }
                    boolean trailing = lines.get(i).contains("//");
                    boolean above = i > 0 && lines.get(i - 1).strip().startsWith("//");
                    if (!trailing && !above) {
                        missing.add(file + ":" + (i + 1) + ": " + decl);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            fail(missing.size() + " field(s) without a comment:\n  " + String.join("\n  ", missing));
        }
    }

    /** The statements on one line: the body of a one-line message is split off its header. */
    private static List<String> declarations(String line) {
        String code = line.contains("//") ? line.substring(0, line.indexOf("//")) : line;
        code = code.strip();
        int brace = code.indexOf('{');
        if (brace >= 0) {
            code = code.substring(brace + 1);
        }
        code = code.replace("}", "");
        List<String> out = new ArrayList<>();
        for (String part : code.split(";")) {
            if (!part.isBlank()) {
                out.add(part.strip() + ";");
            }
        }
        return out;
    }
}
