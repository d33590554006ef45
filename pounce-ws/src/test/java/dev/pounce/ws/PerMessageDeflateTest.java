package dev.pounce.ws;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Negotiation of RFC 7692 section 7.1, each parameter both ways. */
class PerMessageDeflateTest {

    private static final WebSocketConfig.Deflate DEFAULT = new WebSocketConfig.Deflate(true, 15, true, 15, true, 0);

    private static Optional<PerMessageDeflate.Agreement> negotiate(WebSocketConfig.Deflate config, String... offers) {
        return PerMessageDeflate.negotiate(List.of(offers), config);
    }

    private static String response(WebSocketConfig.Deflate config, String... offers) {
        return negotiate(config, offers).map(PerMessageDeflate.Agreement::response).orElse("declined");
    }

    @Test
    void aPlainOfferIsTakenWithContextKeptBothWays() {
        var a = negotiate(DEFAULT, "permessage-deflate").orElseThrow();
        assertEquals("permessage-deflate", a.response());
        assertTrue(a.serverContextTakeover());
        assertTrue(a.clientContextTakeover());
        assertEquals(15, a.serverWindowBits());
    }

    @Test
    void browserOfferWithClientMaxWindowBitsAndNoValue() {
        assertEquals("permessage-deflate", response(DEFAULT, "permessage-deflate; client_max_window_bits"));
        var small = new WebSocketConfig.Deflate(true, 15, true, 10, true, 0);
        assertEquals("permessage-deflate; client_max_window_bits=10",
                response(small, "permessage-deflate; client_max_window_bits"));
    }

    @Test
    void noContextTakeoverIsEchoedEitherWay() {
        var a = negotiate(DEFAULT, "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
                .orElseThrow();
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", a.response());
        assertFalse(a.serverContextTakeover());
        assertFalse(a.clientContextTakeover());
    }

    @Test
    void theServerMayRefuseContextItselfEvenUnasked() {
        var config = new WebSocketConfig.Deflate(true, 15, false, 15, false, 0);
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                response(config, "permessage-deflate"));
    }

    @Test
    void serverMaxWindowBitsIsHonouredAndAnsweredNoLarger() {
        var a = negotiate(DEFAULT, "permessage-deflate; server_max_window_bits=10").orElseThrow();
        assertEquals(10, a.serverWindowBits());
        assertFalse(a.serverContextTakeover(), "a window below 15 means no context with the JDK compressor");
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10", a.response());
        var small = new WebSocketConfig.Deflate(true, 9, false, 15, true, 0);
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
                response(small, "permessage-deflate; server_max_window_bits=12"));
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=9",
                response(small, "permessage-deflate"), "a smaller window of ours is announced unasked");
        assertEquals("permessage-deflate; server_max_window_bits=15",
                response(DEFAULT, "permessage-deflate; server_max_window_bits=15"));
    }

    @Test
    void clientMaxWindowBitsWithAValueIsAnsweredNoLarger() {
        assertEquals("permessage-deflate; client_max_window_bits=9",
                response(DEFAULT, "permessage-deflate; client_max_window_bits=9"));
        assertEquals("permessage-deflate; client_max_window_bits=12",
                response(DEFAULT, "permessage-deflate; client_max_window_bits=\"12\""), "a quoted value");
    }

    @Test
    void badOffersAreDeclinedAndTheNextOneTried() {
        assertEquals("declined", response(DEFAULT, "permessage-deflate; server_max_window_bits"));
        assertEquals("declined", response(DEFAULT, "permessage-deflate; server_max_window_bits=7"));
        assertEquals("declined", response(DEFAULT, "permessage-deflate; server_max_window_bits=16"));
        assertEquals("declined", response(DEFAULT, "permessage-deflate; client_max_window_bits=08"));
        assertEquals("declined", response(DEFAULT, "permessage-deflate; unknown_parameter"));
        assertEquals("declined", response(DEFAULT, "permessage-deflate; client_no_context_takeover=1"));
        assertEquals("declined", response(DEFAULT,
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
        assertEquals("permessage-deflate; client_no_context_takeover", response(DEFAULT,
                "permessage-deflate; server_max_window_bits=99, permessage-deflate; client_no_context_takeover"));
        assertEquals("permessage-deflate", response(DEFAULT, "x-webkit-deflate-frame",
                "foo, permessage-deflate"), "other extensions are ignored, across header lines");
    }

    @Test
    void offTurnsItOff() {
        assertEquals("declined", response(new WebSocketConfig.Deflate(false, 15, true, 15, true, 0),
                "permessage-deflate"));
    }
}
