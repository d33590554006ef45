package dev.pounce.runtime.internal.worker;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The gate in front of a worker's {@link ConnectionSetup}: while the server shuts down, the listener stays open and
 * each new connection gets Pounce's drain response instead of being refused, so a client behind a load balancer
 * learns to retry elsewhere ({@code Retry-After: 1}) rather than seeing a reset. The response waits for the client's
 * first bytes (up to {@link #WAIT_FOR_REQUEST_MILLIS}) so that closing after it does not reset an unread request.
 * Over TLS the connection is closed instead: a plaintext answer would be garbage to a TLS client. Runs on the
 * worker's event loop.
 */
final class LateArrivals extends ChannelInitializer<Channel> {

    /** The drain response, byte for byte the Python Pounce's ({@code _drain.py}). */
    static final byte[] DRAIN_RESPONSE = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Connection: close\r\n"
            + "Retry-After: 1\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: 23\r\n"
            + "\r\n"
            + "Server shutting down...").getBytes(StandardCharsets.US_ASCII);

    private static final long WAIT_FOR_REQUEST_MILLIS = 1000;

    private final ConnectionSetup setup;
    private final BooleanSupplier shuttingDown;
    private final boolean tls;
    private final Set<Channel> answering = new HashSet<>();

    LateArrivals(ConnectionSetup setup, BooleanSupplier shuttingDown, boolean tls) {
        this.setup = setup;
        this.shuttingDown = shuttingDown;
        this.tls = tls;
    }

    /**
     * Closes the late arrivals still waiting for their answer. Called on the event loop just before it stops: Netty
     * 4.2 does not close a loop's channels when the loop is destroyed, so they would stay open, unanswered.
     */
    void closeAll() {
        for (Channel ch : new ArrayList<>(answering)) {
            ch.close();
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        if (!shuttingDown.getAsBoolean()) {
            setup.initChannel(ch);
        } else if (tls) {
            ch.close();
        } else {
            answering.add(ch);
            ch.closeFuture().addListener(f -> answering.remove(ch));
            ch.pipeline().addLast("pounce-drain-503", new Answer());
        }
    }

    /** Reads whatever the client sends first, then answers 503 and closes. */
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> answer(ctx), WAIT_FOR_REQUEST_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            answer(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private void answer(ChannelHandlerContext ctx) {
            if (answered || !ctx.channel().isActive()) {
                return;
            }
            answered = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(DRAIN_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
