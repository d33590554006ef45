package dev.pounce.runtime.internal.listen;

import dev.pounce.runtime.internal.log.LogNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The handler of a {@link ServerListener}'s channel: gives each accepted connection to the listener's current
 * {@link Route}, registering it with the route's loop (the listener's own loop for a worker's route, so no thread
 * hop). Does what Netty's {@code ServerBootstrapAcceptor} does, but for a route that changes while the socket lives.
 */
final class Acceptor extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);

    /** How long accepting pauses after an accept error such as running out of file descriptors. */
    private static final long PAUSE_MILLIS = 1000;

    private final ServerListener listener;

    Acceptor(ServerListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        Optional<Route.Target> target = listener.route().flatMap(Route::next);
        if (target.isEmpty()) {
            LOG.debug("{}: no worker takes connections now; closing one", listener);
            child.unsafe().closeForcibly();
            return;
        }
        if (child instanceof SocketChannel) {
            child.config().setOption(ChannelOption.TCP_NODELAY, true);
        }
        child.pipeline().addLast(target.get().initializer());
        try {
            target.get().loop().register(child).addListener(f -> {
                if (!f.isSuccess()) {
                    child.unsafe().closeForcibly();
                }
            });
        } catch (RuntimeException e) {
            child.unsafe().closeForcibly();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An accept that failed (EMFILE, ENFILE) would fail again at once: pause reading so the loop does not spin,
        // as Netty's ServerBootstrapAcceptor does.
        var config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> {
                if (listener.served()) {
                    config.setAutoRead(true);
                }
            }, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (cause instanceof IOException) {
            LOG.warn("{}: accepting failed, pausing for {} ms: {}", listener, PAUSE_MILLIS, cause.toString());
        } else {
            LOG.warn("{}: accepting failed", listener, cause);
        }
    }
}
