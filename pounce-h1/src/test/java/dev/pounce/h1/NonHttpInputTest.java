package dev.pounce.h1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Input that cannot be HTTP is answered with 400 as soon as the byte that shows it arrives: no CRLF is sent and
 * the frozen clock never moves, so none of these waits for the header timeout.
 */
@ExtendWith(LeakCheck.class)
class NonHttpInputTest {

    /** The first bytes of a TLS 1.3 ClientHello as curl sends it; its random holds an LF and a NUL. */
    static final String CLIENT_HELLO =
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\u008a\n\u0000\u00d1\u00e4";

    static Stream<Arguments> notHttp() {
        return Stream.of(
                arguments("TLS ClientHello", CLIENT_HELLO, RequestLineScanner.TLS_ON_CLEARTEXT),
                arguments("TLS record version 3.4", "\u0016\u0003\u0004\u0000", RequestLineScanner.TLS_ON_CLEARTEXT),
                arguments("TLS-like but version 3.5", "\u0016\u0003\u0005\u0000", "invalid method"),
                arguments("a lone handshake byte: no method holds it", "\u0016", "invalid method"),
                arguments("SSH banner is a method without a space", "SSH-2.0-OpenSSH_9.6\r\n", "malformed request line"),
                arguments("control byte first", "\u0001", "invalid method"),
                arguments("NUL in the method", "GE\u0000", "NUL in request head"),
                arguments("high byte in the method", "G\u00c9T", "invalid method"),
                arguments("bare CR in the method", "GE\rT", "bare CR in request head"),
                arguments("method over 32 bytes", "A".repeat(RequestLineScanner.MAX_METHOD + 1), "method too long"),
                arguments("control byte in the target", "GET /a\u0007", "invalid byte in request target"),
                arguments("tab in the target", "GET /a\tb", "invalid byte in request target"),
                arguments("two spaces after the method", "GET  ", "extra space in request line"),
                arguments("not a version", "GET / FTP", "malformed HTTP version"),
                arguments("version too long", "GET / HTTP/1.11", "malformed HTTP version"),
                arguments("control byte in the version", "GET / HTTP/\u0000", "malformed HTTP version"),
                arguments("Redis inline command", "*1\r\n$4\r\nPING\r\n", "malformed request line"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notHttp")
    void isRefusedAtOnce(String name, String bytes, String reason) {
        var h = new Harness();
        h.send(bytes);
        BadInputTest.assertRefused(h, 400);
        assertEquals(List.of("400 " + reason), h.bridge.rejections);
    }

    @Test
    void everyPrefixOfAGoodRequestLineWaits() {
        String line = "QUERY /search?q=%20x HTTP/1.1";
        for (int i = 1; i <= line.length(); i++) {
            var h = new Harness();
            h.send(line.substring(0, i));
            assertEquals("", h.out(), line.substring(0, i));
            assertTrue(h.open());
        }
    }

    @Test
    void aGoodRequestLineTricklingInIsServed() {
        var h = new Harness();
        for (char c : "GET /x HTTP/1.1\r\nHost: a\r\n\r\n".toCharArray()) {
            h.send(String.valueOf(c));
        }
        assertEquals(1, h.bridge.calls.size());
        assertEquals("/x", h.bridge.last().exchange.head().target());
    }

    @Test
    void methodOfExactly32BytesIsServed() {
        var h = new Harness();
        String method = "M".repeat(RequestLineScanner.MAX_METHOD);
        h.send(method + " / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(method, h.bridge.last().exchange.head().method());
    }

    @Test
    void garbageAfterAServedRequestIsRefusedOnceItIsRead() {
        var h = new Harness();
        h.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.bridge.last().respond(200, "");
        h.out();
        h.send("\u0016\u0003\u0001\u0000");
        BadInputTest.assertRefused(h, 400);
    }
}
