package dev.pounce.example.proxy;

import dev.pounce.api.ConfigException;
import dev.pounce.api.Endpoint;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.spi.ConnectionPreamble.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin's settings as Pounce reads them (by key, as text, as the flags give them) and the preamble obeys them. */
class ProxyProtocolSectionTest {

    private static final ConnectionInfo FROM_LB = new ConnectionInfo(1, new WorkerIdentity(0, 0),
            Optional.of(new Endpoint("192.0.2.50", 40000)), Optional.of(new Endpoint("10.0.0.5", 8000)), false);

    /** A configuration with the section built, as the runtime builds it at startup with the plugins it found. */
    private static ServerConfig config(Map<String, String> given) {
        var b = ServerConfig.builder().sections(List.of(new ProxyProtocolSection()));
        given.forEach(b::set);
        return b.build();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void theFlagsAreNamedForTheKeys() {
        assertEquals("--proxy-protocol-trusted", ProxyProtocolSection.TRUSTED.flag());
        assertEquals("--proxy-protocol-required", ProxyProtocolSection.REQUIRED.flag());
        assertEquals(Optional.of("--no-proxy-protocol-required"), ProxyProtocolSection.REQUIRED.negation());
        assertEquals("--proxy-protocol-timeout", ProxyProtocolSection.TIMEOUT.flag());
        assertTrue(ProxyProtocolSection.TIMEOUT.help().endsWith("(between 0.001 and 3600 seconds; default: 5)"),
                ProxyProtocolSection.TIMEOUT.help());
    }

    @Test
    void withNothingGivenEveryPeerIsTrustedNoHeaderIsRequiredAndTheHeaderHasFiveSeconds() {
        var c = config(Map.of()).section(ProxyProtocolSection.SECTION);
        assertEquals(List.of(), c.trusted().blocks());
        assertFalse(c.required());
        assertEquals(Duration.ofSeconds(5), c.timeout());
    }

    @Test
    void givenValuesReachTheSection() {
        var c = config(Map.of("proxy-protocol.trusted", "10.0.0.0/8, 192.0.2.7,2001:db8::/32",
                "proxy-protocol.required", "true", "proxy-protocol.timeout", "0.5")).section(ProxyProtocolSection.SECTION);
        assertEquals(3, c.trusted().blocks().size());
        assertTrue(c.required());
        assertEquals(Duration.ofMillis(500), c.timeout());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33 | '10.0.0.0/33' has a prefix length that is not 0 to 32",
            "2001:db8::/129 | '2001:db8::/129' has a prefix length that is not 0 to 128",
            "10.0.0.0/-1 | '10.0.0.0/-1' has a prefix length that is not 0 to 32",
            "lb.example.com | 'lb.example.com' is not an IP address",
            "10.0.0/8 | '10.0.0/8' is not an IP address followed by /bits"})
    void aBadItemIsNamedUnderTheKey(String item, String why) {
        var e = assertThrows(ConfigException.class,
                () -> config(Map.of("proxy-protocol.trusted", "192.0.2.7," + item)));
        // The key is the field, which pounce prints as --proxy-protocol-trusted.
        assertEquals("proxy-protocol.trusted", e.field());
        assertEquals("proxy-protocol.trusted items must each be an IP address or CIDR block; " + why, e.getMessage());
    }

    @Test
    void aTimeoutOutOfRangeIsNamedUnderTheKey() {
        var e = assertThrows(ConfigException.class, () -> config(Map.of("proxy-protocol.timeout", "0")));
        assertEquals("proxy-protocol.timeout", e.field());
        assertEquals("proxy-protocol.timeout must be between 0.001 and 3600 seconds, got 0", e.getMessage());
    }

    @Test
    void theConfiguredPreambleFollowsTheSettings() {
        ByteBuf header = text("PROXY TCP4 203.0.113.9 10.0.0.5 51000 8000\r\n");
        ByteBuf request = text("GET / HTTP/1.1\r\n");
        var loaded = new ProxyProtocolPreamble();

        ConnectionPreamble open = loaded.configure(config(Map.of()));
        assertInstanceOf(Result.Consumed.class, open.read(header, FROM_LB));
        assertEquals(Result.ABSENT, open.read(request, FROM_LB));

        ConnectionPreamble trusting = loaded.configure(config(Map.of("proxy-protocol.trusted",
                "192.0.2.0/24, 2001:db8::/32", "proxy-protocol.required", "true")));
        assertInstanceOf(Result.Consumed.class, trusting.read(header, FROM_LB));
        assertEquals("no PROXY header, and one is required (--proxy-protocol-required)",
                assertInstanceOf(Result.Rejected.class, trusting.read(request, FROM_LB)).reason());

        ConnectionPreamble strict = loaded.configure(config(Map.of("proxy-protocol.trusted", "198.51.100.1")));
        assertEquals("PROXY header from a peer not in --proxy-protocol-trusted: " + FROM_LB.client().orElseThrow(),
                assertInstanceOf(Result.Rejected.class, strict.read(header, FROM_LB)).reason());
    }

    @Test
    void theHeaderTimeoutIsTheSectionsNotTheRequestHeaders() {
        var config = config(Map.of("proxy-protocol.timeout", "0.25"));
        assertEquals(Duration.ofMillis(250), new ProxyProtocolPreamble().timeout(config));
        assertEquals(Duration.ofSeconds(5), new ProxyProtocolPreamble().timeout(config(Map.of())));
    }
}
