package io.keyfed.nativecheck;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The native build settings: src-native/native-build.properties and the services' native-image files. */
final class NativeBuild {
    private NativeBuild() {
    }

    static Properties buildProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Repo.read(Repo.root().resolve("src-native/native-build.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Names in quarkus.security.security-providers. */
    static List<String> securityProviders() {
        String v = buildProperties().getProperty("quarkus.security.security-providers", "");
        List<String> names = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                names.add(s.strip());
            }
        }
        return names;
    }

    /** The module's own native-image folder, META-INF/native-image/io.keyfed/<name>. */
    static Path nativeImageDir(String module) {
        String name = module.contains("/") ? module.substring(0, module.indexOf('/')) : module;
        return Repo.root().resolve(module).resolve("src/main/resources/META-INF/native-image/io.keyfed").resolve(name);
    }

    /** The Args of the module's native-image.properties (empty when it has none). */
    static String nativeImageArgs(String module) {
        Path f = nativeImageDir(module).resolve("native-image.properties");
        if (!Files.isRegularFile(f)) {
            return "";
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Repo.read(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("Args", "");
    }

    /** Provider classes named by -H:AdditionalSecurityProviders in the module's native-image.properties. */
    static List<String> additionalSecurityProviders(String module) {
        List<String> out = new ArrayList<>();
        for (String arg : nativeImageArgs(module).split("\\s+")) {
            if (arg.startsWith("-H:AdditionalSecurityProviders=")) {
                out.addAll(Arrays.asList(arg.substring(arg.indexOf('=') + 1).split(",")));
            }
        }
        return out;
    }
}
