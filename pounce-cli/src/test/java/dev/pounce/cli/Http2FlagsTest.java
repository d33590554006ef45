package dev.pounce.cli;

import dev.pounce.api.App;
import dev.pounce.api.Response;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.pounce.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2's flags come from its plugin (pounce-h2 is on the test class path, as in the distribution), and
 * {@code --no-http2} still switches HTTP/2 off.
 */
class Http2FlagsTest {

    @Test
    void helpListsTheHttp2SectionWithItsFlags() {
        var o = run("--help");
        assertEquals(0, o.status(), o.err());
        String help = o.out().replaceAll("\\s+", " ");
        String section = help.substring(help.indexOf(" HTTP/2 (dev.pounce.h2) "));
        assertTrue(section.contains("--[no-]http2 Offer HTTP/2"), o.out());
        assertTrue(section.contains("--http2-max-concurrent-streams=N"), o.out());
        assertTrue(section.contains("default: 128"), o.out());
    }

    @Test
    void noHttp2ReachesTheHttp2Section() {
        assertEquals(Map.of("http2.enabled", "false"), FlagMappingTest.parse("--no-http2").plugins().given());
        var info = run("info", "--no-http2");
        assertTrue(info.out().lines().anyMatch(l -> l.matches(" {4}--http2 +false")), info.out());
    }

    @Test
    void noHttp2SwitchesHttp2OffOnARunningServer() throws Exception {
        byte[] on = firstBytesAfterThePreface(FlagMappingTest.parse("--port", "0"));
        assertEquals(SETTINGS, on[3], "an HTTP/2 server answers the preface with its SETTINGS frame");
        byte[] off = firstBytesAfterThePreface(FlagMappingTest.parse("--port", "0", "--no-http2"));
        assertEquals("HTTP/1.1 ", new String(off, StandardCharsets.US_ASCII), "HTTP/1.1 answers it instead");
    }

    @Test
    void aBadHttp2ValueExitsOneNamingItsFlag() {
        var o = run("check", "--http2-max-concurrent-streams", "0", TestApps.class.getName() + "$Hello");
        assertEquals(List.of("pounce: --http2-max-concurrent-streams must be between 1 and 2147483647, got 0"),
                o.errLines());
        assertEquals(1, o.status());
    }

    /** RFC 9113 section 6.5: the frame type of SETTINGS. */
    private static final byte SETTINGS = 0x4;

    /**
     * What a server sends first to a client that starts with the HTTP/2 connection preface (RFC 9113 section 3.4,
     * prior knowledge) and an empty SETTINGS frame.
     */
    private static byte[] firstBytesAfterThePreface(ServerConfig config) throws Exception {
        try (var server = Server.builder(App.of(request -> Response.text(200, "ok")), config).start();
             var socket = new Socket(InetAddress.getLoopbackAddress(), server.tcpAddress().orElseThrow().getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[]{0, 0, 0, SETTINGS, 0, 0, 0, 0, 0});
            return socket.getInputStream().readNBytes(9);
        }
    }
}
