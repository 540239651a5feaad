package io.keyfed.cli.args;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result of parsing one command line against a {@link CommandSpec}. */
public final class ParsedArgs {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();
    private final String usage;

    ParsedArgs(String usage) {
        this.usage = usage;
    }

    void add(String option, String value) {
        values.computeIfAbsent(option, k -> new ArrayList<>()).add(value);
    }

    void addPositional(String value) {
        positionals.add(value);
    }

    public boolean has(String option) {
        return values.containsKey(option);
    }

    public String get(String option) {
        List<String> v = values.get(option);
        return v == null ? null : v.get(v.size() - 1);
    }

    public String get(String option, String fallback) {
        String v = get(option);
        return v == null ? fallback : v;
    }

    public List<String> all(String option) {
        List<String> v = values.get(option);
        return v == null ? List.of() : Collections.unmodifiableList(v);
    }

    public List<String> positionals() {
        return Collections.unmodifiableList(positionals);
    }

    public String positional(int i) {
        return i < positionals.size() ? positionals.get(i) : null;
    }

    /** A non-negative integer option; a malformed value is a usage error. */
    public Long longValue(String option) throws UsageException {
        String v = get(option);
        if (v == null) {
            return null;
        }
        return parseNonNegative(option, v);
    }

    public long longValue(String option, long fallback) throws UsageException {
        Long v = longValue(option);
        return v == null ? fallback : v;
    }

    /** A non-negative decimal integer of any size, returned in canonical form. */
    public String amount(String option) throws UsageException {
        String v = get(option);
        if (v == null) {
            return null;
        }
        return canonicalAmount(option, v);
    }

    public String canonicalAmount(String what, String v) throws UsageException {
        if (!v.matches("[0-9]{1,78}")) {
            throw error("invalid value for " + what + ": '" + v + "' (expected a non-negative whole number)");
        }
        return new BigInteger(v).toString();
    }

    public Boolean bool(String option) throws UsageException {
        String v = get(option);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equalsIgnoreCase("no")) {
            return false;
        }
        throw error("invalid value for " + option + ": '" + v + "' (expected true or false)");
    }

    public long parseNonNegative(String what, String v) throws UsageException {
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw error("invalid value for " + what + ": '" + v + "' (expected a non-negative whole number)");
        }
    }

    /** A usage error for this command. */
    public UsageException error(String message) {
        return new UsageException(message, usage);
    }

    public String usage() {
        return usage;
    }
}
