package dev.pounce.example.proxy;

import dev.pounce.api.App;
import dev.pounce.api.Endpoint;
import dev.pounce.api.Response;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerStartException;
import dev.pounce.testing.PounceServer;
import dev.pounce.testing.RawConnection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin in a real server, found on the test class path by {@link java.util.ServiceLoader} as it would be in
 * {@code plugins/}, with its settings given by key as {@code pounce} gives its flags.
 */
class ProxyProtocolServerTest {

    /** Answers with the client address the app was told. */
    static final App WHO = App.of(request -> Response.text(200,
            request.scope().client().map(Endpoint::host).orElse("none")));

    static final String HEADER = "PROXY TCP4 203.0.113.9 127.0.0.1 51000 8000\r\n";
    static final String REQUEST = "GET / HTTP/1.1\r\nhost: example\r\nconnection: close\r\n\r\n";

    @Nested
    class FromATrustedBalancer {
        @RegisterExtension
        final PounceServer server = PounceServer.of(WHO, c -> c
                .set("proxy-protocol.trusted", "127.0.0.1")
                .set("proxy-protocol.required", "true")
                .set("proxy-protocol.timeout", "0.2"));

        @Test
        void theAppSeesTheClientTheHeaderNames() throws Exception {
            try (var c = RawConnection.open(server.address())) {
                var response = c.send(HEADER + REQUEST).readResponse();
                assertEquals(200, response.status());
                assertEquals("203.0.113.9", response.text());
            }
        }

        @Test
        void aConnectionWithoutAHeaderIsClosedUnanswered() throws Exception {
            try (var c = RawConnection.open(server.address())) {
                assertEquals(0, c.send(REQUEST).readToEnd().length);
            }
        }

        @Test
        void aHeaderThatDoesNotArriveInTimeClosesTheConnection() throws Exception {
            // The request-header timeout is 10 s; closing well before that is the plugin's 0.2 s at work.
            try (var c = RawConnection.open(server.address()).readTimeout(Duration.ofSeconds(5))) {
                c.send("PROXY TCP4 203.0.113.9");
                assertTrue(c.awaitClose());
            }
        }
    }

    @Nested
    class FromAPeerNotTrusted {
        @RegisterExtension
        final PounceServer server = PounceServer.of(WHO, c -> c.set("proxy-protocol.trusted", "192.0.2.0/24"));

        @Test
        void itsHeaderIsRefusedAndTheConnectionClosed() throws Exception {
            try (var c = RawConnection.open(server.address())) {
                assertEquals(0, c.send(HEADER + REQUEST).readToEnd().length);
            }
        }

        @Test
        void withoutAHeaderItIsServedAsItCame() throws Exception {
            try (var c = RawConnection.open(server.address())) {
                var response = c.send(REQUEST).readResponse();
                assertEquals("127.0.0.1", response.text());
            }
        }
    }

    @Test
    void aBadTrustedItemStopsTheServerFromStartingAndNamesTheKey() {
        var config = ServerConfig.builder().port(0).set("proxy-protocol.trusted", "10.0.0.0/33").build();
        var e = assertThrows(ServerStartException.class, () -> Server.builder(WHO, config).start().close());
        assertTrue(e.getMessage().startsWith("proxy-protocol.trusted items must each be an IP address or CIDR block; "
                + "'10.0.0.0/33' has a prefix length"), e.getMessage());
    }
}
