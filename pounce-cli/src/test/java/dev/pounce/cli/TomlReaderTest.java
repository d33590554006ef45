package dev.pounce.cli;

import dev.pounce.cli.TomlValue.Array;
import dev.pounce.cli.TomlValue.Scalar;
import dev.pounce.cli.TomlValue.Table;
import dev.pounce.cli.TomlValue.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The TOML reader: what TOML 1.0 allows reads as TOML says, anything else fails at its line and column. */
class TomlReaderTest {

    private static TomlValue at(Table table, String... path) {
        TomlValue v = table;
        for (String part : path) {
            v = ((Table) v).get(part).orElseThrow(() -> new AssertionError("no " + part));
        }
        return v;
    }

    private static Scalar scalar(Table table, String... path) {
        return (Scalar) at(table, path);
    }

    @Test
    void readsEveryKindOfValue() {
        Table t = TomlReader.read("""
                \uFEFF# A comment, then every kind of value.
                basic = "tab\\t quote\\" backslash\\\\ \\u00e9\\U0001F600" # after a value
                literal = 'C:\\Users\\pounce'
                multi = \"""
                Roses \\
                    are red,
                  "violets" ""blue""\"""
                multi-literal = '''
                first newline trimmed
                  \\kept as is'''
                plus = +99
                underscored = 1_000
                negative = -17
                hex = 0xDEAD_beef
                octal = 0o755
                binary = 0b1101
                float = 6.626e-34
                fraction = -0.01
                exponent = 1E6
                infinity = -inf
                not-a-number = nan
                yes = true
                no = false
                offset = 1979-05-27T07:32:00Z
                local = 1979-05-27 07:32:00.999
                date = 1979-05-27
                time = 07:32:00
                "quoted key" = 1
                'literal.key' = 2
                """);
        assertEquals("tab\t quote\" backslash\\ \u00e9\uD83D\uDE00", scalar(t, "basic").text());
        assertEquals("C:\\Users\\pounce", scalar(t, "literal").text());
        assertEquals("Roses are red,\n  \"violets\" \"\"blue\"\"", scalar(t, "multi").text());
        assertEquals("first newline trimmed\n  \\kept as is", scalar(t, "multi-literal").text());
        assertEquals(List.of("99", "1000", "-17", "3735928559", "493", "13"),
                Stream.of("plus", "underscored", "negative", "hex", "octal", "binary")
                        .map(k -> scalar(t, k).text()).toList());
        assertEquals(Type.INTEGER, scalar(t, "hex").type());
        assertEquals(List.of("6.626e-34", "-0.01", "1E6", "-inf", "nan"),
                Stream.of("float", "fraction", "exponent", "infinity", "not-a-number")
                        .map(k -> scalar(t, k).text()).toList());
        assertEquals(Type.FLOAT, scalar(t, "exponent").type());
        assertEquals(new Scalar(Type.BOOLEAN, "true", new TomlValue.Position(22, 7)), scalar(t, "yes"));
        assertEquals("false", scalar(t, "no").text());
        assertEquals(List.of("1979-05-27T07:32:00Z", "1979-05-27 07:32:00.999", "1979-05-27", "07:32:00"),
                Stream.of("offset", "local", "date", "time").map(k -> scalar(t, k).text()).toList());
        assertEquals(Type.DATE_TIME, scalar(t, "date").type());
        assertEquals("1", scalar(t, "quoted key").text());
        assertEquals("2", scalar(t, "literal.key").text());
        assertEquals(new TomlValue.Position(2, 1), t.keyAt("basic"));
        assertEquals(new TomlValue.Position(2, 9), scalar(t, "basic").at());
        assertEquals(new TomlValue.Position(11, 8), scalar(t, "plus").at(), "lines after a multi-line string count");
    }

    @Test
    void readsTablesArraysInlineTablesAndDottedKeys() {
        Table t = TomlReader.read("""
                top.dotted.key = 1
                list = [
                  "a",   # a comment inside
                  [2, 3],
                  { inline = true },
                ]
                empty = []
                point = { x = 1, y.z = 2 }

                [server]
                port = 8000

                [server.tls]  # a sub-table
                cert = "c.pem"

                [ http3 . limits ]
                streams = 64

                [[route]]
                path = "/a"

                [[route]]
                path = "/b"
                [route.extra]
                deep = 1
                """);
        assertEquals("1", scalar(t, "top", "dotted", "key").text());
        var list = (Array) at(t, "list");
        assertEquals(3, list.items().size());
        assertEquals("a", ((Scalar) list.items().get(0)).text());
        assertEquals(2, ((Array) list.items().get(1)).items().size());
        assertEquals("true", scalar((Table) list.items().get(2), "inline").text());
        assertEquals(List.of(), ((Array) at(t, "empty")).items());
        assertEquals("2", scalar(t, "point", "y", "z").text());
        assertEquals("8000", scalar(t, "server", "port").text());
        assertEquals("c.pem", scalar(t, "server", "tls", "cert").text());
        assertEquals("64", scalar(t, "http3", "limits", "streams").text());
        var routes = (Array) at(t, "route");
        assertEquals(2, routes.items().size());
        assertEquals("/b", scalar((Table) routes.items().get(1), "path").text());
        assertEquals("1", scalar((Table) routes.items().get(1), "extra", "deep").text());
        assertEquals(new TomlValue.Position(11, 1), ((Table) at(t, "server")).keyAt("port"));
    }

    @Test
    void aTableNamedByAHeaderMayFollowItsSubTable() {
        Table t = TomlReader.read("[a.b]\nc = 1\n[a]\nd = 2\n");
        assertEquals("1", scalar(t, "a", "b", "c").text());
        assertEquals("2", scalar(t, "a", "d").text());
    }

    @Test
    void windowsLineEndsAreLineEnds() {
        Table t = TomlReader.read("a = 1\r\nb = \"\"\"\r\nx\r\ny\"\"\"\r\nc = 3\r\n");
        assertEquals("x\ny", scalar(t, "b").text());
        assertEquals(new TomlValue.Position(5, 5), scalar(t, "c").at());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("x = two", "1:5", "expected a value (\"text\", a number, true or false, [an, array] or "
                        + "{an = \"inline table\"}), found 't'; text needs quotes: \"two\""),
                Arguments.of("x =", "1:4", "expected a value, found the end of the file"),
                Arguments.of("x =\ny = 1", "1:4", "expected a value (\"text\", a number, true or false, [an, array] or "
                        + "{an = \"inline table\"}), found the end of the line"),
                Arguments.of("x = 007", "1:5", "'007': a TOML number has no leading zeros"),
                Arguments.of("x = 1__0", "1:5", "'1__0' is not a number, a date or a time; text needs quotes: \"1__0\""),
                Arguments.of("x = 3.", "1:5", "'3.' is not a number, a date or a time; text needs quotes: \"3.\""),
                Arguments.of("x = 9223372036854775808", "1:5", "'9223372036854775808' does not fit in a 64-bit integer"),
                Arguments.of("x = truely", "1:5", "expected a value (\"text\", a number, true or false, [an, array] "
                        + "or {an = \"inline table\"}), found 't'; text needs quotes: \"truely\""),
                Arguments.of("x = 1 y = 2", "1:7", "expected the end of the line after the value, found 'y'"),
                Arguments.of("[a] x = 1", "1:5", "expected the end of the line after the table header, found 'x'"),
                Arguments.of("x 1", "1:3", "expected '=' after the key 'x', found '1'"),
                Arguments.of("= 1", "1:1", "expected a key (letters, digits, '-' and '_', or a quoted string), found '='"),
                Arguments.of("[a", "1:3", "expected ']' to end the table header, found the end of the file"),
                Arguments.of("[[a]", "1:5", "expected ']]' to end the table header, found the end of the file"),
                Arguments.of("x = \"abc\ny = 1", "1:5", "this string is not closed with '\"' on its line (\"\"\" begins "
                        + "a string of several lines)"),
                Arguments.of("x = 'abc", "1:5", "this string is not closed with \"'\" on its line (''' begins a "
                        + "string of several lines)"),
                Arguments.of("x = \"\"\"abc\n", "1:5", "this string is not closed with \"\"\""),
                Arguments.of("x = \"C:\\dir\"", "1:8", "unknown escape '\\d' in a string; write '\\\\' for a backslash, "
                        + "or use a 'literal string' (single quotes), which has no escapes, for paths"),
                Arguments.of("x = \"\\u12\"", "1:6", "'\\u' takes exactly 4 hexadecimal digits"),
                Arguments.of("x = \"\\uD800\"", "1:6", "U+D800 is not a Unicode scalar value"),
                Arguments.of("x = \"a\u0001b\"", "1:7", "control character U+0001 in a string"),
                Arguments.of("# a \u0000 comment", "1:5", "control character U+0000 in a comment"),
                Arguments.of("x = 1\ry = 2", "1:6", "a carriage return must be followed by a line feed"),
                Arguments.of("x = [1, 2", "1:10", "the array begun at 1:5 is not closed with ']'"),
                Arguments.of("x = [1 2]", "1:8", "expected ',' or ']' in the array begun at 1:5, found '2'"),
                Arguments.of("x = {a = 1,}", "1:12", "no ',' before the '}' that ends an inline table"),
                Arguments.of("x = {a = 1\n}", "1:11", "expected ',' or '}' in the inline table begun at 1:5 (an inline "
                        + "table is on one line), found the end of the line"),
                Arguments.of("x = 1\nx = 2", "2:1", "'x' is defined twice (first at line 1)"),
                Arguments.of("a.b = 1\na.b = 2", "2:1", "'a.b' is defined twice (first at line 1)"),
                Arguments.of("[t]\n[t]", "2:1", "[t] is defined twice: it is already a table at line 1"),
                Arguments.of("a = 1\n[a]", "2:1", "[a] is defined twice: it is already an integer at line 1"),
                Arguments.of("[a]\nb.c = 1\n[a.b]", "3:1", "[a.b] is defined twice: it is already a table at line 2"),
                Arguments.of("[a.b.c]\n[a]\nb.d = 1", "3:1", "'b.d' cannot add to 'b', which is a table defined at "
                        + "line 1"),
                Arguments.of("a = {x = 1}\na.y = 2", "2:1", "'a.y' cannot add to 'a', which is a table defined at line 1"),
                Arguments.of("a = {x = 1}\n[a.b]", "2:1", "[a.b] cannot add to 'a', which is a table at line 1"),
                Arguments.of("a = 1\n[a.b]", "2:1", "[a.b] cannot add to 'a', which is an integer at line 1"),
                Arguments.of("[[a]]\n[a]", "2:1", "[a] is defined twice: it is already an array of tables at line 1"),
                Arguments.of("a = [1]\n[[a]]", "2:1", "[[a]] names an array defined at line 1, not an array of tables"),
                Arguments.of("\"\"\"k\"\"\" = 1", "1:1", "a key cannot be a multi-line string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void anythingElseFailsAtItsLineAndColumn(String text, String at, String message) {
        var e = assertThrows(TomlReader.SyntaxError.class, () -> TomlReader.read(text));
        assertEquals(message, e.getMessage());
        assertEquals(at, e.at().toString());
    }
}
