package dev.pounce.runtime.internal.worker;

import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.Detection;
import dev.pounce.spi.ProtocolHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Picks the protocol of a cleartext connection by showing its first bytes to each protocol (three-way detection),
 * then steps aside and replays those bytes into the chosen protocol's handlers. A connection that says nothing within
 * the header timeout is closed.
 */
final class ProtocolSelector extends ChannelInboundHandlerAdapter {

    /** Past this many bytes a protocol that still wants more is not going to recognise them. */
    private static final int MAX_PREFIX = 1024;

    private final List<ProtocolHandler> detecting;
    private final Optional<ProtocolHandler> fallback;
    private final ConnectionContext context;
    private ByteBuf prefix;
    private ScheduledFuture<?> timeout;

    ProtocolSelector(List<ProtocolHandler> detecting, Optional<ProtocolHandler> fallback, ConnectionContext context) {
        this.detecting = detecting;
        this.fallback = fallback;
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long nanos = context.config().timeouts().header().toNanos();
        timeout = ctx.executor().schedule(() -> {
            ctx.close();
        }, nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (prefix == null) {
            prefix = bytes;
        } else {
            prefix = ctx.alloc().compositeBuffer().addComponents(true, prefix, bytes);
        }
        boolean wantsMore = false;
        for (ProtocolHandler p : detecting) {
            switch (p.detect(prefix)) {
                case RECOGNISED -> {
                    choose(ctx, p);
                    return;
                }
                case NEED_MORE -> wantsMore = true;
                case NOT_RECOGNISED -> { }
            }
        }
        if (wantsMore && prefix.readableBytes() < MAX_PREFIX) {
            return;
        }
        if (fallback.isPresent()) {
            choose(ctx, fallback.get());
        } else {
            release();
            ctx.close();
        }
    }

    private void choose(ChannelHandlerContext ctx, ProtocolHandler protocol) {
        timeout.cancel(false);
        protocol.initialize(ctx.channel(), context);
        ByteBuf bytes = prefix;
        prefix = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        release();
        ctx.close();
    }

    private void release() {
        if (prefix != null) {
            prefix.release();
            prefix = null;
        }
    }
}
