package dev.pounce.h1;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.Detection;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.StreamProtocol;
import dev.pounce.spi.TakeoverRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Detection, discovery and the {@code Upgrade:} hand-off to a connection takeover ({@code h2c}). */
@ExtendWith(LeakCheck.class)
class ProtocolAndUpgradeTest {

    private final Http1ProtocolHandler handler = new Http1ProtocolHandler();

    private Detection detect(String prefix) {
        ByteBuf buf = Unpooled.copiedBuffer(prefix, StandardCharsets.ISO_8859_1);
        try {
            int reader = buf.readerIndex();
            Detection d = handler.detect(buf);
            assertEquals(reader, buf.readerIndex(), "detection must not move the buffer");
            return d;
        } finally {
            buf.release();
        }
    }

    @Test
    void describesItself() {
        assertEquals("http/1.1", handler.name());
        assertEquals(List.of("http/1.1"), handler.alpnIds());
        assertTrue(handler instanceof StreamProtocol);
        assertEquals(0, handler.preference(), "offered last in ALPN, after HTTP/2");
        assertTrue(handler.enabled(ServerConfig.defaults()));
        assertTrue(handler.cleartextFallback());
    }

    @Test
    void detectsARequestLine() {
        assertEquals(Detection.RECOGNISED, detect("GET "));
        assertEquals(Detection.RECOGNISED, detect("QUERY /x HTTP/1.1\r\n"));
        assertEquals(Detection.NEED_MORE, detect(""));
        assertEquals(Detection.NEED_MORE, detect("GE"));
        assertEquals(Detection.NEED_MORE, detect("PRI"));
        assertEquals(Detection.NOT_RECOGNISED, detect(" GET"));
        assertEquals(Detection.NOT_RECOGNISED, detect("\u0016\u0003\u0001"));
        assertEquals(Detection.NEED_MORE, detect("PRI*"), "'*' is a tchar");
        assertEquals(Detection.NEED_MORE, detect("PRI * HTTP/2"), "could still be the HTTP/2 preface");
        assertEquals(Detection.NOT_RECOGNISED, detect("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), "HTTP/2's, not ours");
        assertEquals(Detection.RECOGNISED, detect("PRI /x HTTP/1.1\r\n"));
    }

    @Test
    void isFoundByServiceLoader() {
        var found = ServiceLoader.load(ProtocolHandler.class).stream()
                .map(p -> p.type().getName()).toList();
        assertTrue(found.contains(Http1ProtocolHandler.class.getName()), found.toString());
    }

    /** Takes or declines {@code h2c}, remembering what it was offered. */
    private static final class FakeTakeover implements ConnectionTakeover {
        final boolean take;
        final List<String> leftovers = new ArrayList<>();
        TakeoverRequest offered;

        FakeTakeover(boolean take) {
            this.take = take;
        }

        @Override
        public String token() {
            return "h2c";
        }

        @Override
        public boolean takeOver(TakeoverRequest request) {
            offered = request;
            if (!take) {
                return false;
            }
            ByteBuf rest = request.detach();
            leftovers.add(rest.toString(StandardCharsets.ISO_8859_1));
            rest.release();
            request.channel().writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n\r\n",
                    StandardCharsets.ISO_8859_1));
            return true;
        }
    }

    private static final String UPGRADE = "GET /chat HTTP/1.1\r\nHost: a\r\n"
            + "Connection: keep-alive, Upgrade, HTTP2-Settings\r\nUpgrade: H2C\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";

    @Test
    void takeoverTakesTheConnection() {
        var h2c = new FakeTakeover(true);
        var h = new Harness(Harness.quiet().build(), List.of(), List.of(h2c));
        h.send(UPGRADE + "PRI * HTTP/2.0");
        assertEquals(0, h.bridge.calls.size());
        assertEquals("/chat", h2c.offered.head().target());
        assertEquals(List.of("PRI * HTTP/2.0"), h2c.leftovers, "bytes past the head belong to the new protocol");
        assertNull(h.channel.pipeline().get(Http1Connection.class), "our handlers are gone");
        assertEquals("HTTP/1.1 101 Switching Protocols\r\n\r\n", h.out());
        assertTrue(h.open());
    }

    @Test
    void declinedTakeoverIsServedAsUsual() {
        var h2c = new FakeTakeover(false);
        var h = new Harness(Harness.quiet().build(), List.of(), List.of(h2c));
        h.send(UPGRADE);
        assertTrue(h2c.offered != null);
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void takeoverWithoutConnectionTokenIsNotOffered() {
        var h2c = new FakeTakeover(true);
        var h = new Harness(Harness.quiet().build(), List.of(), List.of(h2c));
        h.send("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n\r\n");
        assertNull(h2c.offered);
        assertEquals(1, h.bridge.calls.size());
    }

    @Test
    void takeoverAfterTheClientEndedItsSideIsNotOffered() {
        var h2c = new FakeTakeover(true);
        var h = new Harness(Harness.quiet().build(), List.of(), List.of(h2c));
        h.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n" + UPGRADE).fin();
        h.bridge.last().respond(200, "");
        assertNull(h2c.offered, "a client that cannot send more cannot speak HTTP/2");
        assertEquals(2, h.bridge.calls.size());
    }

    @Test
    void takeoverWithABodyIsNotOffered() {
        var h2c = new FakeTakeover(true);
        var h = new Harness(Harness.quiet().build(), List.of(), List.of(h2c));
        h.send("POST / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\nhi");
        assertNull(h2c.offered);
        assertEquals("hi", h.bridge.last().body());
    }
}
