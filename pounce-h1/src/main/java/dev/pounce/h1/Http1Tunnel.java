package dev.pounce.h1;

import dev.pounce.spi.ConnectionEvent;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.TunnelListener;
import dev.pounce.spi.kit.AbstractTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An accepted HTTP/1.1 upgrade: the whole TCP connection carries the provider's bytes both ways, after the
 * {@code 101}. TCP is the flow control: the connection stops being read while more than {@link #CREDIT} delivered
 * bytes are unconsumed, and {@link #writable()} is the channel's. No HTTP/1.1 timer runs any more; the provider owns
 * idleness. Made by {@link Http1UpgradeOffer#accept} on any thread; everything else runs on the event loop.
 */
final class Http1Tunnel extends AbstractTunnel {

    /** Delivered bytes the provider has not consumed before the connection stops being read. */
    static final int CREDIT = 64 * 1024;

    private final Channel channel;

    // On the event loop. Until the listener is first called, arriving bytes, the client's end and a drain wait here.
    private List<ByteBuf> backlog = new ArrayList<>(2);
    private boolean backlogEnded;
    private boolean backlogDrain;
    private long unconsumed;
    private boolean paused;

    Http1Tunnel(ConnectionInfo connection, Channel channel, TunnelListener listener) {
        super(connection, channel.eventLoop(), listener);
        this.channel = channel;
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    /**
     * Takes the connection from HTTP/1.1, which has written the {@code 101} and left the pipeline; called on the
     * event loop. The listener hears of the bytes that came after the request head, then of a client that had
     * already ended or of a drain, on the loop's next turn and never inside {@code accept}: a provider that accepts
     * on the loop, inside its {@code offer}, holds the tunnel before it hears anything.
     *
     * @param early    the bytes read past the request head; ownership passes
     * @param ended    whether the client had already ended its side
     * @param draining whether the worker drains
     */
    void open(ByteBuf early, boolean ended, boolean draining) {
        channel.pipeline().addLast("pounce-h1-tunnel", new Inbound());
        arrived(early);
        backlogEnded = ended;
        backlogDrain = draining;
        try {
            channel.eventLoop().execute(this::deliverBacklog);
        } catch (RejectedExecutionException e) {
            // The worker is gone, and the connection with it.
            dropBacklog();
        }
    }

    @Override
    protected boolean writableOnLoop() {
        return channel.isWritable();
    }

    @Override
    protected void writeOnLoop(ByteBuf bytes) {
        channel.writeAndFlush(bytes, channel.voidPromise());
    }

    @Override
    protected void consumedOnLoop(int bytes) {
        unconsumed = Math.max(0, unconsumed - bytes);
        if (paused && unconsumed <= CREDIT) {
            paused = false;
            channel.config().setAutoRead(true);
        }
    }

    // Our FIN follows what is queued; the client may still send until its own. The close waits for that, for a
    // moment at most, as a closing HTTP/1.1 connection lingers. TLS cannot be half-closed from here (close_notify
    // belongs to the runtime's TLS handler), so a secure connection closes once the bytes are out.
    @Override
    protected void endOnLoop() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!f.isSuccess() || isInputEnded() || connection().secure()
                    || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
            }
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, Http1Connection.LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    @Override
    protected void resetOnLoop() {
        channel.close();
    }

    private void arrived(ByteBuf data) {
        if (!data.isReadable()) {
            data.release();
            return;
        }
        // Counted before the listener sees it: it may give the credit back before received returns.
        unconsumed += data.readableBytes();
        if (backlog != null) {
            backlog.add(data);
        } else {
            received(data);
        }
        if (!paused && unconsumed > CREDIT) {
            // The provider is behind: stop reading, and TCP pushes back on the client.
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    private void deliverBacklog() {
        List<ByteBuf> held = backlog;
        if (held == null) {
            return;
        }
        backlog = null;
        held.forEach(this::received);
        if (backlogEnded) {
            clientEnded();
        }
        if (backlogDrain) {
            drain();
        }
    }

    private void dropBacklog() {
        if (backlog != null) {
            backlog.forEach(ReferenceCountUtil::release);
            backlog = null;
        }
    }

    private void clientEnded() {
        if (backlog != null) {
            backlogEnded = true;
            return;
        }
        inputEnded();
        if (outputEnded()) {
            // Both sides are done; the close waits for the last bytes to be written.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The tunnel's end of the pipeline: what the client sends and how the connection fares. */
    private final class Inbound extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf data) {
                arrived(data);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                clientEnded();
            } else if (evt == ConnectionEvent.DRAIN) {
                if (backlog != null) {
                    backlogDrain = true;
                } else {
                    drain();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            dropBacklog();
            closed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof IOException) {
                // A client that resets or drops its connection is normal traffic, not an error.
                Http1Connection.LOG.debug("tunnel on connection {} failed: {}", connection().id(),
                        cause.toString());
            } else {
                Http1Connection.LOG.warn("tunnel on connection {} failed", connection().id(), cause);
            }
            ctx.close();
        }
    }
}
