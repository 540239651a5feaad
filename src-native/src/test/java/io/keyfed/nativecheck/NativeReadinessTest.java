package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Scans the sources that go into the service images for what native-image cannot see by static analysis
 * (reflection, dynamic class loading, resources, JNI libraries, JCA providers looked up by name) and
 * checks that each use has a matching native configuration.
 */
class NativeReadinessTest {
    /** Modules whose classes end up in a service image. */
    static final List<String> MODULES = List.of("api", "ledger", "party/dkg", "party/service", "connector");

    /** What native-image forbids or cannot see without configuration. */
    static final List<Pattern> DYNAMIC = List.of(
            Pattern.compile("Class\\.forName\\("),
            Pattern.compile("\\.getDeclared(Method|Field|Constructor)s?\\("),
            Pattern.compile("\\.get(Method|Field|Constructor)s?\\("),
            Pattern.compile("\\.newInstance\\("),
            Pattern.compile("Proxy\\.newProxyInstance\\("),
            Pattern.compile("ServiceLoader\\.load\\("),
            Pattern.compile("\\.getResource(AsStream)?\\(|getResources\\("),
            Pattern.compile("System\\.(loadLibrary|load)\\("),
            Pattern.compile("new ObjectInputStream\\(|new ObjectOutputStream\\("),
            Pattern.compile("MethodHandles\\.(lookup|privateLookupIn)\\("),
            Pattern.compile("Security\\.getProvider\\(\"([^\"]+)\"\\)"),
            Pattern.compile("getInstance\\(\"[^\"]+\",\\s*\"([^\"]+)\"\\)"));

    private static final Pattern PROVIDER_BY_NAME = Pattern.compile(
            "Security\\.getProvider\\(\"([^\"]+)\"\\)|getInstance\\(\"[^\"]+\",\\s*\"([^\"]+)\"\\)");
    private static final Pattern REGISTER_FOR_REFLECTION = Pattern.compile("@RegisterForReflection\\b");

    record Finding(String module, String file, int line, String code) {
        String where() {
            return module + "/" + file + ":" + line + ": " + code.strip();
        }
    }

    static List<Finding> scan(String module, Path sourceRoot) throws IOException {
        List<Finding> out = new ArrayList<>();
        if (!Files.isDirectory(sourceRoot)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = stripComment(lines.get(i));
                    for (Pattern p : DYNAMIC) {
                        if (p.matcher(code).find()) {
                            out.add(new Finding(module, sourceRoot.relativize(f).toString(), i + 1, code));
                            break;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        String t = line.strip();
        if (t.startsWith("//") || t.startsWith("*") || t.startsWith("/*")) {
            return "";
        }
        int c = line.indexOf("//");
        return c >= 0 && !line.substring(0, c).contains("\"") ? line.substring(0, c) : line;
    }

    /**
     * Every dynamic use in the services' sources is covered: a provider looked up by name is registered
     * for native-image, a reflective use has a reflect-config.json entry or @RegisterForReflection, and
     * anything else is listed with its reason in src-native/native-reviewed.txt.
     */
    @Test
    void everyDynamicUseHasANativeConfiguration() throws Exception {
        List<String[]> reviewed = reviewed();
        List<String> uncovered = new ArrayList<>();
        for (String module : MODULES) {
            Path src = Repo.root().resolve(module).resolve("src/main/java");
            for (Finding f : scan(module, src)) {
                Matcher pm = PROVIDER_BY_NAME.matcher(f.code());
                if (pm.find()) {
                    String provider = pm.group(1) != null ? pm.group(1) : pm.group(2);
                    String why = providerCovered(module, provider);
                    if (why != null) {
                        uncovered.add(f.where() + " -> " + why);
                    }
                    continue;
                }
                String source = Repo.read(src.resolve(f.file()));
                String className = f.file().replace('/', '.').replaceAll("\\.java$", "");
                if (REGISTER_FOR_REFLECTION.matcher(source).find() || reflectConfigNames(module).contains(className)) {
                    continue;
                }
                String path = module + "/" + f.file();
                if (reviewed.stream().anyMatch(r -> r[0].equals(path) && f.code().contains(r[1]))) {
                    continue;
                }
                uncovered.add(f.where() + " -> no reflect-config.json entry, no @RegisterForReflection, not in src-native/native-reviewed.txt");
            }
        }
        if (!uncovered.isEmpty()) {
            fail("dynamic uses without native configuration:\n  " + String.join("\n  ", uncovered));
        }
    }

    /** Entries of src-native/native-reviewed.txt: path, code text, reason (all three required). */
    static List<String[]> reviewed() {
        List<String[]> out = new ArrayList<>();
        for (String line : Repo.read(Repo.root().resolve("src-native/native-reviewed.txt")).split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] parts = t.split("\\s*\\|\\s*", 3);
            assertEquals(3, parts.length, "native-reviewed.txt: '" + t + "' needs path | code | reason");
            assertTrue(!parts[2].isBlank(), "native-reviewed.txt: '" + t + "' gives no reason");
            out.add(parts);
        }
        return out;
    }

    /** Null when a provider looked up by name is available in the module's native image, else why not. */
    private static String providerCovered(String module, String provider) throws IOException {
        List<String> buildList = NativeBuild.securityProviders();
        if (!buildList.contains(provider)) {
            return "provider " + provider + " is not in quarkus.security.security-providers (src-native/native-build.properties)";
        }
        if (provider.equals("SunPKCS11")) {
            // Registered for native-image either by the quarkus-security extension (when the service has it)
            // or by the module's own native-image.properties.
            if (NativeBuild.additionalSecurityProviders(module).contains("sun.security.pkcs11.SunPKCS11")
                    || hasQuarkusSecurity(module)) {
                return null;
            }
            return "sun.security.pkcs11.SunPKCS11 is not in -H:AdditionalSecurityProviders of "
                    + NativeBuild.nativeImageDir(module) + "/native-image.properties and the module lacks quarkus-security";
        }
        if (provider.equals("BC")) {
            // Only the quarkus-security extension adds BouncyCastle to the providers at start-up.
            return hasQuarkusSecurity(module) ? null
                    : "BC is looked up by name, which needs io.quarkus:quarkus-security in " + module;
        }
        return null;
    }

    /** Whether the packaged module carries the io.quarkus:quarkus-security extension. */
    static boolean hasQuarkusSecurity(String module) throws IOException {
        Path lib = Repo.artifactsRoot().resolve(module).resolve("target/quarkus-app/lib/main");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> s = Files.list(lib)) {
                return s.anyMatch(p -> p.getFileName().toString().startsWith("io.quarkus.quarkus-security-3"));
            }
        }
        String pom = Repo.read(Repo.root().resolve(module).resolve("pom.xml"));
        return pom.contains("<artifactId>quarkus-security</artifactId>");
    }

    private static Set<String> reflectConfigNames(String module) throws IOException {
        Set<String> names = new TreeSet<>();
        Path f = NativeBuild.nativeImageDir(module).resolve("reflect-config.json");
        if (Files.isRegularFile(f)) {
            for (JsonNode n : new ObjectMapper().readTree(f.toFile())) {
                names.add(n.path("name").asText());
            }
        }
        return names;
    }

    /** The scanner itself finds what it looks for (so an empty result means something). */
    @Test
    void scannerFindsDynamicUses(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("x/Sample.java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                package x;
                class Sample {
                    // Class.forName("in a comment") is not a use
                    Object a() throws Exception { return Class.forName("x.Y").getDeclaredConstructor().newInstance(); }
                    Object b() { return java.security.Security.getProvider("SunPKCS11"); }
                    Object c() throws Exception { return javax.crypto.Cipher.getInstance("AES/GCM/NoPadding", "BC"); }
                    Object d() { return getClass().getResourceAsStream("/x"); }
                    Object e() throws Exception { return java.security.MessageDigest.getInstance("SHA-256"); }
                }
                """);
        List<Finding> found = scan("sample", tmp);
        assertEquals(List.of(4, 5, 6, 7), found.stream().map(Finding::line).toList(), found.toString());
    }

    /** The party's JNI configuration covers every class of the SunPKCS11 wrapper the JNI code touches. */
    @Test
    void partyJniConfigurationCoversThePkcs11Wrapper() throws IOException {
        Path f = NativeBuild.nativeImageDir("party/service").resolve("jni-config.json");
        assertTrue(Files.isRegularFile(f), "missing " + f);
        Set<String> configured = new TreeSet<>();
        for (JsonNode n : new ObjectMapper().readTree(f.toFile())) {
            configured.add(n.path("name").asText());
        }
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        Set<String> wrapper = new TreeSet<>();
        try (Stream<Path> s = Files.list(jrt.getPath("/modules/jdk.crypto.cryptoki/sun/security/pkcs11/wrapper"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .forEach(n -> wrapper.add("sun.security.pkcs11.wrapper." + n.substring(0, n.length() - 6)));
        }
        wrapper.removeAll(configured);
        assertTrue(wrapper.isEmpty(), "jni-config.json lacks " + wrapper);
        String args = NativeBuild.nativeImageArgs("party/service");
        assertTrue(args.contains("--initialize-at-run-time=sun.security.pkcs11.P11Util"),
                "P11Util (holds a Cleaner) must be initialised at run time");
    }

    /** Generic gRPC tools need server reflection on every service that serves gRPC. */
    @Test
    void grpcServerReflectionIsOnWhereGrpcIsServed() {
        for (String module : List.of("ledger", "party/service")) {
            Path props = Repo.root().resolve(module).resolve("src/main/resources/application.properties");
            assertTrue(Files.isRegularFile(props), "missing " + props);
            assertTrue(Repo.read(props).lines().map(String::strip)
                            .anyMatch(l -> l.equals("quarkus.grpc.server.enable-reflection-service=true")),
                    module + ": quarkus.grpc.server.enable-reflection-service=true is not set");
        }
    }
}
