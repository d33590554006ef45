package dev.pounce.cli;

import dev.pounce.api.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Seconds, log properties, the version and edit distance. */
class SmallPartsTest {

    @ParameterizedTest
    @CsvSource({"5, 5000000000", "0.5, 500000000", "2.25, 2250000000", "0.0000000004, 0", "0.0000000005, 1",
            "-1, -1000000000", "1e3, 1000000000000"})
    void secondsAreDecimal(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), new SecondsConverter().convert(text));
    }

    @ParameterizedTest
    @CsvSource({"soon", "''", "1s", "NaN", "1e100"})
    void secondsRejectWhatIsNotANumber(String text) {
        assertThrows(TypeConversionException.class, () -> new SecondsConverter().convert(text));
    }

    @Test
    void secondsFormatAsTyped() {
        assertEquals("0.5", SecondsConverter.format(Duration.ofMillis(500)));
        assertEquals("30", SecondsConverter.format(Duration.ofSeconds(30)));
        assertEquals("0", SecondsConverter.format(Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource({"trace, trace", "debug, debug", "info, info", "warning, warn", "error, error", "critical, error"})
    void logLevelsMapToSlf4jSimple(String pounce, String slf4j) {
        var p = LogSetup.properties(ServerConfig.builder().logLevel(pounce).build());
        assertEquals(slf4j, p.get("org.slf4j.simpleLogger.defaultLogLevel"));
        assertEquals("System.err", p.get("org.slf4j.simpleLogger.logFile"));
        assertEquals("true", p.get("org.slf4j.simpleLogger.showDateTime"));
        assertEquals("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", p.get("org.slf4j.simpleLogger.dateTimeFormat"));
        assertEquals("true", p.get("org.slf4j.simpleLogger.showShortLogName"));
        assertEquals(slf4j.equals("debug") || slf4j.equals("trace") ? "info" : null,
                p.get("org.slf4j.simpleLogger.log.io.netty"));
    }

    @Test
    void noAccessLogTurnsTheAccessLoggerOff() {
        assertEquals("off", LogSetup.properties(ServerConfig.builder().accessLog(false).build())
                .get("org.slf4j.simpleLogger.log.pounce.access"));
        assertFalse(LogSetup.properties(ServerConfig.defaults())
                .containsKey("org.slf4j.simpleLogger.log.pounce.access"));
    }

    @Test
    void theVersionComesFromTheBuild() {
        String v = VersionText.pounceVersion();
        assertFalse(v.isBlank() || v.contains("${"), v);
    }

    @Test
    void editDistance() {
        assertEquals(2, UsageErrors.editDistance("--prot", "--port"));
        assertEquals(0, UsageErrors.editDistance("--port", "--port"));
        assertEquals(3, UsageErrors.editDistance("", "abc"));
    }
}
