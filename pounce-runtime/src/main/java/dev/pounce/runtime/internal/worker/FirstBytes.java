package dev.pounce.runtime.internal.worker;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A handler that holds a connection's first bytes until it has decided something about them (which preamble,
 * which protocol), then steps aside and passes on what it holds. A connection that stays undecided past the
 * header timeout is closed. Runs on the connection's event loop only.
 */
abstract class FirstBytes extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private ByteBuf held;
    private ScheduledFuture<?> timer;

    /** @param timeout how long the connection may stay undecided */
    FirstBytes(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The bytes held so far, after new ones arrived.
     *
     * @param ctx  the handler's context
     * @param held every byte read and not yet passed on, from reader index on
     */
    abstract void onBytes(ChannelHandlerContext ctx, ByteBuf held);

    /** Called when the timeout passes undecided, just before the connection is closed. */
    void onTimeout() {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            onTimeout();
            ctx.close();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held = held == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, held, bytes);
        onBytes(ctx, held);
    }

    /**
     * Removes this handler and passes on the bytes it held (those not skipped), after the caller has installed
     * what follows it.
     *
     * @param ctx the handler's context
     */
    final void stepAside(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ByteBuf rest = held;
        held = null;
        ctx.pipeline().remove(this);
        if (rest != null && rest.isReadable()) {
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        } else if (rest != null) {
            rest.release();
        }
    }

    /**
     * Gives up on the connection: releases what is held and closes it.
     *
     * @param ctx the handler's context
     */
    final void close(ChannelHandlerContext ctx) {
        release();
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(ctx);
    }

    private void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
