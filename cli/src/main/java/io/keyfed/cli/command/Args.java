package io.keyfed.cli.command;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** One command's parsed line (picocli's {@link ParseResult}), with the value checks the commands share. */
public final class Args {
    private final ParseResult result;

    public Args(ParseResult result) {
        this.result = result;
    }

    /** The command these arguments were parsed for. */
    public CommandLine commandLine() {
        return result.commandSpec().commandLine();
    }

    public boolean has(String option) {
        return result.hasMatchedOption(option);
    }

    /** The option's value (the last one for a repeatable option), or null. */
    public String get(String option) {
        Object v = result.matchedOptionValue(option, null);
        if (v instanceof List<?> list) {
            return list.isEmpty() ? null : String.valueOf(list.get(list.size() - 1));
        }
        return v == null ? null : String.valueOf(v);
    }

    public String get(String option, String fallback) {
        String v = get(option);
        return v == null ? fallback : v;
    }

    /** Every value of a repeatable option, in order. */
    public List<String> all(String option) {
        Object v = result.matchedOptionValue(option, null);
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return v == null ? List.of() : List.of(String.valueOf(v));
    }

    public String positional(int i) {
        return result.matchedPositionalValue(i, null);
    }

    public List<String> positionals() {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; result.hasMatchedPositional(i); i++) {
            out.add(positional(i));
        }
        return Collections.unmodifiableList(out);
    }

    /** A non-negative integer option; a malformed value is a usage error. */
    public Long longValue(String option) {
        String v = get(option);
        return v == null ? null : parseNonNegative(option, v);
    }

    public long longValue(String option, long fallback) {
        Long v = longValue(option);
        return v == null ? fallback : v;
    }

    /** A non-negative decimal integer of any size without a leading zero (as the ledger requires). */
    public String amount(String option) {
        String v = get(option);
        return v == null ? null : canonicalAmount(option, v);
    }

    public String canonicalAmount(String what, String v) {
        if (!v.matches("[0-9]{1,78}")) {
            throw error("invalid value for " + what + ": '" + v + "' (expected a non-negative whole number)");
        }
        if (v.length() > 1 && v.charAt(0) == '0') {
            throw error("invalid value for " + what + ": '" + v + "' has a leading zero (write amounts without one)");
        }
        return new BigInteger(v).toString();
    }

    public Boolean bool(String option) {
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

    public long parseNonNegative(String what, String v) {
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

    /** A usage error for this command: printed with its usage, exit status 2. */
    public ParameterException error(String message) {
        return new ParameterException(commandLine(), message);
    }
}
