package dev.pounce.runtime.internal.plugins;

import dev.pounce.api.ServerConfig;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.StreamProtocol;
import dev.pounce.spi.UpgradeProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The protocols a configuration switches on, out of the plugins found: each protocol is asked
 * ({@link ProtocolHandler#enabled}), so the runtime knows no protocol by its id, and the ALPN list is ordered by
 * each protocol's own {@link ProtocolHandler#preference()}.
 *
 * @param stream       the enabled protocols on byte streams, in load order
 * @param datagram     the enabled protocols on datagrams, in load order
 * @param upgrades     the upgrade providers the configuration switches on ({@link UpgradeProvider#enabled}), in load
 *                     order: the only ones a connection is offered, so HTTP/2 counts only these for
 *                     {@code SETTINGS_ENABLE_CONNECT_PROTOCOL}
 * @param takeovers    the connection takeovers
 * @param alpn         the ALPN ids to offer over TLS on TCP, most preferred first (RFC 7301 section 3.2)
 * @param datagramAlpn the ALPN ids of the datagram protocols, most preferred first
 */
public record EnabledProtocols(List<StreamProtocol> stream, List<DatagramProtocol> datagram,
                               List<UpgradeProvider> upgrades, List<ConnectionTakeover> takeovers,
                               List<String> alpn, List<String> datagramAlpn) {

    /**
     * @param config  the configuration, its plugin sections built
     * @param plugins what was found
     * @return what the configuration enables
     */
    public static EnabledProtocols of(ServerConfig config, Plugins plugins) {
        return of(config, plugins.protocols(), plugins.upgrades(), plugins.takeovers());
    }

    static EnabledProtocols of(ServerConfig config, List<ProtocolHandler> protocols, List<UpgradeProvider> upgrades,
                               List<ConnectionTakeover> takeovers) {
        List<StreamProtocol> stream = new ArrayList<>();
        List<DatagramProtocol> datagram = new ArrayList<>();
        for (ProtocolHandler p : protocols) {
            if (!p.enabled(config)) {
                continue;
            }
            switch (p) {
                case StreamProtocol s -> stream.add(s);
                case DatagramProtocol d -> datagram.add(d);
            }
        }
        List<UpgradeProvider> enabledUpgrades = upgrades.stream().filter(u -> u.enabled(config)).toList();
        return new EnabledProtocols(List.copyOf(stream), List.copyOf(datagram), enabledUpgrades, takeovers,
                alpn(stream), alpn(datagram));
    }

    private static List<String> alpn(List<? extends ProtocolHandler> protocols) {
        List<String> ids = new ArrayList<>();
        // A stable sort: protocols of equal rank keep their load order.
        protocols.stream().sorted(Comparator.comparingInt(ProtocolHandler::preference).reversed())
                .forEach(p -> p.alpnIds().forEach(id -> {
                    if (!ids.contains(id)) {
                        ids.add(id);
                    }
                }));
        return List.copyOf(ids);
    }
}
