package dev.pounce.runtime;

import dev.pounce.runtime.internal.plugins.Plugins;

import java.util.List;

/**
 * One plugin found on the module path (or class path).
 *
 * @param kind    {@code protocol}, {@code datagram-protocol}, {@code upgrade}, {@code takeover}, {@code preamble}, {@code middleware},
 *                {@code config}, {@code worker-strategy} or {@code lifecycle-listener}
 * @param name    the name it goes by ({@code http/1.1}, {@code websocket}, {@code thread}), or its class for listeners
 * @param module  the module it came from, or {@code unnamed} from the class path
 * @param version the module's version, or {@code unknown}
 */
public record PluginInfo(String kind, String name, String module, String version) {

    static List<PluginInfo> of(List<Plugins.Described> described) {
        return described.stream().map(d -> new PluginInfo(d.kind(), d.name(), d.module(), d.version())).toList();
    }
}
