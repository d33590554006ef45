package dev.pounce.bench.hostile;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --name value} flags of one subcommand. Each subcommand reads the flags it knows with a default and
 * then calls {@link #rejectUnread()}, so a misspelt flag is an error that names it rather than a silent default.
 */
final class Flags {

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> read = new TreeSet<>();

    Flags(String command, String[] args, int from) {
        this.command = command;
        for (int i = from; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(command + ": expected --name value, got '" + name + "'");
            }
            values.put(name, args[++i]);
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return (int) number(name, fallback, Integer.MAX_VALUE);
    }

    /** A whole number, with an optional binary suffix: {@code 64k}, {@code 256m}, {@code 1g}. */
    long size(String name, long fallback) {
        return number(name, fallback, Long.MAX_VALUE);
    }

    private long number(String name, long fallback, long max) {
        String text = string(name, null);
        if (text == null) {
            return fallback;
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        int shift = switch (lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long value = Long.parseLong(shift == 0 ? lower : lower.substring(0, lower.length() - 1)) << shift;
            if (value < 0 || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": " + name + " must be a whole number from 0 to " + max
                    + " (suffix k, m or g allowed), got '" + text + "'");
        }
    }

    /** Fails on a flag no {@code string}, {@code integer} or {@code size} call asked for. */
    void rejectUnread() {
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                throw new IllegalArgumentException(command + ": unknown flag " + name + "; known: " + read);
            }
        }
    }
}
