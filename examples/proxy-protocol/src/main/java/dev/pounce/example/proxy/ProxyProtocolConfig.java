package dev.pounce.example.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * The plugin's frozen settings, built once at startup by {@link ProxyProtocolSection}.
 *
 * @param trusted  the peers whose headers are believed; none given means every peer
 * @param required whether a connection without a header is refused
 * @param timeout  how long a connection may take to send its whole header
 */
record ProxyProtocolConfig(TrustedPeers trusted, boolean required, Duration timeout) {

    /** Checks that every part is present. */
    public ProxyProtocolConfig {
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(timeout, "timeout");
    }
}
