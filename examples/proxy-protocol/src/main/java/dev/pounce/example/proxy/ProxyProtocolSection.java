package dev.pounce.example.proxy;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.time.Duration;
import java.util.List;

/**
 * The plugin's settings, which {@code pounce} offers as flags under the title {@code PROXY protocol} and
 * {@code pounce info} lists with the values in effect:
 * <ul>
 *   <li>{@code --proxy-protocol-trusted LIST} ({@code proxy-protocol.trusted}): the addresses or CIDR blocks of the
 *       load balancers ({@code 10.0.0.0/8,192.0.2.7}; repeatable). A header from any other peer is refused and its
 *       connection closed. None given, every peer is trusted: then the port must be reachable only through the load
 *       balancer, or any client can claim any address.</li>
 *   <li>{@code --proxy-protocol-required} / {@code --no-proxy-protocol-required} ({@code proxy-protocol.required}):
 *       refuse connections without a header, as HAProxy's {@code accept-proxy} does. Default off: a connection
 *       without one is served as it came.</li>
 *   <li>{@code --proxy-protocol-timeout SECONDS} ({@code proxy-protocol.timeout}): how long a connection may take
 *       to send its whole header before it is closed; default 5.</li>
 * </ul>
 */
public final class ProxyProtocolSection implements ConfigSection<ProxyProtocolConfig> {

    /** The instance the preamble reads its settings with; any instance reads the same values. */
    static final ProxyProtocolSection SECTION = new ProxyProtocolSection();

    static final Setting<List<String>> TRUSTED = Setting.list("proxy-protocol.trusted", List.of(),
                    "an IP address or CIDR block", TrustedPeers::whyNot)
            .describe("Load balancers whose PROXY headers are believed; a header from any other peer is refused. "
                    + "None: every peer is, so the port must be reachable only through the load balancer");
    static final Setting<Boolean> REQUIRED = Setting.toggle("proxy-protocol.required", false)
            .describe("Refuse connections that do not start with a PROXY header, as HAProxy's accept-proxy does");
    static final Setting<Duration> TIMEOUT = Setting.seconds("proxy-protocol.timeout", Duration.ofSeconds(5),
                    Duration.ofMillis(1), Duration.ofHours(1))
            .describe("Time a connection may take to send its whole PROXY header; then it is closed");

    /** Called by {@link java.util.ServiceLoader}. */
    public ProxyProtocolSection() {
    }

    @Override
    public String name() {
        return "proxy-protocol";
    }

    @Override
    public String title() {
        return "PROXY protocol (dev.pounce.example.proxy)";
    }

    @Override
    public Class<ProxyProtocolConfig> type() {
        return ProxyProtocolConfig.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(TRUSTED, REQUIRED, TIMEOUT);
    }

    @Override
    public ProxyProtocolConfig build(SectionValues values) {
        return new ProxyProtocolConfig(TrustedPeers.of(values.get(TRUSTED)), values.get(REQUIRED),
                values.get(TIMEOUT));
    }
}
