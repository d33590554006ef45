package dev.pounce.h2;

import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pounce.h2.FrameClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3) follows the upgrade providers the runtime hands a connection:
 * sent with one, not without, and without it {@code :protocol} stays malformed. On an {@code EmbeddedChannel}, since
 * the test class path always holds {@link EchoProvider}.
 */
class ConnectSettingTest {

    private static final int ENABLE_CONNECT_PROTOCOL = 8;

    /** A frame the server wrote. */
    private record Written(int type, int flags, int stream, ByteBuf payload) {
    }

    private static final UpgradeProvider DECLINES = new UpgradeProvider() {
        @Override
        public String token() {
            return "echo";
        }

        @Override
        public boolean offer(UpgradeOffer offer) {
            return false;
        }
    };

    private static EmbeddedChannel serve(List<UpgradeProvider> upgrades) {
        var channel = new EmbeddedChannel();
        new Http2ProtocolHandler().initialize(channel, StubContext.of(Map.of(), upgrades));
        return channel;
    }

    /** Every frame the server has written so far, in order. */
    private static List<Written> written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        var all = Unpooled.buffer();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        List<Written> frames = new ArrayList<>();
        while (all.isReadable()) {
            int length = all.readUnsignedMedium();
            frames.add(new Written(all.readUnsignedByte(), all.readUnsignedByte(), all.readInt() & 0x7fffffff,
                    all.readSlice(length)));
        }
        return frames;
    }

    /** The server's first SETTINGS, by identifier. */
    private static Map<Integer, Long> settings(List<Written> frames) {
        Written first = frames.getFirst();
        assertEquals(SETTINGS, first.type(), "the server preface starts with SETTINGS");
        Map<Integer, Long> values = new HashMap<>();
        ByteBuf p = first.payload();
        while (p.isReadable()) {
            values.put(p.readUnsignedShort(), p.readUnsignedInt());
        }
        return values;
    }

    private static void clientSends(EmbeddedChannel channel, byte[]... frames) {
        var out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        for (byte[] f : frames) {
            out.writeBytes(f);
        }
        channel.writeInbound(Unpooled.wrappedBuffer(out.toByteArray()));
    }

    @Test
    void withoutAProviderTheSettingIsNotSentAndProtocolIsMalformed() {
        EmbeddedChannel channel = serve(List.of());
        assertFalse(settings(written(channel)).containsKey(ENABLE_CONNECT_PROTOCOL));

        clientSends(channel, frame(HEADERS, END_HEADERS, 1, request("CONNECT", "/chat", ":protocol", "echo")));
        Written reset = written(channel).stream().filter(f -> f.stream() == 1).findFirst().orElseThrow();
        assertEquals(RST_STREAM, reset.type());
        assertEquals(PROTOCOL_ERROR, reset.payload().getInt(0));
        assertTrue(channel.isActive(), "a malformed request is a stream error, not the connection's");
        channel.finishAndReleaseAll();
    }

    @Test
    void withAProviderTheSettingIsSentAndAnOfferItDeclinesGets501() {
        var context = StubContext.of(Map.of(), List.of(DECLINES));
        var channel = new EmbeddedChannel();
        new Http2ProtocolHandler().initialize(channel, context);
        assertEquals(1L, settings(written(channel)).get(ENABLE_CONNECT_PROTOCOL));

        clientSends(channel, frame(HEADERS, END_HEADERS, 1, request("CONNECT", "/chat", ":protocol", "echo")));
        List<Written> answer = written(channel).stream().filter(f -> f.stream() == 1).toList();
        assertEquals(HEADERS, answer.getFirst().type(), answer.toString());
        assertEquals(List.of(501), context.rejected());
        assertEquals("extended CONNECT for protocol echo is not supported\n",
                answer.get(1).payload().toString(StandardCharsets.US_ASCII));
        channel.finishAndReleaseAll();
    }

    /** RFC 8441 section 4: {@code :protocol} belongs to CONNECT only, setting or not. */
    @Test
    void protocolOnAnotherMethodIsMalformed() {
        EmbeddedChannel channel = serve(List.of(DECLINES));
        written(channel);
        clientSends(channel, frame(HEADERS, END_HEADERS | END_STREAM, 1, request("GET", "/", ":protocol", "echo")));
        Written reset = written(channel).stream().filter(f -> f.stream() == 1).findFirst().orElseThrow();
        assertEquals(RST_STREAM, reset.type());
        assertEquals(PROTOCOL_ERROR, reset.payload().getInt(0));
        channel.finishAndReleaseAll();
    }
}
