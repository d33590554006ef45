package dev.pounce.h3;

import dev.pounce.api.ConfigException;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code http3} config section: defaults, flags, the rules between settings, and the advertisement. */
class Http3SectionTest {

    private static ServerConfig config(String... keyValues) {
        var b = ServerConfig.builder().sections(List.of(Http3Config.SECTION));
        for (int i = 0; i < keyValues.length; i += 2) {
            b.set(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    @Test
    void offByDefault() {
        assertEquals(new Http3Config(false, Duration.ofDays(1), 128, Duration.ofSeconds(30), 256 * 1024, 4 << 20, 0,
                0, false, 4 << 20), config().section(Http3Config.SECTION));
        assertFalse(new Http3ProtocolHandler().enabled(config()));
    }

    @Test
    void everySettingIsDocumentedAndNamedByItsSection() {
        var section = new Http3Section();
        assertEquals("http3", section.name());
        assertEquals("HTTP/3 (dev.pounce.h3)", section.title());
        for (Setting<?> s : section.settings()) {
            assertTrue(s.key().startsWith("http3."), s.key());
            assertFalse(s.description().isEmpty(), s.key() + " has no description");
            assertFalse(s.reference().isEmpty(), s.key() + " names no RFC section");
            assertTrue(s.kind() != Setting.Kind.NUMBER || !s.unit().isEmpty(), s.key() + " has no unit");
        }
    }

    @Test
    void theSwitchIsHttp3() {
        assertEquals("--http3", Http3Section.ENABLED.flag());
        assertEquals("--no-http3", Http3Section.ENABLED.negation().orElseThrow());
        assertTrue(new Http3ProtocolHandler().enabled(config("http3.enabled", "true")));
    }

    @Test
    void earlyDataIsItsOwnSwitch() {
        assertEquals("--http3-early-data", Http3Section.EARLY_DATA.flag());
        assertEquals("--no-http3-early-data", Http3Section.EARLY_DATA.negation().orElseThrow());
        assertTrue(config("http3.early-data", "true").section(Http3Config.SECTION).earlyData());
        var e = assertThrows(ConfigException.class, () -> config("http3.early-data", "maybe"));
        assertTrue(e.getMessage().contains("http3.early-data"), e.getMessage());
    }

    @Test
    void theAdvertisementNamesThePortAndMaxAge() {
        var h3 = new Http3ProtocolHandler();
        assertEquals(Optional.of("h3=\":8443\"; ma=3600"), h3.altSvc(config("http3.alt-svc-max-age", "3600"), 8443));
    }

    @Test
    void rulesBetweenSettingsNameTheKey() {
        var e = assertThrows(ConfigException.class, () -> config("http3.alt-svc-max-age", "1.5"));
        assertTrue(e.getMessage().contains("http3.alt-svc-max-age"), e.getMessage());
        var blocked = assertThrows(ConfigException.class, () -> config("http3.qpack-blocked-streams", "4"));
        assertTrue(blocked.getMessage().contains("http3.qpack-max-table-capacity"), blocked.getMessage());
        assertEquals(4, config("http3.qpack-max-table-capacity", "4096", "http3.qpack-blocked-streams", "4")
                .section(Http3Config.SECTION).qpackBlockedStreams());
    }

    /** 0 keeps the kernel's default; otherwise 4096 bytes to 1 GiB, and a value outside names the key. */
    @Test
    void theReceiveBufferIsZeroOrFrom4096To1GiB() {
        assertEquals("--http3-receive-buffer", Http3Section.RECEIVE_BUFFER.flag());
        assertEquals(0, config("http3.receive-buffer", "0").section(Http3Config.SECTION).receiveBuffer());
        assertEquals(4096, config("http3.receive-buffer", "4096").section(Http3Config.SECTION).receiveBuffer());
        assertEquals(1 << 30, config("http3.receive-buffer", String.valueOf(1 << 30)).section(Http3Config.SECTION)
                .receiveBuffer());
        for (String bad : List.of("1", "4095", "-1", String.valueOf((1 << 30) + 1), "lots")) {
            var e = assertThrows(ConfigException.class, () -> config("http3.receive-buffer", bad), bad);
            assertTrue(e.getMessage().contains("http3.receive-buffer"), e.getMessage());
        }
    }

    /** The native library loads on the platform we ship for; this is what --http3 checks at startup. */
    @Test
    void quicIsAvailableHere() {
        assertEquals(Optional.empty(), new Http3ProtocolHandler().unavailable());
    }
}
