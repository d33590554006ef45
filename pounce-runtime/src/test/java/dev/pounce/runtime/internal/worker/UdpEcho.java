package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.DatagramContext;
import dev.pounce.spi.DatagramProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A datagram protocol for the tests, found by ServiceLoader like any plugin and switched off unless
 * {@code udp-echo.enabled} is set: each worker's UDP socket answers every packet with a line saying which worker it
 * is, what TLS material and ALPN ids it was handed, and how many connections it has registered through
 * {@link DatagramContext#connectionOpened}; and it advertises itself for {@code Alt-Svc}.
 */
public final class UdpEcho implements DatagramProtocol {

    /** Off by default, so the other tests' servers do not bind UDP. */
    static final Setting<Boolean> ENABLED = Setting.toggle("udp-echo.enabled", false);

    /** Made by ServiceLoader. */
    public UdpEcho() {
    }

    @Override
    public String name() {
        return "udp-echo";
    }

    @Override
    public List<String> alpnIds() {
        return List.of("udp-echo/1");
    }

    @Override
    public boolean enabled(ServerConfig config) {
        return config.section(new Section()).enabled();
    }

    /** Says it cannot run here while the system property {@code udp-echo.unavailable} holds a reason. */
    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(System.getProperty("udp-echo.unavailable"));
    }

    @Override
    public boolean cleartextAllowed() {
        return true;
    }

    @Override
    public Optional<String> altSvc(ServerConfig config, int port) {
        return Optional.of("udp-echo=\":" + port + "\"; ma=60");
    }

    @Override
    public void bind(Channel channel, DatagramContext context) {
        channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
            private int opened;

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                // Each packet stands for a connection, as a QUIC Initial would: the worker counts and tracks it.
                var connection = new EmbeddedChannel();
                Optional<ConnectionContext> registered = context.connectionOpened(connection, packet.sender());
                if (registered.isPresent()) {
                    opened++;
                }
                String line = "worker=" + context.worker().id() + " of " + context.workers()
                        + " tls=" + context.tls().map(t -> t.chain().getFirst().getSubjectX500Principal().getName()
                        + " alpn=" + t.alpn()).orElse("none")
                        + " opened=" + opened + " secure=" + registered.map(c -> c.info().secure()).orElse(false)
                        + " echo=" + packet.content().toString(StandardCharsets.UTF_8);
                ByteBuf out = Unpooled.copiedBuffer(line, StandardCharsets.UTF_8);
                ctx.writeAndFlush(new DatagramPacket(out, packet.sender()));
                connection.close();
            }
        });
    }

    /** The plugin's settings. */
    public record Settings(boolean enabled) { }

    /** Its section, {@code udp-echo}. */
    public static final class Section implements ConfigSection<Settings> {
        /** Made by ServiceLoader. */
        public Section() {
        }

        @Override
        public String name() {
            return "udp-echo";
        }

        @Override
        public String title() {
            return "UDP echo (tests)";
        }

        @Override
        public Class<Settings> type() {
            return Settings.class;
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(ENABLED);
        }

        @Override
        public Settings build(SectionValues values) {
            return new Settings(values.get(ENABLED));
        }
    }
}
