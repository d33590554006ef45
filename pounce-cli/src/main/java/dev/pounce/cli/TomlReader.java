package dev.pounce.cli;

import dev.pounce.cli.TomlValue.Array;
import dev.pounce.cli.TomlValue.Position;
import dev.pounce.cli.TomlValue.Scalar;
import dev.pounce.cli.TomlValue.Table;
import dev.pounce.cli.TomlValue.Type;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TOML 1.0 (toml.io/en/v1.0.0) for config files: comments, bare, quoted and dotted keys, {@code [tables]} and
 * {@code [[arrays of tables]]}, basic and literal strings (single- and multi-line, with every escape), integers
 * (decimal, {@code 0x}, {@code 0o}, {@code 0b}, with {@code _}), floats ({@code inf} and {@code nan} too), booleans,
 * dates and times (kept as written), arrays over several lines and inline tables; and TOML's rules against defining
 * a key or table twice. It reads a whole {@code pyproject.toml} as well, of which Pounce wants only
 * {@code [tool.pounce]}. No TOML library with a {@code module-info} is among our dependencies, and a config file
 * needs no more than this.
 *
 * <p>Strict: anything else is a {@link SyntaxError} with the line and column and what was expected, such as
 * {@code expected a value (...), found 't'; text needs quotes: "two"} for {@code workers = two}.
 */
final class TomlReader {

    /** A file that is not valid TOML. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Position at;

        SyntaxError(String message, Position at) {
            super(message);
            this.at = at;
        }

        /** @return where the problem is */
        Position at() {
            return at;
        }
    }

    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:[Tt ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:[Zz]|[+-]\\d{2}:\\d{2})?)?"
                    + "|\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:0|[1-9](?:_?\\d)*)");
    private static final Pattern HEX = Pattern.compile("0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7](?:_?[0-7])*");
    private static final Pattern BINARY = Pattern.compile("0b[01](?:_?[01])*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:0|[1-9](?:_?\\d)*)(?:\\.\\d(?:_?\\d)*)?(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("[+-]?(?:inf|nan)");

    private final String s;
    private int i;
    private int line = 1;
    private int lineStart;
    private final Table root = new Table(Table.Origin.ROOT, new Position(1, 1));
    private Table current = root;

    private TomlReader(String text) {
        s = text;
        if (s.startsWith("\uFEFF")) {
            i = 1;
            lineStart = 1;
        }
    }

    /**
     * @param text the file's text
     * @return its root table
     * @throws SyntaxError at the first thing that is not valid TOML
     */
    static Table read(String text) {
        var reader = new TomlReader(text);
        reader.document();
        return reader.root;
    }

    private void document() {
        while (i < s.length()) {
            skipBlanks();
            if (i >= s.length()) {
                break;
            }
            char c = s.charAt(i);
            if (c == '#') {
                comment();
            } else if (c == '\n' || c == '\r') {
                newline();
            } else if (c == '[') {
                header();
                endOfLine("the table header");
            } else {
                keyValue(current);
                endOfLine("the value");
            }
        }
    }

    // ---- lines, blanks and comments ----

    private Position pos() {
        return new Position(line, i - lineStart + 1);
    }

    private SyntaxError error(String message) {
        return new SyntaxError(message, pos());
    }

    private String found() {
        if (i >= s.length()) {
            return "the end of the file";
        }
        char c = s.charAt(i);
        return c == '\n' || c == '\r' ? "the end of the line" : "'" + c + "'";
    }

    private void skipBlanks() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    /** Blanks, comments and line ends, as arrays allow between their items. */
    private void skipBlanksAndLines() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '#') {
                comment();
            } else if (c == '\n' || c == '\r') {
                newline();
            } else {
                return;
            }
        }
    }

    private void comment() {
        i++;
        while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            checkControl(s.charAt(i), "a comment");
            i++;
        }
    }

    private void newline() {
        if (s.charAt(i) == '\r') {
            if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
                throw error("a carriage return must be followed by a line feed");
            }
            i++;
        }
        i++;
        line++;
        lineStart = i;
    }

    private void endOfLine(String after) {
        skipBlanks();
        if (i < s.length() && s.charAt(i) == '#') {
            comment();
        }
        if (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            throw error("expected the end of the line after " + after + ", found " + found());
        }
    }

    private void checkControl(char c, String where) {
        if (c < 0x20 && c != '\t' || c == 0x7f) {
            throw error(String.format("control character U+%04X in %s", (int) c, where));
        }
    }

    // ---- keys and tables ----

    private List<String> key() {
        List<String> parts = new ArrayList<>();
        while (true) {
            parts.add(simpleKey());
            skipBlanks();
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                skipBlanks();
            } else {
                return parts;
            }
        }
    }

    private String simpleKey() {
        if (i < s.length() && s.charAt(i) == '"') {
            if (s.startsWith("\"\"\"", i)) {
                throw error("a key cannot be a multi-line string");
            }
            return basicString();
        }
        if (i < s.length() && s.charAt(i) == '\'') {
            if (s.startsWith("'''", i)) {
                throw error("a key cannot be a multi-line string");
            }
            return literalString();
        }
        int start = i;
        while (i < s.length() && isBareKeyChar(s.charAt(i))) {
            i++;
        }
        if (start == i) {
            throw error("expected a key (letters, digits, '-' and '_', or a quoted string), found " + found());
        }
        return s.substring(start, i);
    }

    private static boolean isBareKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private void header() {
        Position at = pos();
        i++;
        boolean ofTables = i < s.length() && s.charAt(i) == '[';
        if (ofTables) {
            i++;
        }
        skipBlanks();
        List<String> parts = key();
        String name = String.join(".", parts);
        if (i >= s.length() || s.charAt(i) != ']' || ofTables && !s.startsWith("]]", i)) {
            if (ofTables && i < s.length() && s.charAt(i) == ']') {
                i++;
            }
            throw error("expected '" + (ofTables ? "]]" : "]") + "' to end the table header, found " + found());
        }
        i += ofTables ? 2 : 1;
        Table t = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            t = enterForHeader(t, part, name, at);
        }
        String last = parts.getLast();
        TomlValue existing = t.get(last).orElse(null);
        if (ofTables) {
            Array array;
            if (existing == null) {
                array = new Array(new ArrayList<>(), true, at);
                t.put(last, array, at);
            } else if (existing instanceof Array a && a.ofTables()) {
                array = a;
            } else {
                throw new SyntaxError("[[" + name + "]] names " + existing.describe() + " defined at line "
                        + t.keyAt(last).line() + ", not an array of tables", at);
            }
            var element = new Table(Table.Origin.HEADER, at);
            array.items().add(element);
            current = element;
        } else if (existing == null) {
            var table = new Table(Table.Origin.HEADER, at);
            t.put(last, table, at);
            current = table;
        } else if (existing instanceof Table table && table.origin() == Table.Origin.IMPLICIT) {
            table.origin(Table.Origin.HEADER);
            current = table;
        } else {
            throw new SyntaxError("[" + name + "] is defined twice: it is already " + existing.describe()
                    + " at line " + t.keyAt(last).line(), at);
        }
    }

    private Table enterForHeader(Table t, String part, String name, Position at) {
        TomlValue existing = t.get(part).orElse(null);
        if (existing == null) {
            var table = new Table(Table.Origin.IMPLICIT, at);
            t.put(part, table, at);
            return table;
        }
        if (existing instanceof Table table && table.origin() != Table.Origin.INLINE) {
            return table;
        }
        if (existing instanceof Array a && a.ofTables()) {
            return (Table) a.items().getLast();
        }
        throw new SyntaxError("[" + name + "] cannot add to '" + part + "', which is " + existing.describe()
                + " at line " + t.keyAt(part).line(), at);
    }

    private void keyValue(Table table) {
        Position keyAt = pos();
        List<String> parts = key();
        String name = String.join(".", parts);
        if (i >= s.length() || s.charAt(i) != '=') {
            throw error("expected '=' after the key '" + name + "', found " + found());
        }
        i++;
        skipBlanks();
        TomlValue value = value();
        Table t = table;
        for (String part : parts.subList(0, parts.size() - 1)) {
            TomlValue existing = t.get(part).orElse(null);
            if (existing == null) {
                var made = new Table(Table.Origin.DOTTED, keyAt);
                t.put(part, made, keyAt);
                t = made;
            } else if (existing instanceof Table sub && sub.origin() == Table.Origin.DOTTED) {
                t = sub;
            } else {
                throw new SyntaxError("'" + name + "' cannot add to '" + part + "', which is " + existing.describe()
                        + " defined at line " + t.keyAt(part).line(), keyAt);
            }
        }
        String last = parts.getLast();
        if (t.get(last).isPresent()) {
            throw new SyntaxError("'" + name + "' is defined twice (first at line " + t.keyAt(last).line() + ")",
                    keyAt);
        }
        t.put(last, value, keyAt);
    }

    // ---- values ----

    private TomlValue value() {
        if (i >= s.length()) {
            throw error("expected a value, found the end of the file");
        }
        Position at = pos();
        char c = s.charAt(i);
        return switch (c) {
            case '"' -> new Scalar(Type.STRING, s.startsWith("\"\"\"", i) ? multiLineBasicString() : basicString(),
                    at);
            case '\'' -> new Scalar(Type.STRING, s.startsWith("'''", i) ? multiLineLiteralString() : literalString(),
                    at);
            case '[' -> array();
            case '{' -> inlineTable();
            default -> {
                if (word("true") || word("false")) {
                    String text = s.startsWith("true", i) ? "true" : "false";
                    i += text.length();
                    yield new Scalar(Type.BOOLEAN, text, at);
                }
                if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == 'i' || c == 'n') {
                    yield numberOrDate();
                }
                throw notAValue();
            }
        };
    }

    private SyntaxError notAValue() {
        int end = i;
        while (end < s.length() && isBareKeyChar(s.charAt(end))) {
            end++;
        }
        String hint = end > i ? "; text needs quotes: \"" + s.substring(i, end) + "\"" : "";
        return error("expected a value (\"text\", a number, true or false, [an, array] or {an = \"inline table\"}), "
                + "found " + found() + hint);
    }

    private boolean word(String w) {
        return s.startsWith(w, i) && (i + w.length() >= s.length() || !isBareKeyChar(s.charAt(i + w.length())));
    }

    private TomlValue numberOrDate() {
        Position at = pos();
        Matcher date = DATE_TIME.matcher(s).region(i, s.length());
        if (date.lookingAt() && (date.end() >= s.length() || !isBareKeyChar(s.charAt(date.end()))
                && s.charAt(date.end()) != ':' && s.charAt(date.end()) != '.')) {
            i = date.end();
            return new Scalar(Type.DATE_TIME, date.group(), at);
        }
        int start = i;
        while (i < s.length() && (isBareKeyChar(s.charAt(i)) || s.charAt(i) == '+' || s.charAt(i) == '.')) {
            i++;
        }
        String token = s.substring(start, i);
        String digits = token.replace("_", "");
        if (DECIMAL.matcher(token).matches()) {
            return integer(digits.startsWith("+") ? digits.substring(1) : digits, 10, token, at);
        }
        if (HEX.matcher(token).matches() || OCTAL.matcher(token).matches() || BINARY.matcher(token).matches()) {
            int radix = switch (token.charAt(1)) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            return integer(digits.substring(2), radix, token, at);
        }
        if (SPECIAL_FLOAT.matcher(token).matches()
                || FLOAT.matcher(token).matches() && (token.contains(".") || token.toLowerCase(Locale.ROOT).contains("e"))) {
            return new Scalar(Type.FLOAT, digits.startsWith("+") ? digits.substring(1) : digits, at);
        }
        if (token.matches("[+-]?0\\d+")) {
            throw new SyntaxError("'" + token + "': a TOML number has no leading zeros", at);
        }
        if (token.isEmpty()) {
            throw notAValue();
        }
        throw new SyntaxError("'" + token + "' is not a number, a date or a time; text needs quotes: \"" + token
                + "\"", at);
    }

    private Scalar integer(String digits, int radix, String token, Position at) {
        var value = new BigInteger(digits, radix);
        if (value.bitLength() > 63) {
            throw new SyntaxError("'" + token + "' does not fit in a 64-bit integer", at);
        }
        return new Scalar(Type.INTEGER, value.toString(), at);
    }

    private Array array() {
        Position at = pos();
        i++;
        List<TomlValue> items = new ArrayList<>();
        while (true) {
            skipBlanksAndLines();
            if (i >= s.length()) {
                throw error("the array begun at " + at + " is not closed with ']'");
            }
            if (s.charAt(i) == ']') {
                i++;
                return new Array(items, false, at);
            }
            items.add(value());
            skipBlanksAndLines();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == ']') {
                i++;
                return new Array(items, false, at);
            } else if (i >= s.length()) {
                throw error("the array begun at " + at + " is not closed with ']'");
            } else {
                throw error("expected ',' or ']' in the array begun at " + at + ", found " + found());
            }
        }
    }

    private Table inlineTable() {
        Position at = pos();
        i++;
        var table = new Table(Table.Origin.DOTTED, at);
        skipBlanks();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            table.origin(Table.Origin.INLINE);
            return table;
        }
        while (true) {
            skipBlanks();
            if (i < s.length() && s.charAt(i) == '}') {
                throw error("no ',' before the '}' that ends an inline table");
            }
            keyValue(table);
            skipBlanks();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i < s.length() && s.charAt(i) == '}') {
                i++;
                table.origin(Table.Origin.INLINE);
                return table;
            } else {
                throw error("expected ',' or '}' in the inline table begun at " + at + " (an inline table is on one "
                        + "line), found " + found());
            }
        }
    }

    // ---- strings ----

    private String basicString() {
        Position at = pos();
        i++;
        var out = new StringBuilder();
        while (true) {
            if (i >= s.length() || s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                throw new SyntaxError("this string is not closed with '\"' on its line (\"\"\" "
                        + "begins a string of several lines)", at);
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                return out.toString();
            }
            if (c == '\\') {
                escape(out);
            } else {
                checkControl(c, "a string");
                out.append(c);
                i++;
            }
        }
    }

    private String multiLineBasicString() {
        Position at = pos();
        i += 3;
        skipFirstNewline();
        var out = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new SyntaxError("this string is not closed with \"\"\"", at);
            }
            char c = s.charAt(i);
            if (c == '"' && s.startsWith("\"\"\"", i)) {
                return closeMultiLine(out, '"');
            }
            if (c == '\\') {
                int after = i + 1;
                while (after < s.length() && (s.charAt(after) == ' ' || s.charAt(after) == '\t')) {
                    after++;
                }
                if (after < s.length() && (s.charAt(after) == '\n' || s.charAt(after) == '\r')) {
                    // A line-ending backslash: the line end and the blanks after it are not part of the string.
                    i = after;
                    skipBlanksAndNewlinesOnly();
                } else {
                    escape(out);
                }
            } else if (c == '\n' || c == '\r') {
                newline();
                out.append('\n');
            } else {
                checkControl(c, "a string");
                out.append(c);
                i++;
            }
        }
    }

    private String literalString() {
        Position at = pos();
        i++;
        int start = i;
        while (true) {
            if (i >= s.length() || s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                throw new SyntaxError("this string is not closed with \"'\" on its line (''' "
                        + "begins a string of several lines)", at);
            }
            char c = s.charAt(i);
            if (c == '\'') {
                i++;
                return s.substring(start, i - 1);
            }
            checkControl(c, "a string");
            i++;
        }
    }

    private String multiLineLiteralString() {
        Position at = pos();
        i += 3;
        skipFirstNewline();
        var out = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new SyntaxError("this string is not closed with '''", at);
            }
            char c = s.charAt(i);
            if (c == '\'' && s.startsWith("'''", i)) {
                return closeMultiLine(out, '\'');
            }
            if (c == '\n' || c == '\r') {
                newline();
                out.append('\n');
            } else {
                checkControl(c, "a string");
                out.append(c);
                i++;
            }
        }
    }

    /** Up to two quotes may stand just before the closing three, and belong to the string. */
    private String closeMultiLine(StringBuilder out, char quote) {
        int run = 0;
        while (i + run < s.length() && s.charAt(i + run) == quote) {
            run++;
        }
        if (run > 5) {
            throw error("too many " + quote + " in a row at the end of a string of several lines");
        }
        out.append(String.valueOf(quote).repeat(run - 3));
        i += run;
        return out.toString();
    }

    private void skipFirstNewline() {
        if (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            newline();
        }
    }

    private void skipBlanksAndNewlinesOnly() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '\n' || c == '\r') {
                newline();
            } else {
                return;
            }
        }
    }

    private void escape(StringBuilder out) {
        Position at = pos();
        if (i + 1 >= s.length()) {
            throw error("a string ends in a lone '\\'");
        }
        char e = s.charAt(i + 1);
        i += 2;
        switch (e) {
            case 'b' -> out.append('\b');
            case 't' -> out.append('\t');
            case 'n' -> out.append('\n');
            case 'f' -> out.append('\f');
            case 'r' -> out.append('\r');
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case 'u' -> out.appendCodePoint(unicode(4, at));
            case 'U' -> out.appendCodePoint(unicode(8, at));
            default -> throw new SyntaxError("unknown escape '\\" + e + "' in a string; write '\\\\' for a backslash, "
                    + "or use a 'literal string' (single quotes), which has no escapes, for paths", at);
        }
    }

    private int unicode(int length, Position at) {
        if (i + length > s.length() || !s.substring(i, i + length).matches("[0-9A-Fa-f]+")) {
            throw new SyntaxError("'\\" + (length == 4 ? "u" : "U") + "' takes exactly " + length
                    + " hexadecimal digits", at);
        }
        long code = Long.parseLong(s.substring(i, i + length), 16);
        i += length;
        if (code > Character.MAX_CODE_POINT || code >= 0xD800 && code <= 0xDFFF) {
            throw new SyntaxError(String.format("U+%X is not a Unicode scalar value", code), at);
        }
        return (int) code;
    }
}
