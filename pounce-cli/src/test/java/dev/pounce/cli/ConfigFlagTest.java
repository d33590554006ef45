package dev.pounce.cli;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class ConfigFlagTest {

    @Test
    void everyConfigFieldHasAFlag() {
        // ConfigException.field() is named as the builder method, so the builder's setters are the field list.
        Set<String> fields = Arrays.stream(ServerConfig.Builder.class.getMethods())
                .filter(m -> m.getDeclaringClass() == ServerConfig.Builder.class)
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1)
                .map(Method::getName)
                // Names plugin sections for embedders; the command builds the section of every plugin it finds.
                .filter(name -> !name.equals("sections"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> mapped = Arrays.stream(ConfigFlag.values()).map(ConfigFlag::field)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(fields, mapped);
    }

    @Test
    void everyFlagIsAnOption() {
        var spec = PounceCommand.parser(new PounceCommand(), FlagMappingTest.quiet(), PluginFlags.NONE)
                .getCommandSpec();
        for (ConfigFlag f : ConfigFlag.values()) {
            assertNotNull(spec.findOption(f.flag()), f.flag());
        }
    }

    @ParameterizedTest
    @EnumSource(ConfigFlag.class)
    void aFieldErrorNamesItsFlag(ConfigFlag flag) {
        var e = new ConfigException(flag.field(), flag.field() + " must be better, got worse");
        assertEquals(flag.flag() + " must be better, got worse", ConfigFlag.describe(e));
    }

    @Test
    void realValidationErrorsNameTheFlag() {
        assertEquals("--port must be between 0 and 65535, got 70000",
                describe(ServerConfig.builder().port(70000)));
        assertEquals("--limit-request-header-size must be between 1024 and 16777216, got 10",
                describe(ServerConfig.builder().maxHeaderSize(10)));
        assertEquals("--timeout-keep-alive must be more than 0 and at most 86400 seconds, got 0.0 s",
                describe(ServerConfig.builder().keepAliveTimeout(java.time.Duration.ZERO)));
        assertEquals("--root-path must be empty or start with '/' and not end with '/', got 'api'",
                describe(ServerConfig.builder().rootPath("api")));
        assertEquals("--log-level must be one of trace, debug, info, warning, error, critical, got 'loud'",
                describe(ServerConfig.builder().logLevel("loud")));
    }

    @Test
    void otherFieldsInTheMessageAreNamedByFlagToo() {
        assertEquals("--ssl-certfile and --ssl-keyfile must be given together",
                describe(ServerConfig.builder().sslCertFile(java.nio.file.Path.of("c.pem"))));
        assertEquals("--ssl-client-auth must be one of none, optional, require, got 'always'",
                describe(ServerConfig.builder().sslClientAuth("always")));
        assertEquals("--ssl-ca-certs and --ssl-keyfile-password need --ssl-certfile and --ssl-keyfile",
                ConfigFlag.describe(new ConfigException("sslCertFile",
                        "sslCaCerts and sslKeyPassword need sslCertFile and sslKeyFile")));
    }

    @Test
    void aMessageThatDoesNotStartWithTheFieldIsPrefixed() {
        assertEquals("--port: out of luck", ConfigFlag.describe(new ConfigException("port", "out of luck")));
    }

    @Test
    void aPluginKeyIsNamedByItsFlagWhereverTheTextNamesIt() {
        var flags = Map.of("sample.max-items", "--sample-max-items", "sample.enabled", "--sample");
        assertEquals("--sample-max-items must be at most 10 while --sample is on.",
                ConfigFlag.describe(new ConfigException("sample.max-items",
                        "sample.max-items must be at most 10 while sample.enabled is on."), flags));
        assertEquals("--sample: needs --limit-request-body",
                ConfigFlag.describe(new ConfigException("sample.enabled", "needs maxRequestBodySize"), flags));
    }

    @Test
    void aKeyNoFlagSetsKeepsItsMessage() {
        var e = new ConfigException("http2.max-frame-size", "unknown setting http2.max-frame-size: no plugin on the "
                + "module path owns the config section 'http2'");
        assertEquals(e.getMessage(), ConfigFlag.describe(e, Map.of("sample.enabled", "--sample")));
    }

    @Test
    void anUnknownFieldKeepsItsMessage() {
        assertEquals("tls needs a key", ConfigFlag.describe(new ConfigException("tls", "tls needs a key")));
    }

    @Test
    void defaultsAreTypedAsOnTheCommandLine() {
        assertEquals(Optional.of("8000"), ConfigFlag.PORT.defaultText());
        assertEquals(Optional.of("5"), ConfigFlag.TIMEOUT_KEEP_ALIVE.defaultText());
        assertEquals(Optional.of("1048576"), ConfigFlag.LIMIT_REQUEST_BODY.defaultText());
        assertEquals(Optional.of(""), ConfigFlag.ROOT_PATH.defaultText());
        assertEquals(Optional.of("none"), ConfigFlag.SSL_CLIENT_AUTH.defaultText());
        assertEquals(Optional.empty(), ConfigFlag.UDS.defaultText());
        assertEquals(Optional.empty(), ConfigFlag.SSL_CERTFILE.defaultText());
        assertEquals(Optional.of("100"), ConfigFlag.RATE_LIMIT_REQUESTS_PER_SECOND.defaultText());
        assertEquals(Optional.of("1"), ConfigFlag.TIMEOUT_QUEUE.defaultText());
        assertEquals(Optional.of("0"), ConfigFlag.LIMIT_CONCURRENCY.defaultText());
    }

    @Test
    void aLoadLimitErrorNamesEveryFlagItMentions() {
        assertEquals("--limit-queue needs --limit-concurrency above 0, since a queue waits for a free slot under "
                + "that cap", describe(ServerConfig.builder().limitQueue(3)));
        assertEquals("--rate-limit-ipv6-prefix must be between 16 and 128, got 8",
                describe(ServerConfig.builder().rateLimitIpv6Prefix(8)));
    }

    private static String describe(ServerConfig.Builder b) {
        try {
            b.build();
            throw new AssertionError("expected a ConfigException");
        } catch (ConfigException e) {
            return ConfigFlag.describe(e);
        }
    }
}
