package dev.pounce.runtime.internal;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.TransportKind;
import dev.pounce.spi.UpgradeHandler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The protocols and upgrades a configuration switches on, out of the plugins found. The one place that applies
 * {@code --no-http2}: it leaves out every protocol that answers to the ALPN id {@code h2} and every upgrade with the
 * token {@code h2c}, so HTTP/2 is offered by none of ALPN, cleartext detection (prior knowledge) or
 * {@code Upgrade: h2c}.
 *
 * @param stream   the enabled protocols that run on a byte stream, in load order
 * @param upgrades the enabled upgrade handlers, in load order
 * @param alpn     the ALPN ids to offer over TLS, most preferred first: {@code h2}, then third parties' ids,
 *                 then {@code http/1.1} (the most general last, as RFC 7301 section 3.2 has servers choose)
 */
public record EnabledProtocols(List<ProtocolHandler> stream, List<UpgradeHandler> upgrades, List<String> alpn) {

    static final String H2 = "h2";
    static final String H2C = "h2c";
    static final String HTTP_1_1 = "http/1.1";

    /**
     * @param config  the configuration
     * @param plugins what was found
     * @return what the configuration enables
     */
    public static EnabledProtocols of(ServerConfig config, Plugins plugins) {
        return of(config, plugins.protocols(), plugins.upgrades());
    }

    /**
     * @param config    the configuration
     * @param protocols the protocol handlers found, in load order
     * @param found     the upgrade handlers found, in load order
     * @return what the configuration enables
     */
    static EnabledProtocols of(ServerConfig config, List<ProtocolHandler> protocols, List<UpgradeHandler> found) {
        boolean h2 = config.http2().enabled();
        List<ProtocolHandler> stream = protocols.stream()
                .filter(p -> p.transport() == TransportKind.STREAM)
                .filter(p -> h2 || !p.alpnIds().contains(H2))
                .toList();
        List<UpgradeHandler> upgrades = found.stream()
                .filter(u -> h2 || !u.token().equalsIgnoreCase(H2C))
                .toList();
        List<String> alpn = new ArrayList<>();
        for (ProtocolHandler p : stream) {
            for (String id : p.alpnIds()) {
                if (!alpn.contains(id)) {
                    alpn.add(id);
                }
            }
        }
        alpn.sort(Comparator.comparingInt(EnabledProtocols::rank));
        return new EnabledProtocols(stream, upgrades, List.copyOf(alpn));
    }

    private static int rank(String alpnId) {
        return switch (alpnId) {
            case H2 -> 0;
            case HTTP_1_1 -> 2;
            default -> 1;
        };
    }
}
