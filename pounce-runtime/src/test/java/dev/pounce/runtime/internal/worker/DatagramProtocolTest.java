package dev.pounce.runtime.internal.worker;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datagram SPI end to end, with a test plugin ({@link UdpEcho}) found by ServiceLoader: the runtime binds a UDP
 * socket per worker on the TCP port, hands it to the protocol with the worker's context, registers the connections
 * the protocol reports, and adds the protocol's advertisement to the other protocols' responses.
 */
class DatagramProtocolTest {

    private static final App HELLO = (scope, receive, send) -> {
        send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain")));
        send.send(new HttpMessage.ResponseBody("hello".getBytes(StandardCharsets.US_ASCII), false));
    };

    private ServerHandle server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress start(int workers) throws ServerStartException {
        server = Server.builder(HELLO, ServerConfig.builder().port(0).workers(workers).accessLog(false)
                .set("udp-echo.enabled", "true").build()).start();
        return server.tcpAddress().orElseThrow();
    }

    /** One packet from a fresh socket (so a fresh source port), and its answer. */
    private static String echo(InetSocketAddress to, String text) throws Exception {
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(10_000);
            byte[] out = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(out, out.length, to));
            var in = new DatagramPacket(new byte[2048], 2048);
            socket.receive(in);
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyWorkerServesDatagramsOnTheTcpPort() throws Exception {
        InetSocketAddress address = start(2);
        Set<String> workers = new HashSet<>();
        for (int i = 0; i < 400 && workers.size() < 2; i++) {
            String reply = echo(address, "ping " + i);
            assertTrue(reply.endsWith(" echo=ping " + i), reply);
            assertTrue(reply.contains(" of 2 tls=none "), reply);
            assertTrue(reply.contains(" opened=") && reply.contains(" secure=false "), reply);
            workers.add(reply.substring(0, reply.indexOf(' ')));
        }
        assertEquals(Set.of("worker=0", "worker=1"), workers, "each worker's own UDP socket shares the port");
    }

    @Test
    void theOtherProtocolsAdvertiseIt() throws Exception {
        InetSocketAddress address = start(1);
        try (var client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + address.getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("udp-echo=\":" + address.getPort() + "\"; ma=60", r.headers().firstValue("alt-svc").orElse(""));
        }
    }

    /** A protocol that cannot run here stops the start with its own line, but only when it is switched on. */
    @Test
    void anUnavailableProtocolStopsTheStartOnlyWhenEnabled() throws Exception {
        System.setProperty("udp-echo.unavailable", "udp-echo needs a library that does not load here");
        try {
            var e = assertThrows(ServerStartException.class, () -> start(1));
            assertEquals("udp-echo needs a library that does not load here", e.getMessage());
            server = Server.builder(HELLO, ServerConfig.builder().port(0).accessLog(false).build()).start();
            assertTrue(server.tcpAddress().isPresent(), "switched off, it is never asked");
        } finally {
            System.clearProperty("udp-echo.unavailable");
        }
    }

    @Test
    void aDatagramProtocolCannotServeAUnixSocket(@TempDir Path dir) {
        var e = assertThrows(ServerStartException.class, () -> Server.builder(HELLO, ServerConfig.builder()
                .uds(dir.resolve("s.sock")).set("udp-echo.enabled", "true").build()).start());
        assertTrue(e.getMessage().contains("udp-echo") && e.getMessage().contains("--uds"), e.getMessage());
    }

    @Test
    void aSettingNoPluginOwnsIsRefusedNamingIt() {
        var e = assertThrows(ServerStartException.class, () -> Server.builder(HELLO, ServerConfig.builder().port(0)
                .set("udp-echo.enabeld", "true").build()).start());
        assertTrue(e.getMessage().contains("udp-echo.enabeld"), e.getMessage());
        var other = assertThrows(ServerStartException.class, () -> Server.builder(HELLO, ServerConfig.builder()
                .port(0).set("nosuch.thing", "1").build()).start());
        assertTrue(other.getMessage().contains("no plugin") && other.getMessage().contains("nosuch"),
                other.getMessage());
    }

}
