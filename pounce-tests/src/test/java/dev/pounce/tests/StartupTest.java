package dev.pounce.tests;

import dev.pounce.api.App;
import dev.pounce.api.HttpScope;
import dev.pounce.api.LifespanMessage;
import dev.pounce.api.LifespanScope;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;
import dev.pounce.runtime.ServerStartException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What happens before serving: lifespan startup and binding the port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupTest {

    static ServerConfig.Builder local() {
        return ServerConfig.builder().host("127.0.0.1").port(0);
    }

    @Test
    void lifespanStartupFailureStopsTheStartWithTheAppsMessage() {
        App app = (scope, receive, send) -> {
            if (scope instanceof LifespanScope) {
                receive.receive();
                send.send(new LifespanMessage.StartupFailed("database unreachable at db:5432"));
            }
        };
        var e = assertThrows(ServerStartException.class, () -> {
            try (ServerHandle h = Server.builder(app, local().build()).start()) {
                // should not get here
                h.shutdown();
            }
        });
        assertTrue(e.getMessage().contains("database unreachable at db:5432"), e.getMessage());
    }

    @Test
    void appWithoutLifespanIsServedAllTheSame() throws Exception {
        App app = (scope, receive, send) -> {
            if (scope instanceof HttpScope) {
                TestApp.text(send, 200, "no lifespan");
            } else {
                throw new UnsupportedOperationException("lifespan");
            }
        };
        try (ServerHandle h = Server.builder(app, local().build()).start();
             var conn = dev.pounce.testing.RawConnection.open(h.tcpAddress().orElseThrow())) {
            var r = conn.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            assertEquals("no lifespan", r.text());
        }
    }

    @Test
    void portInUseIsAStartErrorNamingThePort() throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            var e = assertThrows(ServerStartException.class, () -> {
                try (ServerHandle h = Server.builder(new TestApp(), local().port(port).build()).start()) {
                    h.shutdown();
                }
            });
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
        }
    }

    @Test
    void portInUseWithTwoWorkersIsAStartErrorToo() throws Exception {
        try (var taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            var e = assertThrows(ServerStartException.class, () -> {
                try (ServerHandle h = Server.builder(new TestApp(), local().port(port).workers(2).build()).start()) {
                    h.shutdown();
                }
            });
            assertTrue(e.getMessage().contains(Integer.toString(port)), e.getMessage());
        }
    }

    @Test
    void aStoppedServerReleasesItsPort() throws Exception {
        int port;
        try (ServerHandle h = Server.builder(new TestApp(), local().build()).start()) {
            port = h.tcpAddress().orElseThrow().getPort();
        }
        // The same fixed port again, now that the first server is gone.
        ServerHandle again = Server.builder(new TestApp(), local().port(port).build()).start();
        try {
            assertEquals(port, again.tcpAddress().orElseThrow().getPort());
        } finally {
            again.shutdown();
            assertTrue(again.awaitTermination(Duration.ofSeconds(20)));
        }
    }
}
