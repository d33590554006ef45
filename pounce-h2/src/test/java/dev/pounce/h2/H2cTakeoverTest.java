package dev.pounce.h2;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.TakeoverRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The h2c takeover declines what it must not take, without touching the connection. */
class H2cTakeoverTest {

    private static final RequestHead UPGRADE = new RequestHead("GET", "/", "1.1", Headers.of(
            "host", "localhost", "connection", "Upgrade, HTTP2-Settings", "upgrade", "h2c",
            "http2-settings", "AAMAAABkAAQCAAAAAAIAAAAA"));

    private static TakeoverRequest request(ConnectionContext context) {
        return new TakeoverRequest() {
            @Override
            public Channel channel() {
                return fail("a declined takeover touched the channel");
            }

            @Override
            public RequestHead head() {
                return UPGRADE;
            }

            @Override
            public ConnectionContext context() {
                return context;
            }

            @Override
            public ByteBuf detach() {
                return fail("a declined takeover detached HTTP/1.1");
            }
        };
    }

    @Test
    void declinesWhenHttp2IsSwitchedOff() {
        var off = StubContext.of(Map.of("http2.enabled", "false"), List.of());
        assertFalse(new H2cTakeover().takeOver(request(off)));
    }

    /** {@code --no-http2} is the one switch: the protocol answers it as the takeover does. */
    @Test
    void theProtocolIsOffWhenTheSettingSaysSo() {
        var handler = new Http2ProtocolHandler();
        assertFalse(handler.enabled(StubContext.of(Map.of("http2.enabled", "false"), List.of()).config()));
        assertTrue(handler.enabled(StubContext.of(Map.of(), List.of()).config()));
    }

    @Test
    void isTheH2cTokenAndHttp2RanksAboveHttp11() {
        assertEquals("h2c", new H2cTakeover().token());
        assertEquals(200, new Http2ProtocolHandler().preference());
    }
}
