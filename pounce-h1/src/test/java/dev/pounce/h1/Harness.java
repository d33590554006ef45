package dev.pounce.h1;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection on an {@link EmbeddedChannel}, with a recording bridge and a frozen clock. The
 * embedded loop runs everything on the test thread, so every step is deterministic.
 */
final class Harness {

    /** A config without Date and Server, so whole responses can be compared. */
    static ServerConfig.Builder quiet() {
        return ServerConfig.builder().dateHeader(false).serverHeader("");
    }

    final RecordingBridge bridge = new RecordingBridge();
    private final LeakCheck.TrackingAllocator allocator = new LeakCheck.TrackingAllocator();
    private final List<ByteBuf> sent = new ArrayList<>();
    final EmbeddedChannel channel;
    final ServerConfig config;
    boolean draining;

    Harness() {
        this(quiet().build());
    }

    Harness(ServerConfig config) {
        this(config, List.of(), List.of());
    }

    Harness(ServerConfig config, List<UpgradeProvider> upgrades, List<ConnectionTakeover> takeovers) {
        this(config, upgrades, takeovers, new EmbeddedChannel());
    }

    /**
     * A connection on a channel that can be shut one way, as a TCP socket: closing after a response then shuts
     * the output and lingers, as on a real plain socket.
     */
    static Harness halfClosable(ServerConfig config, List<UpgradeProvider> upgrades) {
        return new Harness(config, upgrades, List.of(), new HalfClosableChannel());
    }

    private Harness(ServerConfig config, List<UpgradeProvider> upgrades, List<ConnectionTakeover> takeovers,
                    EmbeddedChannel channel) {
        this.config = config;
        this.channel = channel;
        channel.config().setAllocator(allocator);
        channel.freezeTime();
        LeakCheck.OPEN.get().add(this);
        new Http1ProtocolHandler().initialize(channel,
                new TestContext(config, bridge, upgrades, takeovers, () -> draining));
    }

    /** Sends bytes as the client, ISO-8859-1. */
    Harness send(String text) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        sent.add(buf);
        channel.writeInbound(buf);
        return this;
    }

    /** The client shuts its side of the connection (a TCP FIN), as Netty reports it with half-closure allowed. */
    Harness fin() {
        if (channel instanceof HalfClosableChannel halfClosable) {
            halfClosable.receiveFin();
        } else {
            channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        return this;
    }

    /** @return whether the server shut its output while the connection stays open */
    boolean outputShut() {
        return channel instanceof HalfClosableChannel halfClosable && halfClosable.isOutputShutdown();
    }

    /** Everything the server wrote since the last call. */
    String out() {
        var sb = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            sb.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return sb.toString();
    }

    /** Runs the tasks the handlers queued on the loop for its next turn. */
    void runTasks() {
        channel.runPendingTasks();
    }

    /** Moves the frozen clock and runs what became due. */
    void advance(Duration d) {
        channel.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        channel.runPendingTasks();
    }

    /** Every buffer the client sent or the handler allocated. */
    List<ByteBuf> tracked() {
        List<ByteBuf> all = new ArrayList<>(sent);
        all.addAll(allocator.made);
        return all;
    }

    boolean open() {
        return channel.isOpen();
    }

    RecordingBridge.Call call(int index) {
        return bridge.calls.get(index);
    }
}
