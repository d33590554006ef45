package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.spi.ConnectionPreamble.Result;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first handler of a connection when {@link ConnectionPreamble} plugins are present: shows the first bytes to
 * each preamble in turn, skips what they consume and takes the addresses they decode, then lets {@code next}
 * install the rest of the pipeline (TLS, protocol selection) with the final {@link ConnectionInfo}, steps aside and
 * passes on the bytes that followed. Runs on the connection's event loop only.
 */
final class PreambleReader extends FirstBytes {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.CONNECTIONS);

    private final List<ConnectionPreamble> preambles;
    private final Consumer<ConnectionInfo> next;
    private ConnectionInfo info;
    private int stage;

    PreambleReader(List<ConnectionPreamble> preambles, ConnectionInfo info, ServerConfig config,
                   Consumer<ConnectionInfo> next) {
        // The longest any preamble allows: each one's own setting, or the header timeout.
        super(preambles.stream().map(p -> p.timeout(config)).max(Duration::compareTo)
                .orElse(config.timeouts().header()));
        this.preambles = preambles;
        this.info = info;
        this.next = next;
    }

    @Override
    void onTimeout() {
        LOG.debug("connection {} sent no complete preamble within its timeout; closing", info.id());
    }

    @Override
    void onBytes(ChannelHandlerContext ctx, ByteBuf buffered) {
        while (stage < preambles.size()) {
            if (!buffered.isReadable()) {
                return;
            }
            ConnectionPreamble preamble = preambles.get(stage);
            Result result;
            try {
                result = preamble.read(buffered, info);
            } catch (RuntimeException e) {
                LOG.warn("preamble plugin {} failed on connection {}; closing it", preamble.name(), info.id(), e);
                close(ctx);
                return;
            }
            switch (result) {
                case Result.Absent a -> stage++;
                case Result.NeedMore n -> {
                    if (buffered.readableBytes() >= preamble.maxLength()) {
                        refuse(ctx, preamble, "still incomplete after " + buffered.readableBytes() + " bytes");
                    }
                    return;
                }
                case Result.Consumed c -> {
                    if (c.length() > buffered.readableBytes()) {
                        refuse(ctx, preamble, "claimed " + c.length() + " bytes of " + buffered.readableBytes());
                        return;
                    }
                    buffered.skipBytes(c.length());
                    info = new ConnectionInfo(info.id(), info.worker(), c.client().or(info::client),
                            c.server().or(info::server), info.secure());
                    stage++;
                }
                case Result.Rejected r -> {
                    refuse(ctx, preamble, r.reason());
                    return;
                }
            }
        }
        done(ctx);
    }

    private void done(ChannelHandlerContext ctx) {
        next.accept(info);
        stepAside(ctx);
    }

    private void refuse(ChannelHandlerContext ctx, ConnectionPreamble preamble, String reason) {
        LOG.debug("connection {} refused by preamble {}: {}", info.id(), preamble.name(), reason);
        close(ctx);
    }
}
