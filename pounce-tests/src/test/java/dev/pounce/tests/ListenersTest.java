package dev.pounce.tests;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import dev.pounce.testing.RawResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where and how the server listens: root path, IPv6, Unix domain sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenersTest {

    @Nested
    class RootPath {
        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.rootPath("/api"));

        /** As Uvicorn does: path and raw path carry the root path in front, root path names it. */
        @Test
        void rootPathShowsInTheScope() throws Exception {
            try (var conn = RawConnection.open(server.address())) {
                RawResponse r = conn.send("GET /scope?x=1 HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertEquals(200, r.status(), r.toString());
                String[] lines = r.text().split("\n", -1);
                assertEquals("/api/scope", lines[2], "path");
                assertEquals("/api/scope", lines[3], "raw path");
                assertEquals("x=1", lines[4], "query");
                assertEquals("/api", lines[5], "root path");
            }
        }

        @Test
        void percentEncodedPathIsDecodedAfterTheRootPath() throws Exception {
            try (var conn = RawConnection.open(server.address())) {
                RawResponse r = conn.send("GET /sc%6Fpe HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertEquals(200, r.status(), r.toString());
                String[] lines = r.text().split("\n", -1);
                assertEquals("/api/scope", lines[2], "path");
                assertEquals("/api/sc%6Fpe", lines[3], "raw path");
            }
        }
    }

    @Nested
    class Ipv6 {
        @Test
        void servesOnIpv6Loopback() throws Exception {
            assumeTrue(ipv6LoopbackBindable(), "this machine cannot bind ::1");
            var handle = Server.builder(new TestApp(), ServerConfig.builder().host("::1").port(0).build()).start();
            var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (client) {
                int port = handle.tcpAddress().orElseThrow().getPort();
                var response = client.send(HttpRequest.newBuilder(URI.create("http://[::1]:" + port + "/scope"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertTrue(handle.addresses().getFirst().startsWith("http://["), handle.addresses().toString());
            } finally {
                handle.shutdown();
                assertTrue(handle.awaitTermination(Duration.ofSeconds(20)));
            }
        }
    }

    /** Whether this machine has an IPv6 loopback to bind; the IPv6 test is skipped only when it has not. */
    static boolean ipv6LoopbackBindable() {
        try (var s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Path socketPath() {
        try {
            return Files.createTempDirectory("pounce-uds").resolve("s.sock");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String get(Path socket, String path) throws IOException {
        try (var conn = RawConnection.open(socket)) {
            RawResponse r = conn.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .readResponse();
            assertEquals(200, r.status(), r.toString());
            return r.text();
        }
    }

    @Nested
    class UnixSocketOneWorker {
        final Path socket = socketPath();

        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.uds(socket));

        @Test
        void servesOnAUnixSocket() throws Exception {
            assertEquals("hello", get(socket, "/"));
            assertEquals("none", get(socket, "/client"), "a Unix socket has no client address");
            assertTrue(server.handle().tcpAddress().isEmpty());
            assertEquals("unix:" + socket, server.handle().addresses().getFirst());
        }

        @Test
        void keepsAliveOnAUnixSocket() throws Exception {
            try (var conn = RawConnection.open(socket)) {
                for (int i = 0; i < 3; i++) {
                    RawResponse r = conn.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
                    assertEquals("hello", r.text());
                }
            }
        }
    }

    @Nested
    class UnixSocketTwoWorkers {
        final Path socket = socketPath();

        @RegisterExtension
        final PounceServer server = PounceServer.of(new TestApp(), c -> c.uds(socket).workers(2));

        /** A Unix socket cannot be bound twice, so the shared acceptor hands connections to the workers in turn. */
        @Test
        void bothWorkersServe() throws Exception {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 50 && seen.size() < 2; i++) {
                seen.add(get(socket, "/worker"));
            }
            assertEquals(Set.of("worker=0 generation=0", "worker=1 generation=0"), seen);
        }
    }

    @Nested
    class UnixSocketFileIsRemoved {
        final Path socket = socketPath();

        @Test
        void socketFileIsGoneAfterShutdown() throws Exception {
            var handle = Server.builder(new TestApp(), ServerConfig.builder().uds(socket).build()).start();
            try {
                assertTrue(Files.exists(socket));
                assertEquals("hello", get(socket, "/"));
            } finally {
                handle.shutdown();
                assertTrue(handle.awaitTermination(Duration.ofSeconds(20)));
            }
            assertFalse(Files.exists(socket), "the socket file outlived the server");
        }
    }
}
