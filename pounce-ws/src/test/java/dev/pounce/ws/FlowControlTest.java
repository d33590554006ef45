package dev.pounce.ws;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.Bridge;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.HttpExchange;
import dev.pounce.spi.RequestBodySink;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import dev.pounce.spi.WebSocketSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inbound flow control of a session, with the origin and the bridge stood in for: delivered messages count against
 * the backlog until the app takes them, and past {@link Session#BACKLOG_LIMIT} the session stops reading and keeps
 * the tunnel's credit, so the client is held back by the origin's own flow control and the server holds a bounded
 * amount, however fast the client sends. And the client's close, held until the app has taken what came before it
 * and asks for more, so its replies precede the close frame.
 */
class FlowControlTest {

    private static final EventLoop LOOP = new DefaultEventLoop();

    @AfterAll
    static void stop() {
        LOOP.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private static <T> T onLoop(Callable<T> task) throws Exception {
        return LOOP.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** The origin's side: counts the credit given back and records writes. */
    private static final class FakeTunnel implements Tunnel {
        long credit;
        final List<ByteBuf> written = new ArrayList<>();

        @Override
        public ConnectionInfo connection() {
            return INFO;
        }

        @Override
        public EventLoop eventLoop() {
            return LOOP;
        }

        @Override
        public void write(ByteBuf bytes) {
            written.add(bytes);
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable callback) {
            callback.run();
        }

        @Override
        public void consumed(int bytes) {
            credit += bytes;
        }

        @Override
        public void end() {
        }

        @Override
        public void reset() {
        }
    }

    private static final ConnectionInfo INFO = new ConnectionInfo(1, new WorkerIdentity(0, 0),
            Optional.of(new Endpoint("127.0.0.1", 5000)), Optional.of(new Endpoint("127.0.0.1", 80)), false);

    /** The bridge's side: holds every message, taking none until told. */
    private static final class HoldingInbound implements WebSocketInbound {
        final List<Integer> messages = new ArrayList<>();
        final List<ByteBuf> kept = new ArrayList<>();
        final List<String> ends = new ArrayList<>();
        boolean keep;

        @Override
        public void onText(String text, int bytes) {
            messages.add(bytes);
        }

        @Override
        public void onBinary(ByteBuf bytes) {
            messages.add(bytes.readableBytes());
            if (keep) {
                kept.add(bytes);
            } else {
                bytes.release();
            }
        }

        @Override
        public void onDisconnect(int code, String reason) {
            ends.add("disconnect " + code);
        }

        @Override
        public void onEnded(WebSocketSummary summary) {
            ends.add(summary.toString());
        }
    }

    /** @return the opcodes of the frames written so far */
    private static List<Integer> opcodes(FakeTunnel tunnel) {
        return tunnel.written.stream().map(b -> b.getByte(b.readerIndex()) & 0x0F).toList();
    }

    private static Session session(FakeTunnel tunnel, HoldingInbound inbound) {
        ServerConfig config = ServerConfig.builder().sections(List.of(WebSocketSection.SECTION))
                .set("ws.ping-interval", "0").build();
        var context = new ConnectionContext() {
            public ServerConfig config() {
                return config;
            }

            public Bridge bridge() {
                return new Bridge() {
                    public RequestBodySink serve(HttpExchange exchange) {
                        throw new UnsupportedOperationException();
                    }

                    public WebSocketInbound serveWebSocket(WebSocketSession session) {
                        return inbound;
                    }

                    public Headers rejected(ConnectionInfo connection, int status, String reason) {
                        return Headers.empty();
                    }
                };
            }

            public ConnectionInfo info() {
                return INFO;
            }

            public List<UpgradeProvider> upgrades() {
                return List.of();
            }

            public List<ConnectionTakeover> takeovers() {
                return List.of();
            }

            public boolean draining() {
                return false;
            }
        };
        var offer = new UpgradeOffer() {
            public RequestHead head() {
                return new RequestHead("GET", "/", "1.1", Headers.of("sec-websocket-version", "13",
                        "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="));
            }

            public String token() {
                return "websocket";
            }

            public ConnectionContext context() {
                return context;
            }

            public EventLoop eventLoop() {
                return LOOP;
            }

            public Tunnel accept(Headers headers, TunnelListener listener) {
                return tunnel;
            }

            public void deny(int status, Headers headers, ByteBuf body) {
                body.release();
            }

            public void whenCancelled(Runnable callback) {
            }
        };
        var check = (Handshake.Valid) Handshake.check(offer.head(), config.section(WebSocketSection.SECTION));
        var session = new Session(offer, check, config.section(WebSocketSection.SECTION));
        session.start(inbound);
        session.accept(Optional.empty(), Headers.empty());
        session.onOpen(tunnel);
        return session;
    }

    @Test
    void aClientFasterThanTheAppIsHeldBackByTheCreditTheSessionKeeps() throws Exception {
        var tunnel = new FakeTunnel();
        var inbound = new HoldingInbound();
        Session session = onLoop(() -> session(tunnel, inbound));
        byte[] frame = RawWebSocket.encode(true, 0, FrameReader.BINARY, new byte[1000], true);
        int sent = 1000; // about 1 MB, sixteen times the backlog limit
        onLoop(() -> {
            for (int i = 0; i < sent; i++) {
                session.onData(Unpooled.wrappedBuffer(frame));
            }
            return null;
        });
        int delivered = onLoop(inbound.messages::size);
        assertTrue(delivered * 1000L <= Session.BACKLOG_LIMIT + 1000, "delivered " + delivered + " messages");
        assertEquals((long) delivered * frame.length, onLoop(() -> tunnel.credit),
                "credit only for what was read: the rest waits, and the origin stops reading");

        // The app takes what it has: the session reads on, a backlog at a time, until all was delivered.
        int taken = 0;
        while (taken < sent) {
            int now = onLoop(inbound.messages::size);
            assertTrue(now > taken, "no progress after the app took " + taken + " messages");
            for (; taken < now; taken++) {
                session.consumed(1000);
            }
            onLoop(() -> null); // the credit hops to the loop behind the consumed calls
        }
        assertEquals((long) sent * frame.length, onLoop(() -> tunnel.credit), "all credit back once taken");
    }

    /** A message the app holds stays intact while the session reads on, whatever the reads' boundaries were. */
    @Test
    void messagesTheAppHoldsSurviveLaterReads() throws Exception {
        var tunnel = new FakeTunnel();
        var inbound = new HoldingInbound();
        inbound.keep = true;
        Session session = onLoop(() -> session(tunnel, inbound));
        var stream = new java.io.ByteArrayOutputStream();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] payload = new byte[1 + i * 3];
            java.util.Arrays.fill(payload, (byte) i);
            sent.add(payload);
            stream.writeBytes(RawWebSocket.encode(true, 0, FrameReader.BINARY, payload, true));
        }
        byte[] all = stream.toByteArray();
        onLoop(() -> {
            // Reads that end anywhere: inside headers, inside payloads, on frame boundaries.
            for (int at = 0, step = 1; at < all.length; at += step, step = step * 3 % 97 + 1) {
                int n = Math.min(step, all.length - at);
                session.onData(Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(all, at, at + n)));
            }
            return null;
        });
        assertEquals(sent.size(), onLoop(() -> inbound.kept.size()));
        for (int i = 0; i < sent.size(); i++) {
            ByteBuf held = inbound.kept.get(i);
            byte[] got = new byte[held.readableBytes()];
            held.getBytes(held.readerIndex(), got);
            org.junit.jupiter.api.Assertions.assertArrayEquals(sent.get(i), got, "message " + i);
            held.release();
        }
    }

    /**
     * A message and a close in one read: the close frame waits, without a timer, until the app has taken the message,
     * replied, and asked for more; then it follows the reply, and the app hears the disconnect.
     */
    @Test
    void theClientsCloseWaitsForTheAppToTakeAndAnswerWhatCameBeforeIt() throws Exception {
        var tunnel = new FakeTunnel();
        var inbound = new HoldingInbound();
        Session session = onLoop(() -> session(tunnel, inbound));
        var bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(RawWebSocket.encode(true, 0, FrameReader.TEXT, "hi".getBytes(), true));
        bytes.writeBytes(RawWebSocket.encode(true, 0, FrameReader.CLOSE, new byte[]{0x03, (byte) 0xE8}, true));
        onLoop(() -> {
            session.onData(Unpooled.wrappedBuffer(bytes.toByteArray()));
            return null;
        });
        assertEquals(List.of(), onLoop(() -> opcodes(tunnel)), "answered before the app took the message");
        assertEquals(List.of(), onLoop(() -> List.copyOf(inbound.ends)));

        // The app's thread: takes the message, replies, asks for more.
        session.consumed(2);
        session.sendText("hi");
        assertEquals(List.of(FrameReader.TEXT), onLoop(() -> opcodes(tunnel)), "closed before the app asked for more");
        session.idle();
        assertEquals(List.of(FrameReader.TEXT, FrameReader.CLOSE), onLoop(() -> opcodes(tunnel)));
        assertEquals(List.of("disconnect 1000"), onLoop(() -> List.copyOf(inbound.ends)));

        onLoop(() -> {
            session.onClosed(true);
            return null;
        });
        assertEquals(new WebSocketSummary(1, 2, 1, 2, 1000).toString(), onLoop(() -> inbound.ends.getLast()),
                "the summary comes last, once");
        assertEquals(2, onLoop(() -> inbound.ends.size()));
    }

    /**
     * The app's reply can still wait in the loop's queue when it says it is idle, behind a read that brings the
     * client's close: the close counts the reply as owed until it is written.
     */
    @Test
    void aReplyStillQueuedWhenTheAppIsIdleGoesBeforeTheClose() throws Exception {
        var tunnel = new FakeTunnel();
        var inbound = new HoldingInbound();
        Session session = onLoop(() -> session(tunnel, inbound));
        byte[] close = RawWebSocket.encode(true, 0, FrameReader.CLOSE, new byte[]{0x03, (byte) 0xE8}, true);
        onLoop(() -> {
            session.onData(Unpooled.wrappedBuffer(RawWebSocket.encode(true, 0, FrameReader.TEXT, "hi".getBytes(),
                    true)));
            return null;
        });
        session.consumed(2);
        var appDone = new java.util.concurrent.CountDownLatch(1);
        // The loop reads the close only after the app has queued its reply and said it is idle.
        var read = LOOP.submit(() -> {
            appDone.await();
            session.onData(Unpooled.wrappedBuffer(close));
            return null;
        });
        session.sendText("hi");
        session.idle();
        appDone.countDown();
        read.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(FrameReader.TEXT, FrameReader.CLOSE), onLoop(() -> opcodes(tunnel)));
    }

    /** With no message delivered no reply is owed: the close is answered at once, whatever the app is doing. */
    @Test
    void aCloseWithNothingBeforeItIsAnsweredAtOnce() throws Exception {
        var tunnel = new FakeTunnel();
        var inbound = new HoldingInbound();
        Session session = onLoop(() -> session(tunnel, inbound));
        onLoop(() -> {
            session.onData(Unpooled.wrappedBuffer(RawWebSocket.encode(true, 0, FrameReader.CLOSE,
                    new byte[]{0x0F, (byte) 0xA0}, true)));
            return null;
        });
        assertEquals(List.of(FrameReader.CLOSE), onLoop(() -> opcodes(tunnel)));
        assertEquals(List.of("disconnect 4000"), onLoop(() -> List.copyOf(inbound.ends)));
    }
}
