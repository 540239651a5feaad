package io.keyfed.e2e.cheat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import net.bytebuddy.ByteBuddy;

/**
 * Builds {@link CorruptSharesAgent}'s jar at run time, for a party's {@code -javaagent:JAR}: the agent's compiled
 * classes (from the test classes directory) and a manifest naming the agent ({@code Premain-Class},
 * {@code Can-Retransform-Classes}) and, in {@code Class-Path}, the byte-buddy jar this test runs with.
 */
public final class AgentJar {
    private AgentJar() {
    }

    /** Writes the agent jar to {@code jar} and returns the JVM option that loads it. */
    public static String build(Path jar) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Premain-Class", CorruptSharesAgent.class.getName());
        a.putValue("Can-Retransform-Classes", "true");
        a.put(Attributes.Name.CLASS_PATH, location(ByteBuddy.class).toUri().toString());
        Path classes = location(CorruptSharesAgent.class);
        String pkg = CorruptSharesAgent.class.getPackageName().replace('.', '/');
        List<Path> files;
        try (Stream<Path> s = Files.list(classes.resolve(pkg))) {
            files = s.filter(f -> f.getFileName().toString().matches("CorruptSharesAgent(\\$.*)?\\.class"))
                    .sorted().toList();
        }
        if (files.stream().noneMatch(f -> f.getFileName().toString().equals("CorruptSharesAgent.class"))) {
            throw new IllegalStateException("no compiled agent in " + classes.resolve(pkg));
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            for (Path f : files) {
                j.putNextEntry(new JarEntry(pkg + "/" + f.getFileName()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return "-javaagent:" + jar.toAbsolutePath();
    }

    /** The jar or directory a class was loaded from. */
    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(c.getName() + " has no file location", e);
        }
    }
}
