package dev.pounce.cli;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.pounce.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plugin's settings on the command line, as a person meets them: {@link SampleSection} is found on the test class
 * path by {@link java.util.ServiceLoader}, as a third party's section would be on the module path.
 */
class PluginFlagsTest {

    private static final String APP = TestApps.class.getName() + "$Hello";

    @ParameterizedTest(name = "{0} --help")
    @CsvSource({"''", "check", "info"})
    void helpListsThePluginSectionAfterPounceOwnFlags(String command) {
        var o = command.isEmpty() ? run("--help") : run(command, "--help");
        assertEquals(0, o.status(), o.err());
        String help = o.out().replaceAll("\\s+", " ");
        int heading = help.indexOf(" Sample plugin (test only) ");
        assertTrue(heading > help.indexOf("--plugin-path=DIR"), "the section comes after Pounce's own: " + o.out());
        String section = help.substring(heading);
        for (String shown : List.of(
                "--[no-]sample Serve the sample protocol. (default: true)",
                "--sample-max-items=N Items a client may ask for at once. (between 1 and 1000 items; default: 16; "
                        + "RFC 0000 section 1)",
                "--sample-grace=SECONDS Time a client gets to finish, 100% of it. (between 0 and 60 seconds; "
                        + "default: 2)",
                "--sample-mode=WORD How items are served. (one of fast, safe; default: fast)",
                "--sample-allow=LIST Words to allow. (a comma-separated list, each a lower-case word; default: "
                        + "none)")) {
            assertTrue(section.contains(shown), shown + " in " + o.out());
        }
    }

    @Test
    void aPluginFlagReachesTheConfigOnlyWhenGiven() {
        ServerConfig config = FlagMappingTest.parse("--sample-max-items", "200", "--no-sample",
                "--sample-grace", "0.5", "--sample-allow", "a", "--sample-allow", "b,c", "--sample-mode", "safe");
        assertEquals(Map.of("sample.max-items", "200", "sample.enabled", "false", "sample.grace", "0.5",
                "sample.allow", "a,b,c", "sample.mode", "safe"), config.plugins().given());
        assertEquals(new SampleSection.Values(false, 200, Duration.ofMillis(500), "safe", List.of("a", "b", "c")),
                config.section(new SampleSection()));

        ServerConfig defaults = FlagMappingTest.parse("--port", "9000");
        assertEquals(Map.of(), defaults.plugins().given());
        assertEquals(new SampleSection.Values(true, 16, Duration.ofSeconds(2), "fast", List.of()),
                defaults.section(new SampleSection()));
    }

    @Test
    void theLastOfARepeatedPluginFlagWins() {
        assertEquals("7", FlagMappingTest.parse("--sample-max-items", "3", "--sample-max-items", "7")
                .plugins().given().get("sample.max-items"));
        assertEquals("true", FlagMappingTest.parse("--no-sample", "--sample").plugins().given().get("sample.enabled"));
    }

    @Test
    void checkAndInfoTakeThePluginFlagsToo() {
        var command = new PounceCommand();
        var result = PounceCommand.parser(command, FlagMappingTest.quiet(), FlagMappingTest.plugins())
                .parseArgs("check", "--sample-max-items", "5", APP);
        ServerConfig config = PounceCommand.options(result.subcommand().commandSpec().userObject()).toConfig();
        assertEquals(5, config.section(new SampleSection()).maxItems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "--sample-max-items 0 | 1 | pounce: --sample-max-items must be between 1 and 1000, got 0",
            "--sample-max-items 99999999999 | 1 | pounce: --sample-max-items must be between 1 and 1000, got 99999999999",
            "--sample-grace 90 | 1 | pounce: --sample-grace must be between 0 and 60 seconds, got 90",
            "--sample-mode slow | 1 | pounce: --sample-mode must be one of fast, safe, got 'slow'",
            "--sample-allow ok,Bad | 1 | pounce: --sample-allow items must each be a lower-case word; 'Bad' is not a lower-case word",
            "--sample-max-items lots | 2 | pounce: --sample-max-items expects a whole number, got 'lots'",
            "--sample-grace soon | 2 | pounce: --sample-grace expects seconds as a decimal number such as 0.5, got 'soon'",
            "--sample=yes | 2 | pounce: option '--sample' should be specified without 'yes' parameter (see pounce --help)",
            "--sample-max-itmes 3 | 2 | pounce: unknown option '--sample-max-itmes' (see pounce --help); did you mean --sample-max-items?",
            "--no-smaple | 2 | pounce: unknown option '--no-smaple' (see pounce --help); did you mean --no-sample?"})
    void aBadPluginFlagIsOneLineNamingIt(String args, int status, String line) {
        String[] given = ("check " + args + " " + APP).split(" ");
        var o = run(given);
        assertEquals(List.of(line), o.errLines());
        assertEquals(status, o.status());
        assertEquals("", o.out());
        assertEquals(List.of(line), run(("info " + args).split(" ")).errLines(), "pounce info says the same");
    }

    @Test
    void aMissingValueAndAFlagBeforeTheSubcommandAreParseErrors() {
        var missing = run("--sample-max-items");
        assertEquals(List.of("pounce: --sample-max-items needs a value (N)"), missing.errLines());
        assertEquals(2, missing.status());
        var early = run("--sample-max-items", "5", "check", APP);
        assertEquals(List.of("pounce: put the options and APP after 'check': pounce check [OPTIONS] [APP]"),
                early.errLines());
        assertEquals(2, early.status());
    }

    @Test
    void infoShowsEachSettingWithTheValueInEffect() {
        var text = run("info", "--sample-max-items", "200", "--no-sample");
        assertEquals(0, text.status(), text.err());
        String out = text.out();
        String settings = out.substring(out.indexOf("settings:\n"));
        assertTrue(settings.contains("  Sample plugin (test only)\n"), out);
        assertTrue(settings.contains("    --sample            false\n"), out);
        assertTrue(settings.contains("    --sample-max-items  200\n"), out);
        assertTrue(settings.contains("    --sample-allow      none\n"), out);

        var json = run("info", "--output-format", "json", "--sample-max-items", "200", "--sample-allow", "x,y");
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"settings\":[{\"section\":\"sample\",\"title\":\"Sample plugin (test only)\","
                + "\"settings\":[{\"key\":\"sample.enabled\",\"flag\":\"--sample\",\"value\":\"true\"},"
                + "{\"key\":\"sample.max-items\",\"flag\":\"--sample-max-items\",\"value\":\"200\"},"
                + "{\"key\":\"sample.grace\",\"flag\":\"--sample-grace\",\"value\":\"2\"},"
                + "{\"key\":\"sample.mode\",\"flag\":\"--sample-mode\",\"value\":\"fast\"},"
                + "{\"key\":\"sample.allow\",\"flag\":\"--sample-allow\",\"value\":\"x,y\"}]}"), json.out());
    }

    @Test
    void twoPluginsClaimingOneFlagAreRefusedByName() {
        var clash = assertThrows(PluginFlags.FlagClash.class,
                () -> PluginFlags.of(List.of(new SampleSection(), section("other", Setting.integer("other.n", 1, 0, 9)
                        .flag("--sample-max-items")))));
        assertEquals("the flag --sample-max-items is claimed by two plugins: section 'sample' ("
                + SampleSection.class.getName() + ") and section 'other' (" + OneSetting.class.getName()
                + "); remove one of them from the module path", clash.getMessage());
    }

    static Stream<Arguments> pounceOwnFlags() {
        return Stream.of(
                Arguments.of(Setting.integer("thief.port", 1, 0, 9).flag("--port"), "--port"),
                // --reuse-port is free, but its negation is Pounce's --no-reuse-port.
                Arguments.of(Setting.toggle("reuse-port.enabled", true), "--no-reuse-port"),
                Arguments.of(Setting.toggle("access-log.enabled", true), "--access-log"),
                Arguments.of(Setting.choice("thief.log", "a", "a").flag("--no-access-log"), "--no-access-log"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("pounceOwnFlags")
    void aPluginClaimingOneOfPounceOwnFlagsIsRefusedByName(Setting<?> setting, String flag) {
        var thief = PluginFlags.of(List.of(section(setting.section(), setting)));
        var clash = assertThrows(PluginFlags.FlagClash.class,
                () -> PounceCommand.parser(new PounceCommand(), FlagMappingTest.quiet(), thief));
        assertEquals("the flag " + flag + " of section '" + setting.section() + "' (" + OneSetting.class.getName()
                + ") is Pounce's own " + flag + "; remove the plugin from the module path, or ask its author to "
                + "rename the flag", clash.getMessage());
    }

    @Test
    void pluginFoldersAreReadBeforeParsing() {
        assertEquals(List.of("a", "b", "c"), PluginPath.in(new String[]{"--plugin-path", "a", "--port", "1",
                "--plugin-path=b", "check", "--plugin-path", "c", "--", "--plugin-path", "d"}));
        assertEquals(List.of(), PluginPath.in(new String[]{"--plugin-path"}));
    }

    private static OneSetting section(String name, Setting<?> setting) {
        return new OneSetting(name, setting);
    }

    /** A section of one setting, for the clashes. */
    private record OneSetting(String name, Setting<?> setting) implements ConfigSection<String> {
        @Override
        public String title() {
            return name;
        }

        @Override
        public Class<String> type() {
            return String.class;
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(setting);
        }

        @Override
        public String build(SectionValues values) {
            return name;
        }
    }
}
