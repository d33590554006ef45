package dev.pounce.ws;

import dev.pounce.api.Headers;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.RequestHead;
import dev.pounce.spi.Tunnel;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.WebSocketInbound;
import dev.pounce.spi.WebSocketSession;
import dev.pounce.spi.kit.Loop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket session: the plugin's side of the bridge's door ({@link WebSocketSession}, called from the app's
 * thread) and the listener of its {@link Tunnel} (called on the event loop). Frames come in through a
 * {@link FrameReader} and a {@link MessageAssembler}; how the session ends is {@link CloseHandshake}'s pure state
 * machine, whose effects this class carries out.
 *
 * <p>Threads: every field below "on the event loop" is touched there only. The app's sends are encoded (and
 * compressed) on its own thread under {@link #sendLock}, which keeps frames in compression order, and hop to the
 * loop to be written. Flow control: a delivered message counts against {@link #BACKLOG_LIMIT} until the app takes
 * it; past the limit the session stops reading and keeps the tunnel's credit, so the origin (TCP, or the HTTP/2
 * stream window) pushes back on the client. What the app has taken is counted in an atomic on its own thread, and
 * hops to the loop only while the loop waits for it (paused): an echo costs one hop back to the loop, its write,
 * not two.
 *
 * <p>A close the client starts (or a protocol error) is answered once the app has caught up: it has taken every
 * message delivered, waits in receive ({@link #idle}), and the sends it made before that have been written, so its
 * replies go out ahead of the close frame. The close timeout bounds that wait for an app that never asks for more.
 */
final class Session implements WebSocketSession, TunnelListener, MessageAssembler.Sink {

    static final Logger LOG = LoggerFactory.getLogger("pounce.ws");
    /** Bytes of delivered messages the app may leave untaken before the session stops reading. */
    static final int BACKLOG_LIMIT = 64 * 1024;
    /**
     * Bytes of the app's frames on their way to the loop past which its sends wait, as for a slow peer: the tunnel's
     * writability is only as fresh as the loop's last write, so an app faster than its loop is held here.
     */
    static final int QUEUED_LIMIT = 64 * 1024;
    /** Response fields the handshake owns; the app's own values for them are dropped. */
    private static final Set<String> OWN_FIELDS = Set.of("sec-websocket-accept", "sec-websocket-extensions",
            "sec-websocket-protocol", "upgrade", "connection", "content-length", "transfer-encoding");

    private final UpgradeOffer offer;
    private final Handshake.Valid handshake;
    private final WebSocketConfig config;
    private final EventLoop loop;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final FrameReader reader;
    private final MessageAssembler messages;

    // Any thread.
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Optional<MessageDeflater> deflater;
    private volatile Tunnel tunnel;
    private volatile boolean sendsDropped;
    /** Bytes the app has taken, counted on its thread. */
    private final AtomicLong taken = new AtomicLong();
    /** Messages handed to the loop to be written; written under {@link #sendLock}. */
    private volatile long sendsQueued;
    /** Bytes of frames handed to the loop and not written yet. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /**
     * While the app waits in receive with nothing left to take: how many messages it had handed to the loop by then;
     * -1 while it is busy. Written on the app's thread.
     */
    private volatile long idleAfterSends = -1;
    // Written on the event loop, read by the app's thread to know whether the loop waits for it.
    private volatile boolean paused;
    private volatile boolean awaitingCatchUp;

    // On the event loop.
    private WebSocketInbound inbound;
    private CloseHandshake.State state = CloseHandshake.OPEN;
    private ByteBuf pending;
    private boolean processing;
    private boolean inputStopped;
    /** Bytes of messages delivered to the bridge. */
    private long delivered;
    /** Messages of the app's that reached the loop, written or dropped. */
    private long sendsDone;
    private ScheduledFuture<?> keepalive;
    private ScheduledFuture<?> closeTimer;
    private long lastInbound;
    private long pingSentAt;
    private boolean pingOutstanding;
    private boolean cleaned;
    private final SessionStats stats = new SessionStats();

    Session(UpgradeOffer offer, Handshake.Valid handshake, WebSocketConfig config) {
        this.offer = offer;
        this.handshake = handshake;
        this.config = config;
        this.loop = offer.eventLoop();
        this.reader = new FrameReader(config.maxFrame());
        this.messages = new MessageAssembler(this, config.maxMessage(), handshake.deflate().isPresent(),
                handshake.deflate().map(PerMessageDeflate.Agreement::clientContextTakeover).orElse(false));
        this.deflater = handshake.deflate().map(d -> new MessageDeflater(d.serverWindowBits(),
                d.serverContextTakeover()));
    }

    /** @param door where messages go, as the bridge returned it; set on the event loop before the tunnel opens */
    void start(WebSocketInbound door) {
        this.inbound = door;
    }

    // ---- the bridge's side, from the app's thread ----

    @Override
    public RequestHead head() {
        return offer.head();
    }

    @Override
    public ConnectionInfo connection() {
        return offer.context().info();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public List<String> subprotocols() {
        return handshake.subprotocols();
    }

    @Override
    public void accept(Optional<String> subprotocol, Headers headers) {
        var fields = Headers.builder();
        handshake.accept().ifPresent(a -> fields.add("sec-websocket-accept", a));
        subprotocol.ifPresent(p -> fields.add("sec-websocket-protocol", p));
        handshake.deflate().ifPresent(d -> fields.add("sec-websocket-extensions", d.response()));
        headers.forEach((name, value) -> {
            if (!OWN_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                fields.add(name, value);
            }
        });
        tunnel = offer.accept(fields.build(), this);
    }

    @Override
    public void deny(int status, Headers headers, ByteBuf body) {
        offer.deny(status, headers, body);
    }

    @Override
    public void sendText(String text) {
        send(FrameReader.TEXT, text, null);
    }

    @Override
    public void sendBinary(ByteBuf bytes) {
        send(FrameReader.BINARY, null, bytes);
    }

    private void send(int opcode, String text, ByteBuf bytes) {
        sendLock.lock();
        try {
            if (sendsDropped) {
                if (bytes != null) {
                    bytes.release();
                }
                return;
            }
            int size = text != null ? ByteBufUtil.utf8Bytes(text) : bytes.readableBytes();
            ByteBuf frame;
            if (deflater.isPresent() && size >= Math.max(1, config.deflate().minSize())) {
                ByteBuffer input = text != null ? ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))
                        : bytes.nioBuffer();
                try {
                    frame = Frames.compressed(deflater.get().compress(alloc, input), opcode);
                } finally {
                    if (bytes != null) {
                        bytes.release();
                    }
                }
            } else {
                frame = text != null ? Frames.text(alloc, text) : Frames.binary(alloc, bytes);
            }
            // Under the lock: frames reach the loop in the order they were compressed.
            sendsQueued++;
            queuedBytes.addAndGet(frame.readableBytes());
            Loop.run(loop, () -> writeMessage(frame, size), frame);
        } finally {
            if (sendsDropped) {
                deflater.ifPresent(MessageDeflater::end);
            }
            sendLock.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        int sent = CloseHandshake.isValid(code) ? code : 1000;
        Loop.run(loop, () -> apply(new CloseHandshake.Event.AppClose(sent, reason)), null);
    }

    @Override
    public void consumed(int bytes) {
        // Cleared before the count grows, so the loop never sees the new count with the old idleness.
        idleAfterSends = -1;
        taken.addAndGet(bytes);
        // Read after the count: a loop that paused before this take re-checks the count, or is told here.
        if (paused) {
            Loop.run(loop, this::afterTake, null);
        }
    }

    private void afterTake() {
        if (paused && backlog() <= BACKLOG_LIMIT) {
            paused = false;
            process();
        }
    }

    @Override
    public void idle() {
        idleAfterSends = sendsQueued;
        // Read after the mark: a loop that began waiting before it re-checks, or is told here.
        if (awaitingCatchUp) {
            Loop.run(loop, this::checkCaughtUp, null);
        }
    }

    /** @return bytes delivered that the app has not taken yet */
    private long backlog() {
        return delivered - taken.get();
    }

    @Override
    public boolean writable() {
        Tunnel t = tunnel;
        return t == null || sendsDropped || queuedBytes.get() < QUEUED_LIMIT && t.writable();
    }

    /** The tunnel's wait hops to the loop behind the frames queued before it, so those are written when it runs. */
    @Override
    public void whenWritable(Runnable callback) {
        Tunnel t = tunnel;
        if (t == null || sendsDropped) {
            Loop.run(loop, callback, null);
        } else {
            t.whenWritable(callback);
        }
    }

    // ---- the tunnel's side, on the event loop ----

    @Override
    public void onOpen(Tunnel opened) {
        tunnel = opened;
        lastInbound = System.nanoTime();
        if (state instanceof CloseHandshake.State.Open) {
            scheduleKeepalive(config.pingInterval().toNanos());
        }
    }

    @Override
    public void onData(ByteBuf data) {
        lastInbound = System.nanoTime();
        stats.wireIn(data.readableBytes());
        if (inputStopped) {
            tunnel.consumed(data.readableBytes());
            data.release();
            return;
        }
        if (data.isReadOnly()) {
            // Payloads are unmasked in place.
            ByteBuf copy = alloc.buffer(data.readableBytes()).writeBytes(data);
            data.release();
            data = copy;
        }
        if (pending == null) {
            pending = data;
        } else if (pending instanceof CompositeByteBuf c) {
            c.addComponent(true, data);
        } else {
            pending = alloc.compositeBuffer(Integer.MAX_VALUE).addComponents(true, pending, data);
        }
        process();
    }

    @Override
    public void onEnd() {
        apply(new CloseHandshake.Event.InputEnded());
    }

    @Override
    public void onDrain() {
        apply(new CloseHandshake.Event.Drain());
    }

    @Override
    public void onClosed(boolean clean) {
        apply(new CloseHandshake.Event.TunnelClosed());
        cleanup();
    }

    /** Reads what is pending, unless the app is behind; gives the tunnel credit for what was read or dropped. */
    private void process() {
        if (processing || inputStopped || paused || pending == null) {
            return;
        }
        processing = true;
        int before = pending.readableBytes();
        try {
            reader.read(pending, messages);
        } finally {
            processing = false;
        }
        if (inputStopped) {
            tunnel.consumed(before);
            pending.release();
            pending = null;
            return;
        }
        int read = before - pending.readableBytes();
        if (read > 0) {
            tunnel.consumed(read);
        }
        if (!pending.isReadable()) {
            pending.release();
            pending = null;
        } else if (pending instanceof CompositeByteBuf c) {
            c.discardReadComponents();
        }
    }

    // ---- what the assembler finds, on the event loop ----

    @Override
    public boolean text(String text, int bytes) {
        stats.received(bytes);
        delivered += bytes;
        inbound.onText(text, bytes);
        return keepReading();
    }

    @Override
    public boolean binary(ByteBuf bytes) {
        int size = bytes.readableBytes();
        stats.received(size);
        delivered += size;
        inbound.onBinary(bytes);
        return keepReading();
    }

    private boolean keepReading() {
        if (backlog() > BACKLOG_LIMIT) {
            paused = true;
            // A take that came before the flag was set did not hop: look again.
            if (backlog() <= BACKLOG_LIMIT) {
                paused = false;
            }
        }
        return !paused;
    }

    @Override
    public boolean control(int opcode, ByteBuf payload) {
        switch (opcode) {
            case FrameReader.PING -> {
                // Section 5.5.2: answer with the same payload; nothing follows our close frame.
                if (state instanceof CloseHandshake.State.Open) {
                    tunnel.write(Frames.control(alloc, FrameReader.PONG, payload));
                }
                return true;
            }
            case FrameReader.CLOSE -> {
                clientClose(payload);
                return false;
            }
            default -> {
                return true; // a pong: any frame already counts as a sign of life
            }
        }
    }

    private void clientClose(ByteBuf payload) {
        int n = payload.readableBytes();
        int at = payload.readerIndex();
        if (n == 0) {
            apply(new CloseHandshake.Event.ClientClosed(CloseHandshake.NO_CODE, ""));
            return;
        }
        if (n == 1) {
            violation(1002, "close frame with a one-byte body");
            return;
        }
        int code = payload.getUnsignedShort(at);
        if (!CloseHandshake.isValid(code)) {
            violation(1002, "invalid close code " + code);
            return;
        }
        var utf8 = new Utf8Validator();
        if (!utf8.update(payload, at + 2, at + n) || !utf8.complete()) {
            violation(1007, "close reason is not valid UTF-8");
            return;
        }
        stats.closeReceived(code);
        apply(new CloseHandshake.Event.ClientClosed(code, payload.toString(at + 2, n - 2, StandardCharsets.UTF_8)));
    }

    @Override
    public void violation(int code, String reason) {
        LOG.debug("websocket on connection {}: closing with {}: {}", connection().id(), code, reason);
        apply(new CloseHandshake.Event.Violation(code, reason));
    }

    // ---- ending, on the event loop ----

    private void writeMessage(ByteBuf frame, int size) {
        sendsDone++;
        queuedBytes.addAndGet(-frame.readableBytes());
        if (!(state instanceof CloseHandshake.State.Open) && !(state instanceof CloseHandshake.State.Owed)) {
            frame.release(); // after our close frame nothing more is sent
            return;
        }
        tunnel.write(frame);
        stats.sent(size);
        checkCaughtUp();
    }

    private void apply(CloseHandshake.Event event) {
        CloseHandshake.Step step = CloseHandshake.update(state, event);
        state = step.state();
        for (CloseHandshake.Effect effect : step.effects()) {
            switch (effect) {
                case CloseHandshake.Effect.SendClose s -> {
                    sendsDropped = true;
                    cancelKeepalive();
                    stats.closeSent(s.code());
                    tunnel.write(Frames.close(alloc, s.code(), s.reason()));
                }
                case CloseHandshake.Effect.Disconnect d -> {
                    cancelKeepalive();
                    stats.disconnected(d.code());
                    inbound.onDisconnect(d.code(), d.reason());
                }
                case CloseHandshake.Effect.StopInput s -> stopInput();
                case CloseHandshake.Effect.AwaitCatchUp a -> awaitCatchUp();
                case CloseHandshake.Effect.ArmCloseTimer a -> {
                    if (!(state instanceof CloseHandshake.State.Done) && closeTimer == null) {
                        closeTimer = loop.schedule(() -> {
                            closeTimer = null;
                            apply(new CloseHandshake.Event.CloseTimeout());
                        }, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
                case CloseHandshake.Effect.End e -> tunnel.end();
                case CloseHandshake.Effect.Reset r -> tunnel.reset();
            }
        }
        if (state instanceof CloseHandshake.State.Done) {
            cleanup();
        }
    }

    private void stopInput() {
        inputStopped = true;
        paused = false;
        messages.release();
        if (!processing && pending != null) {
            tunnel.consumed(pending.readableBytes());
            pending.release();
            pending = null;
        }
    }

    private void awaitCatchUp() {
        awaitingCatchUp = true;
        checkCaughtUp();
    }

    /**
     * The close may go once no reply is owed: no message was delivered, or the app has taken them all, waits in
     * receive, and what it sent before that is written. Its sends may still wait in the loop's queue when it says it
     * is idle, hence the count rather than the flag alone.
     */
    private void checkCaughtUp() {
        if (!awaitingCatchUp) {
            return;
        }
        // The count first: a take clears the mark before it counts, so a new count is never seen with an old mark.
        boolean allTaken = backlog() <= 0;
        long idleAfter = idleAfterSends;
        if (delivered == 0 || allTaken && idleAfter >= 0 && sendsDone >= idleAfter) {
            awaitingCatchUp = false;
            apply(new CloseHandshake.Event.CaughtUp());
        }
    }

    // ---- keepalive (RFC 6455 section 5.5.2), on the event loop ----

    private void scheduleKeepalive(long delayNanos) {
        if (config.pingInterval().isPositive()) {
            keepalive = loop.schedule(this::keepalive, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Runs every ping interval, and at the ping timeout when that comes first: pings when no ping is outstanding,
     * and cuts the session when one has gone unanswered (no byte at all since) for the ping timeout.
     */
    private void keepalive() {
        keepalive = null;
        if (!(state instanceof CloseHandshake.State.Open)) {
            return;
        }
        long now = System.nanoTime();
        long interval = config.pingInterval().toNanos();
        long timeout = config.pingTimeout().toNanos();
        if (pingOutstanding && lastInbound - pingSentAt >= 0) {
            pingOutstanding = false;
        }
        if (!pingOutstanding) {
            pingOutstanding = true;
            pingSentAt = now;
            tunnel.write(Frames.control(alloc, FrameReader.PING, Unpooled.EMPTY_BUFFER));
            scheduleKeepalive(Math.min(interval, timeout));
            return;
        }
        long waited = now - pingSentAt;
        // Silence while the session itself has stopped reading is not the client's.
        if (waited >= timeout && !paused) {
            LOG.debug("websocket on connection {}: no answer to a ping within {}", connection().id(),
                    config.pingTimeout());
            apply(new CloseHandshake.Event.PingTimeout());
            return;
        }
        scheduleKeepalive(waited >= timeout ? interval : Math.min(interval, timeout - waited));
    }

    private void cancelKeepalive() {
        cancel(keepalive);
        keepalive = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Frees everything the session holds, once, when it is done. */
    private void cleanup() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        sendsDropped = true;
        awaitingCatchUp = false;
        cancelKeepalive();
        cancel(closeTimer);
        closeTimer = null;
        inputStopped = true;
        if (pending != null && !processing) {
            pending.release();
            pending = null;
        }
        messages.release();
        // The compressor is the sender's while it holds the lock; a sender that holds it ends it on its way out.
        if (sendLock.tryLock()) {
            try {
                deflater.ifPresent(MessageDeflater::end);
            } finally {
                sendLock.unlock();
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("websocket on connection {} {} over HTTP/{} ended: {}", connection().id(), head().target(),
                    head().version(), stats.line(System.nanoTime()));
        }
        inbound.onEnded(stats.summary());
    }
}
