package dev.pounce.runtime;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.plugins.Plugins;
import dev.pounce.runtime.internal.transport.Transport;
import dev.pounce.spi.ProtocolHandler;

import java.util.List;
import java.util.Optional;

/**
 * What a server would run with, for {@code pounce info}: the plugins found, the ones skipped, their settings, the
 * Java runtime, the transport detected and the worker strategy and count the configuration
 * resolves to. Made without binding a port or loading the app.
 *
 * @param java         the Java runtime: version, vendor and VM
 * @param plugins      every plugin found, protocols first
 * @param skipped      one line per plugin that failed to load, naming it and why
 * @param transport    the socket transport {@code --transport} resolves to here ({@code epoll}, {@code io_uring},
 *                     {@code nio}), or why it is unavailable
 * @param workers      the number of workers {@code --workers} resolves to
 * @param strategy     the worker strategy that will host them: {@code single} for one worker (no supervisor), else
 *                     the strategy's name, or why it is unavailable
 * @param settings     each plugin section's settings and the values in effect
 * @param protocols    each protocol plugin: whether the configuration switches it on and whether it can run here
 *                     (asking loads what a protocol needs, such as HTTP/3's native QUIC library)
 */
public record ServerInfo(String java, List<PluginInfo> plugins, List<String> skipped, String transport, int workers,
                         String strategy, List<SettingInfo> settings, List<ProtocolInfo> protocols) {

    /**
     * Finds the plugins and resolves the configuration's transport and workers.
     *
     * @param given the configuration
     * @return what the server would run with
     * @throws dev.pounce.api.ConfigException if a plugin setting is out of range or no plugin owns it
     */
    public static ServerInfo of(ServerConfig given) {
        Plugins plugins = Plugins.load();
        ServerConfig config = given.withSections(plugins.sections());
        String transport;
        try {
            transport = Transport.select(config.transport()).name();
        } catch (IllegalStateException e) {
            transport = "unavailable: " + e.getMessage();
        }
        int workers = config.resolvedWorkers();
        String name = config.workerStrategy().equals("auto") ? "thread" : config.workerStrategy();
        String strategy;
        if (plugins.strategy(name).isEmpty()) {
            strategy = "unavailable: no worker strategy plugin named '" + config.workerStrategy() + "'";
        } else {
            strategy = workers == 1 ? "single" : name;
        }
        String java = Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
                + System.getProperty("java.vm.name", "unknown VM") + ")";
        List<ProtocolInfo> protocols = plugins.protocols().stream()
                .map(p -> new ProtocolInfo(p.name(), moduleOf(p.getClass()), p.enabled(config), unavailable(p)))
                .toList();
        return new ServerInfo(java, PluginInfo.of(plugins.describe()), plugins.broken(), transport, workers, strategy,
                plugins.sections().stream().map(s -> SettingInfo.of(s, config)).toList(), protocols);
    }

    /** A protocol that fails to say is as good as one that cannot run. */
    private static Optional<String> unavailable(ProtocolHandler p) {
        try {
            return p.unavailable();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(p.name() + " failed to say whether it can run: " + e);
        }
    }

    private static String moduleOf(Class<?> c) {
        return c.getModule().isNamed() ? c.getModule().getName() : "unnamed";
    }
}
