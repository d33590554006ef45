package dev.pounce.cli;

import dev.pounce.runtime.PluginInfo;

import java.util.List;

/**
 * The protocols Pounce ships as plugins, so that {@code pounce info} can say which are absent and which jar brings
 * each. The runtime knows no protocol id; this list is the command's, for people reading its output.
 */
final class WellKnownProtocols {

    /**
     * One protocol.
     *
     * @param id   the name of the protocol plugin or the upgrade token that shows it is present: its ALPN id
     *             ({@code http/1.1}, {@code h2}, {@code h3}) or its token ({@code websocket})
     * @param hint what it is and how to add it
     */
    private record Known(String id, String hint) {
    }

    private static final List<Known> ALL = List.of(
            new Known("http/1.1", "HTTP/1.1 (add pounce-h1, module dev.pounce.h1)"),
            new Known("h2", "HTTP/2 (add pounce-h2, module dev.pounce.h2)"),
            new Known("h3", "HTTP/3 (add pounce-h3, module dev.pounce.h3)"),
            new Known("websocket", "WebSocket (add pounce-ws, module dev.pounce.ws)"));

    private WellKnownProtocols() {
    }

    /**
     * @param plugins the plugins found
     * @return a line for each well-known protocol that no protocol or upgrade plugin among them serves
     */
    static List<String> absent(List<PluginInfo> plugins) {
        return ALL.stream().filter(k -> plugins.stream().noneMatch(p -> serves(p, k.id()))).map(Known::hint).toList();
    }

    private static boolean serves(PluginInfo plugin, String id) {
        return switch (plugin.kind()) {
            case "protocol", "datagram-protocol" -> plugin.name().equals(id);
            // Upgrade tokens are case-insensitive (RFC 9110 section 7.8).
            case "upgrade" -> plugin.name().equalsIgnoreCase(id);
            default -> false;
        };
    }
}
