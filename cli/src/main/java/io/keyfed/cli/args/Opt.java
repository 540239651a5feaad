package io.keyfed.cli.args;

/**
 * One option of a command.
 *
 * @param name       with leading dashes, e.g. {@code --from}
 * @param valueName  placeholder shown in usage, or null for a flag
 * @param help       one-line description
 * @param required   must be given
 * @param repeatable may be given more than once
 */
public record Opt(String name, String valueName, String help, boolean required, boolean repeatable) {

    public static Opt flag(String name, String help) {
        return new Opt(name, null, help, false, false);
    }

    public static Opt value(String name, String valueName, String help) {
        return new Opt(name, valueName, help, false, false);
    }

    public static Opt required(String name, String valueName, String help) {
        return new Opt(name, valueName, help, true, false);
    }

    public static Opt repeated(String name, String valueName, String help) {
        return new Opt(name, valueName, help, false, true);
    }

    public static Opt requiredRepeated(String name, String valueName, String help) {
        return new Opt(name, valueName, help, true, true);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    String synopsis() {
        String s = takesValue() ? name + " " + valueName : name;
        if (repeatable) {
            s = s + "...";
        }
        return required ? s : "[" + s + "]";
    }
}
