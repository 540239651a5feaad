package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the container build files under src-native/ against what the build really produces, without a
 * container engine: every COPY source exists (or, for native sources, is what the Quarkus build writes),
 * base images are named without a registry host, and the party images carry the HSM volumes and no PIN.
 */
class ContainerFilesTest {
    private static final Pattern QUARKUS_APP = Pattern.compile("^(.+?)/target/quarkus-app(/.*)?$");
    private static final Pattern NATIVE_SOURCES = Pattern.compile("^(.+?)/target/native-sources/?$");
    private static final Pattern RUNNER = Pattern.compile("^(.+?)/target/([^/]+-runner)$");
    private static final List<String> FAST_JAR_PARTS = List.of("lib", "quarkus-run.jar", "app", "quarkus");

    @TestFactory
    Stream<DynamicTest> everyDockerfileReferencesWhatTheBuildProduces() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String service : Repo.SERVICES.keySet()) {
            for (String kind : List.of("jvm", "native")) {
                tests.add(DynamicTest.dynamicTest(service + "/Dockerfile." + kind, () -> check(service, kind)));
            }
        }
        return tests.stream();
    }

    private void check(String service, String kind) {
        String module = Repo.SERVICES.get(service);
        Path file = Repo.root().resolve("src-native").resolve(service).resolve("Dockerfile." + kind);
        assertTrue(Files.isRegularFile(file), "missing " + file);
        Dockerfile df = new Dockerfile(service + "/Dockerfile." + kind, Repo.read(file));
        assertTrue(Repo.isQuarkusApp(module), module + " is not a Quarkus application module");
        String runner = Repo.artifactId(module) + "-" + Repo.version(module) + "-runner";

        List<String> stagesSoFar = new ArrayList<>();
        Set<String> fastJarCopied = new java.util.HashSet<>();
        boolean copiesNativeSources = false;
        int fromIndex = 0;
        for (Dockerfile.Instruction ins : df.instructions) {
            if (ins.keyword().equals("FROM")) {
                Dockerfile.From f = df.froms.get(fromIndex++);
                checkImageName(df, f, stagesSoFar);
                if (f.stage() != null) {
                    stagesSoFar.add(f.stage());
                }
                continue;
            }
            if (!ins.keyword().equals("COPY") && !ins.keyword().equals("ADD")) {
                continue;
            }
            Dockerfile.Copy copy = df.copies.stream().filter(c -> c.line() == ins.line()).findFirst().orElseThrow();
            String where = df.name + ":" + copy.line();
            assertEquals("COPY", ins.keyword(), where + ": use COPY (ADD can fetch remote sources)");
            if (copy.from() != null) {
                assertTrue(stagesSoFar.contains(copy.from()), where + ": --from=" + copy.from()
                        + " names no earlier stage " + stagesSoFar);
                continue;
            }
            for (String src : copy.sources()) {
                assertFalse(src.startsWith("/") || src.contains(".."), where + ": source " + src
                        + " must be a path inside the build context (the repository root)");
                Matcher app = QUARKUS_APP.matcher(src);
                Matcher nat = NATIVE_SOURCES.matcher(src);
                Matcher run = RUNNER.matcher(src);
                if (app.matches()) {
                    assertEquals(module, app.group(1), where + ": copies another module's quarkus-app");
                    assertEquals("jvm", kind, where + ": the native image must not copy the fast-jar");
                    Path p = Repo.artifactsRoot().resolve(src.replaceAll("/+$", ""));
                    assertTrue(Files.exists(p), where + ": " + src + " does not exist under " + Repo.artifactsRoot()
                            + " (package " + module + " first: ./mvnw -B package)");
                    String part = app.group(2) == null ? "" : app.group(2).replaceAll("^/|/$", "");
                    fastJarCopied.add(part.contains("/") ? part.substring(0, part.indexOf('/')) : part);
                } else if (nat.matches()) {
                    assertEquals(module, nat.group(1), where + ": copies another module's native sources");
                    assertEquals("native", kind, where);
                    copiesNativeSources = true;
                    Path dir = Repo.artifactsRoot().resolve(module).resolve("target/native-sources");
                    if (Files.isDirectory(dir)) { // present only after src-native/build-native-sources.sh
                        String argsFile = Repo.read(dir.resolve("native-image.args"));
                        assertTrue(argsFile.contains(runner), where + ": native-image.args does not name " + runner);
                    }
                } else if (run.matches()) {
                    assertEquals(module, run.group(1), where + ": copies another module's executable");
                    assertEquals(runner, run.group(2), where + ": the native executable is named " + runner);
                } else {
                    assertFalse(src.contains("/target/"), where + ": " + src + " is a build output this check does not know");
                    assertTrue(Files.exists(Repo.root().resolve(src)), where + ": " + src + " is not in the repository");
                }
            }
        }

        if (kind.equals("jvm")) {
            assertEquals(Set.copyOf(FAST_JAR_PARTS), fastJarCopied,
                    df.name + " must copy the four parts of " + module + "/target/quarkus-app");
            for (String part : FAST_JAR_PARTS) {
                assertTrue(Files.exists(Repo.artifactsRoot().resolve(module).resolve("target/quarkus-app").resolve(part)),
                        module + "/target/quarkus-app/" + part + " was not produced by the build");
            }
        } else {
            assertTrue(df.froms.size() >= 2, df.name + " must be a multi-stage build");
            String builder = df.froms.get(0).image().toLowerCase(Locale.ROOT);
            assertTrue(builder.contains("mandrel") || builder.contains("graalvm"),
                    df.name + ": the first stage must be a Mandrel/GraalVM builder, is " + builder);
            assertTrue(copiesNativeSources, df.name + " must copy " + module + "/target/native-sources");
            String runs = String.join("\n", df.all("RUN").stream().map(Dockerfile.Instruction::args).toList());
            assertTrue(runs.contains("native-image $(cat native-image.args)"), df.name + " must run native-image");
            assertTrue(runs.contains(runner), df.name + " must take the executable " + runner);
        }
        checkNoPinBakedIn(df);
        if (service.equals("party")) {
            checkPartyImage(df);
        }
    }

    /** Image names without a registry host: the registry is the operator's choice. */
    private static void checkImageName(Dockerfile df, Dockerfile.From f, List<String> stages) {
        String where = df.name + ":" + f.line();
        if (stages.contains(f.image())) {
            return;
        }
        assertFalse(f.image().contains("$"), where + ": unresolved image " + f.image() + " (give the ARG a default)");
        int slash = f.image().indexOf('/');
        if (slash > 0) {
            String first = f.image().substring(0, slash);
            assertFalse(first.contains(".") || first.contains(":") || first.equals("localhost"),
                    where + ": image " + f.image() + " names a registry host");
        }
    }

    private static void checkNoPinBakedIn(Dockerfile df) {
        for (Dockerfile.Instruction ins : df.instructions) {
            if (ins.keyword().equals("ENV") || ins.keyword().equals("ARG")) {
                for (String token : ins.args().split("\\s+")) {
                    String key = token.split("=", 2)[0].toUpperCase(Locale.ROOT);
                    if (key.contains("PIN") && token.contains("=")) {
                        assertTrue(key.endsWith("_FILE"), df.name + ":" + ins.line() + ": " + key
                                + " puts a PIN into the image; supply it at run time");
                    }
                }
            }
        }
    }

    private static void checkPartyImage(Dockerfile df) {
        String volumes = String.join(" ", df.all("VOLUME").stream().map(Dockerfile.Instruction::args).toList());
        assertTrue(volumes.contains("\"/opt/hsm/lib\""), df.name + ": no volume for the vendor PKCS#11 library");
        assertTrue(volumes.contains("\"/var/lib/keyfed/party\""), df.name + ": no volume for the data dir");
        assertTrue(df.stageNames().contains("softhsm"), df.name + ": no softhsm (test image) target");
        assertTrue(df.stageNames().contains("runtime"), df.name + ": no runtime (vendor HSM) target");
        assertEquals("runtime", df.froms.get(df.froms.size() - 1).stage(), df.name + ": runtime must be the default (last) stage");
        boolean installsSoftHsm = df.all("RUN").stream().anyMatch(r -> r.args().contains("softhsm2"));
        assertTrue(installsSoftHsm, df.name + ": the softhsm target must install softhsm2");
        String env = String.join(" ", df.all("ENV").stream().map(Dockerfile.Instruction::args).toList());
        assertTrue(env.contains("KEYFED_PARTY_HSM_CONFIG_FILE="), df.name + ": keyfed.party.hsm.config-file not set");
        assertTrue(env.contains("KEYFED_PARTY_DATA_DIR=/var/lib/keyfed/party"), df.name + ": data dir not on the volume");
        assertTrue(env.contains("/usr/lib/softhsm/libsofthsm2.so"), df.name + ": SoftHSM2 library path not set");
    }

    @Test
    void parserReadsContinuationsStagesAndCopyForms() {
        Dockerfile df = new Dockerfile("sample", """
                ARG IMG=debian:bookworm-slim
                # comment
                FROM ${IMG} AS base
                COPY --chown=1:1 a/target/quarkus-app/lib/ \\
                     /x/lib/
                COPY ["b c", "/d"]
                FROM base
                COPY --from=base /x /y
                """);
        assertEquals("debian:bookworm-slim", df.froms.get(0).image());
        assertEquals("base", df.froms.get(0).stage());
        assertEquals(List.of("a/target/quarkus-app/lib/"), df.copies.get(0).sources());
        assertEquals("/x/lib/", df.copies.get(0).destination());
        assertEquals(List.of("b c"), df.copies.get(1).sources());
        assertEquals("base", df.copies.get(2).from());
    }

    /** No download address in the committed deployment and tooling files. */
    @Test
    void noAddressesInSrcNativeOrTools() throws IOException {
        Pattern address = Pattern.compile("(https?|ftp|git|ssh):" + "//", Pattern.CASE_INSENSITIVE);
        List<String> offenders = new ArrayList<>();
        for (Path top : List.of(Repo.root().resolve("src-native"), Repo.root().resolve("tools"),
                Repo.root().resolve("api/src/assembly"))) {
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    String rel = Repo.root().relativize(p).toString();
                    if (rel.contains("/node_modules/") || rel.contains("/target/")) {
                        continue;
                    }
                    String text = Repo.read(p);
                    // pom.xml namespace and schema declarations are the only addresses allowed.
                    String checked = rel.endsWith("pom.xml") ? text.replaceAll("(?s)<project[^>]*>", "") : text;
                    if (rel.endsWith(".xml")) {
                        checked = checked.replaceAll("(?s)<assembly[^>]*>", "");
                    }
                    Matcher m = address.matcher(checked);
                    if (m.find()) {
                        offenders.add(rel);
                    }
                }
            }
        }
        if (!offenders.isEmpty()) {
            fail("files with a web address: " + offenders);
        }
        for (String tool : List.of("tools/grpc-node", "tools/verify-node")) {
            assertFalse(Repo.read(Repo.root().resolve(tool + "/package-lock.json")).contains("http"),
                    tool + "/package-lock.json holds an address (run npm run lockfile:strip-urls)");
        }
    }
}
