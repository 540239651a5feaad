package io.keyfed.nativecheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small reader of the Dockerfile syntax the src-native files use: comments, line continuations, ARG
 * defaults, FROM ... AS stage, COPY/ADD with flags (shell or JSON form), ENV, VOLUME, RUN, ENTRYPOINT.
 */
final class Dockerfile {
    /** One instruction, continuation lines joined. */
    record Instruction(int line, String keyword, String args) {
    }

    /** One COPY/ADD: its --from stage (or null), sources and destination. */
    record Copy(int line, String from, List<String> sources, String destination) {
    }

    /** One FROM: the image reference (ARGs substituted) and the stage name (or null). */
    record From(int line, String image, String stage) {
    }

    final String name;
    final List<Instruction> instructions = new ArrayList<>();
    final Map<String, String> args = new HashMap<>();
    final List<From> froms = new ArrayList<>();
    final List<Copy> copies = new ArrayList<>();

    Dockerfile(String name, String text) {
        this.name = name;
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue; // comment lines inside a continued instruction
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                add(start, current.toString().strip());
                current = null;
            }
        }
        if (current != null) {
            add(start, current.toString().strip());
        }
    }

    private void add(int line, String text) {
        String[] kv = text.split("\\s+", 2);
        String keyword = kv[0].toUpperCase(Locale.ROOT);
        String rest = kv.length > 1 ? kv[1] : "";
        instructions.add(new Instruction(line, keyword, rest));
        switch (keyword) {
            case "ARG" -> {
                String[] a = rest.split("=", 2);
                args.put(a[0].strip(), a.length > 1 ? a[1].strip() : "");
            }
            case "FROM" -> {
                List<String> words = new ArrayList<>(Arrays.asList(rest.split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                String image = substitute(words.get(0));
                String stage = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
                froms.add(new From(line, image, stage));
            }
            case "COPY", "ADD" -> copies.add(parseCopy(line, rest));
            default -> {
            }
        }
    }

    private Copy parseCopy(int line, String rest) {
        List<String> words = new ArrayList<>();
        String from = null;
        String body = rest;
        while (body.startsWith("--")) {
            String[] kv = body.split("\\s+", 2);
            if (kv[0].startsWith("--from=")) {
                from = kv[0].substring("--from=".length());
            }
            body = kv.length > 1 ? kv[1] : "";
        }
        if (body.startsWith("[")) {
            for (String w : body.substring(1, body.lastIndexOf(']')).split(",")) {
                words.add(w.strip().replaceAll("^\"|\"$", ""));
            }
        } else {
            words.addAll(Arrays.asList(body.split("\\s+")));
        }
        if (words.size() < 2) {
            throw new IllegalStateException(name + ":" + line + ": COPY needs a source and a destination");
        }
        List<String> sources = new ArrayList<>();
        for (String w : words.subList(0, words.size() - 1)) {
            sources.add(substitute(w));
        }
        return new Copy(line, from, sources, words.get(words.size() - 1));
    }

    /** Substitutes ${NAME} and $NAME with ARG defaults seen so far. */
    String substitute(String s) {
        String out = s;
        for (Map.Entry<String, String> e : args.entrySet()) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }

    List<String> stageNames() {
        List<String> names = new ArrayList<>();
        for (From f : froms) {
            if (f.stage() != null) {
                names.add(f.stage());
            }
        }
        return names;
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
}
