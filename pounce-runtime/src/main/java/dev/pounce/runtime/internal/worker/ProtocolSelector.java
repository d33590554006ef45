package dev.pounce.runtime.internal.worker;

import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.Detection;
import dev.pounce.spi.StreamProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;
import java.util.Optional;

/**
 * Picks the protocol of a cleartext connection by showing its first bytes to each protocol (three-way detection),
 * then steps aside and replays those bytes into the chosen protocol's handlers. A connection that says nothing within
 * the header timeout is closed.
 */
final class ProtocolSelector extends FirstBytes {

    /** Past this many bytes a protocol that still wants more is not going to recognise them. */
    private static final int MAX_PREFIX = 1024;

    private final List<StreamProtocol> detecting;
    private final Optional<StreamProtocol> fallback;
    private final ConnectionContext context;

    ProtocolSelector(List<StreamProtocol> detecting, Optional<StreamProtocol> fallback, ConnectionContext context) {
        super(context.config().timeouts().header());
        this.detecting = detecting;
        this.fallback = fallback;
        this.context = context;
    }

    @Override
    void onBytes(ChannelHandlerContext ctx, ByteBuf prefix) {
        boolean wantsMore = false;
        for (StreamProtocol p : detecting) {
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
            close(ctx);
        }
    }

    private void choose(ChannelHandlerContext ctx, StreamProtocol protocol) {
        protocol.initialize(ctx.channel(), context);
        stepAside(ctx);
    }
}
