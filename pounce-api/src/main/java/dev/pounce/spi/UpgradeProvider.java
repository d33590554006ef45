package dev.pounce.spi;

import dev.pounce.api.ServerConfig;

/**
 * Takes requests that ask to switch to a protocol of its own ({@code websocket}, or a third party's token), from any
 * origin protocol: HTTP/1.1 {@code Upgrade:} (RFC 9110 section 7.8), HTTP/2 extended CONNECT with {@code :protocol}
 * (RFC 8441), HTTP/3 extended CONNECT (RFC 9220). Found by {@link java.util.ServiceLoader} and handed to protocols
 * through {@link ConnectionContext#upgrades()}, so neither side names the other. While at least one provider is
 * enabled, HTTP/2 sends {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}.
 *
 * <p>An accepted offer becomes a {@link Tunnel}: ordered bytes both ways with the origin's own flow control, so the
 * provider frames its protocol without knowing whether a TCP connection or an HTTP/2 stream is under it. Instances
 * are shared by every connection.
 */
public interface UpgradeProvider {

    /**
     * @return the protocol token this provider takes, lower-case, as in the {@code Upgrade} header or the
     *         {@code :protocol} pseudo-header: {@code websocket}
     */
    String token();

    /**
     * Whether this configuration switches the provider on. Asked once at startup, on the thread that starts the
     * server, after the plugins' config sections are built; a provider that answers false is never offered a
     * request and does not count when HTTP/2 decides whether to send {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}.
     * Must not block.
     *
     * @param config the frozen configuration, with the provider's own section
     * @return true, unless the provider's own settings switch it off ({@code --no-ws})
     */
    default boolean enabled(ServerConfig config) {
        return true;
    }

    /**
     * Offered a request that asks for {@link #token()}. Called on the event loop by the origin protocol once the
     * request head is complete and valid, before any of it reaches the app. Must not block.
     *
     * <p>Returning true takes the offer: the provider then answers it exactly once, now or later and from any
     * thread, with {@link UpgradeOffer#accept} or {@link UpgradeOffer#deny} (for instance after the app decided), and
     * the origin holds the request until then. Returning false declines it without touching it, and the origin
     * serves the request as an ordinary one (HTTP/1.1), or answers it {@code 501} (extended CONNECT).
     *
     * @param offer the request and the means to answer it
     * @return whether the provider took the offer
     */
    boolean offer(UpgradeOffer offer);
}
