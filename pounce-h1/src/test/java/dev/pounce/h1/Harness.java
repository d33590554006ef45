package dev.pounce.h1;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

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
        this.config = config;
        this.channel = new EmbeddedChannel();
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
