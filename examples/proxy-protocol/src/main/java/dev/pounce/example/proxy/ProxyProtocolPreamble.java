package dev.pounce.example.proxy;

import dev.pounce.spi.ConnectionInfo;
import dev.pounce.spi.ConnectionPreamble;
import io.netty.buffer.ByteBuf;

/**
 * The PROXY protocol as a {@link ConnectionPreamble}: decodes a v1 or v2 header at the start of a connection and
 * gives the connection the client and server it names. Two system properties (set through
 * {@code POUNCE_JAVA_OPTS}) say whose headers to take:
 * <ul>
 *   <li>{@code pounce.proxy-protocol.trusted}: comma-separated addresses or CIDR blocks of the load balancers
 *       ({@code 10.0.0.0/8,192.0.2.7}). A header from any other peer is refused and its connection closed. Unset,
 *       every peer is trusted: then the port must be reachable only through the load balancer, or any client can
 *       claim any address.</li>
 *   <li>{@code pounce.proxy-protocol.required}: {@code true} to refuse connections without a header, as HAProxy's
 *       {@code accept-proxy} does. Default {@code false}: a connection without one is served as it came.</li>
 * </ul>
 */
public final class ProxyProtocolPreamble implements ConnectionPreamble {

    private final TrustedPeers trusted;
    private final boolean required;

    /** Reads the two system properties; called once by {@link java.util.ServiceLoader}. */
    public ProxyProtocolPreamble() {
        this(TrustedPeers.parse(System.getProperty("pounce.proxy-protocol.trusted", "")),
                Boolean.getBoolean("pounce.proxy-protocol.required"));
    }

    ProxyProtocolPreamble(TrustedPeers trusted, boolean required) {
        this.trusted = trusted;
        this.required = required;
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
            case Result.Absent a -> required ? new Result.Rejected("no PROXY header, and one is required") : a;
            case Result.Consumed c -> trusted.allows(connection.client())
                    ? c
                    : new Result.Rejected("PROXY header from untrusted peer "
                            + connection.client().map(Object::toString).orElse("unix"));
            case Result.NeedMore n -> n;
            case Result.Rejected r -> r;
        };
    }
}
