package dev.pounce.h2;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code http2} config section: defaults, flags, ranges named by key, and the rule Netty adds. */
class Http2SectionTest {

    private static Http2Config build(String... keyValues) {
        var b = ServerConfig.builder().sections(List.of(Http2Config.SECTION));
        for (int i = 0; i < keyValues.length; i += 2) {
            b.set(keyValues[i], keyValues[i + 1]);
        }
        return b.build().section(Http2Config.SECTION);
    }

    @Test
    void defaultsAreTheOnesTheOldRecordHad() {
        assertEquals(new Http2Config(true, 128, 65536, 4096, 16384, 65535, 1 << 20, 200, Duration.ofSeconds(30), 2,
                10_000), build());
    }

    @Test
    void everySettingIsDocumentedAndNamedByItsSection() {
        var section = new Http2Section();
        assertEquals("http2", section.name());
        assertEquals("HTTP/2 (dev.pounce.h2)", section.title());
        assertEquals(11, section.settings().size());
        for (Setting<?> s : section.settings()) {
            assertTrue(s.key().startsWith("http2."), s.key());
            assertFalse(s.description().isEmpty(), s.key() + " has no description");
            assertFalse(s.reference().isEmpty(), s.key() + " names no RFC section or CVE");
            assertTrue(s.kind() != Setting.Kind.NUMBER || !s.unit().isEmpty(), s.key() + " has no unit");
        }
    }

    @Test
    void theToggleIsNoHttp2() {
        assertEquals("--http2", Http2Section.ENABLED.flag());
        assertEquals("--no-http2", Http2Section.ENABLED.negation().orElseThrow());
        assertFalse(build("http2.enabled", "false").enabled());
    }

    @Test
    void valuesAreParsedIntoTheRecord() {
        var c = build("http2.max-concurrent-streams", "4", "http2.reset-window", "5",
                "http2.connection-window-size", "2_000_000");
        assertEquals(4, c.maxConcurrentStreams());
        assertEquals(Duration.ofSeconds(5), c.resetWindow());
        assertEquals(2_000_000, c.connectionWindowSize());
    }

    @ParameterizedTest
    @CsvSource({
            "http2.max-concurrent-streams, 0, between 1 and 2147483647",
            "http2.max-header-list-size, 1023, between 1024 and 16777216",
            "http2.header-table-size, 1048577, between 0 and 1048576",
            "http2.max-frame-size, 16383, between 16384 and 16777215",
            "http2.max-frame-size, 16777216, between 16384 and 16777215",
            "http2.initial-window-size, 0, between 1 and 2147483647",
            "http2.connection-window-size, 65534, between 65535 and 2147483647",
            "http2.max-resets-per-window, 0, between 1 and 2147483647",
            "http2.reset-window, 0, between 1 and 86400 seconds",
            "http2.reset-window, 86401, between 1 and 86400 seconds",
            "http2.max-empty-frames, 1001, between 0 and 1000",
            "http2.max-queued-control-frames, 0, between 1 and 2147483647",
    })
    void aValueOutOfRangeNamesTheKeyAndTheRange(String key, String value, String range) {
        var e = assertThrows(ConfigException.class, () -> build(key, value));
        assertEquals(key, e.field());
        assertTrue(e.getMessage().startsWith(key + " must be " + range), e.getMessage());
    }

    /** Netty counts resets in whole seconds, so a fraction would be rounded away unseen. */
    @Test
    void theResetWindowIsWholeSeconds() {
        var e = assertThrows(ConfigException.class, () -> build("http2.reset-window", "1.5"));
        assertEquals("http2.reset-window", e.field());
        assertTrue(e.getMessage().contains("whole number of seconds"), e.getMessage());
    }

    @Test
    void anUnknownKeyOfTheSectionIsNamed() {
        var e = assertThrows(ConfigException.class, () -> build("http2.max-streams", "4"));
        assertEquals("http2.max-streams", e.field());
    }
}
