package dev.pounce.cli;

import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Turns picocli's parse errors into the one line {@code pounce} prints, naming the flag at fault. */
final class UsageErrors {

    private UsageErrors() {
    }

    /**
     * @param e the parse error
     * @return one line without the {@code pounce: } prefix
     */
    static String describe(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            if (first.startsWith("-")) {
                String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
                return "unknown option '" + name + "' (see pounce --help)"
                        + suggestion(name, u.getCommandLine().getCommandSpec().options());
            }
            return "unexpected argument '" + first + "': give at most one APP (see pounce --help)";
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().getFirst() instanceof OptionSpec option) {
            return option.longestName() + " needs a value (" + option.paramLabel() + ")";
        }
        if (e.getArgSpec() instanceof OptionSpec option && e.getValue() != null) {
            return option.longestName() + " expects " + expected(option.type()) + ", got '" + e.getValue() + "'";
        }
        if (e.getArgSpec() instanceof PositionalParamSpec && e.getValue() != null) {
            return "unexpected argument '" + e.getValue() + "' (see pounce --help)";
        }
        return oneLine(e.getMessage()) + " (see pounce --help)";
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number such as 0.5";
        }
        if (type == Duration.class) {
            return "seconds as a decimal number such as 0.5";
        }
        if (type == Path.class) {
            return "a file path";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** A near miss (at most two edits, as {@code --prot} for {@code --port}) gets a hint. */
    private static String suggestion(String typed, List<OptionSpec> options) {
        return options.stream()
                .flatMap(o -> Arrays.stream(o.negatable() ? new String[]{o.longestName(), negated(o)} : o.names()))
                .filter(n -> n.startsWith("--"))
                .map(n -> Map.entry(n, editDistance(typed, n)))
                .filter(e -> e.getValue() <= 2)
                .min(Map.Entry.comparingByValue())
                .map(e -> "; did you mean " + e.getKey() + "?")
                .orElse("");
    }

    private static String negated(OptionSpec option) {
        return "--no-" + option.longestName().substring(2);
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
