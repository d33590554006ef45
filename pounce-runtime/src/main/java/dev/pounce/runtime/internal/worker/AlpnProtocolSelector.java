package dev.pounce.runtime.internal.worker;

import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.StreamProtocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the protocol of a TLS connection once its handshake is done: the one that serves the negotiated ALPN id,
 * or, when the client negotiated none, the cleartext-fallback protocol (HTTP/1.1). Sits right after the
 * {@link SslHandler}; holds any decrypted bytes that arrive before the choice and replays them to the protocol.
 * A failed handshake (a bad client certificate, an old TLS version, a timeout, plain HTTP on the TLS port) is the
 * client's problem: logged at DEBUG without a stack trace, and the connection is closed.
 */
final class AlpnProtocolSelector extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.TLS);
    private static final int MAX_LOGGED = 200;

    private final Map<String, StreamProtocol> byAlpnId;
    private final Optional<StreamProtocol> fallback;
    private final ConnectionContext context;
    private final List<Object> early = new ArrayList<>(1);

    AlpnProtocolSelector(Map<String, StreamProtocol> byAlpnId, Optional<StreamProtocol> fallback,
                         ConnectionContext context) {
        this.byAlpnId = byAlpnId;
        this.fallback = fallback;
        this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof SslHandshakeCompletionEvent done)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (!done.isSuccess()) {
            handshakeFailed(ctx, done.cause());
            return;
        }
        String id = ctx.pipeline().get(SslHandler.class).applicationProtocol();
        Optional<StreamProtocol> protocol = id == null ? fallback : Optional.ofNullable(byAlpnId.get(id));
        if (protocol.isEmpty()) {
            LOG.debug("connection {} from {}: no protocol serves ALPN id {}; closing", context.info().id(),
                    client(), id);
            ctx.close();
            return;
        }
        protocol.get().initialize(ctx.channel(), context);
        List<Object> replay = List.copyOf(early);
        early.clear();
        ctx.pipeline().remove(this);
        if (!replay.isEmpty()) {
            replay.forEach(ctx::fireChannelRead);
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // SslHandler reports a failed handshake twice, as this exception (a DecoderException around an
        // SSLException) and as the completion event; the event
        // is what gets logged, so here the connection is only closed.
        if (!(cause.getCause() instanceof SSLException)) {
            LOG.debug("connection {} from {} failed before its protocol was chosen: {}", context.info().id(),
                    client(), String.valueOf(cause));
        }
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            LOG.trace("connection {} from {} closed during the TLS handshake", context.info().id(), client());
        } else {
            LOG.debug("TLS handshake failed on connection {} from {}: {}", context.info().id(), client(),
                    describe(cause));
        }
        ctx.close();
    }

    private String client() {
        return context.info().client().map(e -> e.host() + ":" + e.port()).orElse("?");
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == cause ? String.valueOf(cause.getMessage())
                : cause.getMessage() + " (" + root.getMessage() + ")";
        // Netty quotes a whole non-TLS record in hex; a line in the log is enough.
        String line = cause.getClass().getSimpleName() + ": " + message;
        return line.length() > MAX_LOGGED ? line.substring(0, MAX_LOGGED) + "..." : line;
    }
}
