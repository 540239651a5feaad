package io.keyfed.nativecheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths of the repository and of the packaged services the checks read. */
final class Repo {
    /** Service folder under src-native/ → the Maven module that builds it. */
    static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("ledger", "ledger");
        SERVICES.put("party", "party/service");
        SERVICES.put("connector", "connector");
    }

    private Repo() {
    }

    /** The repository root (surefire sets keyfed.repo.root to the module's parent folder). */
    static Path root() {
        return dir("keyfed.repo.root", Path.of("..").toAbsolutePath().normalize());
    }

    /** Where {@code <module>/target/...} is read from: the repository root unless overridden. */
    static Path artifactsRoot() {
        return dir("keyfed.native.artifacts.root", root());
    }

    private static Path dir(String property, Path fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            return fallback;
        }
        return Path.of(v).toAbsolutePath().normalize();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifactId of a module's pom (the first one after the parent block). */
    static String artifactId(String module) {
        String pom = read(root().resolve(module).resolve("pom.xml"));
        String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
        return first(withoutParent, "<artifactId>([^<]+)</artifactId>", module + "/pom.xml artifactId");
    }

    /** The version of a module: its own, else its parent's. */
    static String version(String module) {
        String pom = read(root().resolve(module).resolve("pom.xml"));
        String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher own = Pattern.compile("<version>([^<]+)</version>").matcher(
                withoutParent.replaceAll("(?s)<(dependencies|build|dependencyManagement)>.*", ""));
        if (own.find()) {
            return own.group(1).trim();
        }
        return first(pom, "(?s)<parent>.*?<version>([^<]+)</version>", module + "/pom.xml parent version");
    }

    /** Whether the module is a Quarkus application (runs the quarkus-maven-plugin's build goal). */
    static boolean isQuarkusApp(String module) {
        Path pom = root().resolve(module).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        String s = read(pom);
        return s.contains("<artifactId>quarkus-maven-plugin</artifactId>") && s.contains("<goal>build</goal>");
    }

    private static String first(String text, String regex, String what) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("cannot read " + what);
        }
        return m.group(1).trim();
    }
}
