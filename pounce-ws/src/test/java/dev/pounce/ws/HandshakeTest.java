package dev.pounce.ws;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.spi.RequestHead;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opening handshake as each origin offers it: HTTP/1.1 (RFC 6455 section 4.2.1) and extended CONNECT over
 * HTTP/2 (RFC 8441 section 5) and HTTP/3 (RFC 9220), which carry no key.
 */
class HandshakeTest {

    private static final WebSocketConfig CONFIG = ServerConfig.builder().sections(List.of(WebSocketSection.SECTION))
            .build().section(WebSocketSection.SECTION);

    private static Handshake.Check check(String method, String version, String... fields) {
        return Handshake.check(new RequestHead(method, "/chat", version, Headers.of(fields)), CONFIG);
    }

    @Test
    void http11NeedsAKeyAndGetsItsAcceptValue() {
        var valid = assertInstanceOf(Handshake.Valid.class, check("GET", "1.1", "host", "x",
                "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version", "13",
                "sec-websocket-protocol", "chat, superchat", "sec-websocket-protocol", "chat"));
        assertEquals(Optional.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), valid.accept());
        assertEquals(List.of("chat", "superchat"), valid.subprotocols(), "in order, each once");
        assertEquals(400, ((Handshake.Refused) check("GET", "1.1", "sec-websocket-version", "13")).status());
        assertEquals(400, ((Handshake.Refused) check("POST", "1.1", "sec-websocket-version", "13",
                "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")).status());
        assertEquals(400, ((Handshake.Refused) check("GET", "1.1", "sec-websocket-version", "13",
                "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
                .status(), "two keys");
    }

    @Test
    void extendedConnectHasNoKeyAndNoAcceptValue() {
        for (String version : List.of("2", "3")) {
            var valid = assertInstanceOf(Handshake.Valid.class, check("CONNECT", version, "host", "x",
                    "sec-websocket-version", "13", "sec-websocket-extensions", "permessage-deflate"));
            assertTrue(valid.accept().isEmpty());
            assertEquals("permessage-deflate", valid.deflate().orElseThrow().response());
            assertEquals(400, ((Handshake.Refused) check("GET", version, "sec-websocket-version", "13")).status());
        }
    }

    @Test
    void anotherVersionIs426NamingThirteenAndNoneIs400() {
        var refused = (Handshake.Refused) check("CONNECT", "2", "sec-websocket-version", "8");
        assertEquals(426, refused.status());
        assertEquals(Optional.of("13"), refused.headers().first("sec-websocket-version"));
        assertEquals(400, ((Handshake.Refused) check("CONNECT", "2")).status());
    }
}
