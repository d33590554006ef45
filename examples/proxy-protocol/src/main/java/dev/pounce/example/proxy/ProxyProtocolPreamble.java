package dev.pounce.example.proxy;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionPreamble;
import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.List;

/**
 * The PROXY protocol as a {@link ConnectionPreamble}: decodes a v1 or v2 header at the start of a connection and
 * gives the connection the client and server it names. Whose headers to take, whether one is required and how long
 * it may take to arrive are the plugin's own settings ({@link ProxyProtocolSection}: {@code --proxy-protocol-trusted},
 * {@code --proxy-protocol-required}, {@code --proxy-protocol-timeout}), which the runtime hands to
 * {@link #configure} once at startup.
 */
public final class ProxyProtocolPreamble implements ConnectionPreamble {

    private final ProxyProtocolConfig config;

    /**
     * Called once by {@link java.util.ServiceLoader}; the runtime then asks {@link #configure} for the instance that
     * serves. Until then every peer is trusted and no header is required, as with no flag given.
     */
    public ProxyProtocolPreamble() {
        this(new ProxyProtocolConfig(TrustedPeers.of(List.of()), false, ProxyProtocolSection.TIMEOUT.defaultValue()));
    }

    ProxyProtocolPreamble(ProxyProtocolConfig config) {
        this.config = config;
    }

    /** @return a preamble that follows the configuration's {@code proxy-protocol} settings */
    @Override
    public ConnectionPreamble configure(ServerConfig serverConfig) {
        return new ProxyProtocolPreamble(serverConfig.section(ProxyProtocolSection.SECTION));
    }

    /** @return {@code --proxy-protocol-timeout}, 5 seconds unless given */
    @Override
    public Duration timeout(ServerConfig serverConfig) {
        return serverConfig.section(ProxyProtocolSection.SECTION).timeout();
    }

    @Override
    public String name() {
        return "proxy-protocol";
    }

    @Override
    public int maxLength() {
        return ProxyHeaderDecoder.V2_MAX;
    }

    @Override
    public Result read(ByteBuf prefix, ConnectionInfo connection) {
        Result result = ProxyHeaderDecoder.decode(prefix);
        return switch (result) {
            case Result.Absent a -> config.required()
                    ? new Result.Rejected("no PROXY header, and one is required (--proxy-protocol-required)") : a;
            case Result.Consumed c -> config.trusted().allows(connection.client())
                    ? c
                    : new Result.Rejected("PROXY header from a peer not in --proxy-protocol-trusted: "
                            + connection.client().map(Object::toString).orElse("unix"));
            case Result.NeedMore n -> n;
            case Result.Rejected r -> r;
        };
    }
}
