package dev.pounce.runtime.internal.plugins;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.LifecycleListener;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.spi.ConnectionTakeover;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.MiddlewareProvider;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.StreamProtocol;
import dev.pounce.spi.UpgradeProvider;
import dev.pounce.spi.WorkerStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Every plugin found by {@link ServiceLoader}, loaded once: first those the runtime's class loader sees (the
 * module path, or the class path in tests and with the testing kit), then those in the plugin folders' layer
 * ({@link PluginLayer}). A provider that fails to load, or a plugin jar that cannot be resolved, is logged by name
 * and skipped; it never stops the others (as Jetty's {@code TypeUtil.serviceProviderStream} does).
 *
 * <p>Loading creates no logger, so the {@code pounce} command can read the plugins' settings (to build its flags)
 * before it sets up logging; {@link #log()} logs what was found.
 *
 * @param protocols  protocol handlers, in load order
 * @param upgrades   upgrade providers (WebSocket, a third party's token)
 * @param takeovers  connection takeovers ({@code h2c})
 * @param strategies worker strategies
 * @param listeners  lifecycle listeners
 * @param preambles  connection preambles (such as the PROXY protocol), in load order
 * @param sections   the plugins' config sections
 * @param broken     one line per provider or plugin jar that failed to load
 * @param middleware middleware providers (the built-in CORS and security headers, a third party's), in load order
 */
public record Plugins(List<ProtocolHandler> protocols, List<UpgradeProvider> upgrades,
                      List<ConnectionTakeover> takeovers, List<WorkerStrategy> strategies,
                      List<LifecycleListener> listeners, List<ConnectionPreamble> preambles,
                      List<ConfigSection<?>> sections, List<String> broken, List<MiddlewareProvider> middleware) {

    /**
     * @return the plugins visible to the runtime's class loader (the module path and the class path), then those
     *         in the folders named by {@link PluginLayer#PROPERTY}
     */
    public static Plugins load() {
        PluginLayer layer = PluginLayer.configured();
        List<String> broken = new ArrayList<>(layer.broken());
        List<MiddlewareProvider> middleware = load(MiddlewareProvider.class, layer, broken);
        return new Plugins(
                load(ProtocolHandler.class, layer, broken),
                load(UpgradeProvider.class, layer, broken),
                load(ConnectionTakeover.class, layer, broken),
                load(WorkerStrategy.class, layer, broken),
                load(LifecycleListener.class, layer, broken),
                load(ConnectionPreamble.class, layer, broken),
                sections(layer, broken),
                List.copyOf(broken),
                middleware);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<ConfigSection<?>> sections(PluginLayer layer, List<String> broken) {
        List<ConfigSection> found = load(ConfigSection.class, layer, broken);
        List<ConfigSection<?>> out = new ArrayList<>();
        for (ConfigSection<?> s : found) {
            if (out.stream().anyMatch(o -> o.name().equals(s.name()))) {
                broken.add("ConfigSection " + s.getClass().getName() + " from " + moduleOf(s.getClass())
                        + ": the section name '" + s.name() + "' is taken by another plugin");
            } else {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    private static <T> List<T> load(Class<T> type, PluginLayer layer, List<String> broken) {
        List<T> found = new ArrayList<>();
        load(ServiceLoader.load(type, Plugins.class.getClassLoader()), type, found, broken, m -> true);
        // ServiceLoader over a layer also walks its parents; take only the providers the layer itself adds.
        layer.layer().ifPresent(l -> load(ServiceLoader.load(l, type), type, found, broken,
                m -> m.getLayer() == l));
        return List.copyOf(found);
    }

    private static <T> void load(ServiceLoader<T> loader, Class<T> type, List<T> found, List<String> broken,
                                 java.util.function.Predicate<Module> take) {
        Iterator<ServiceLoader.Provider<T>> it = loader.stream().iterator();
        while (true) {
            ServiceLoader.Provider<T> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                broken.add(type.getSimpleName() + ": " + e.getMessage());
                continue;
            }
            if (!take.test(provider.type().getModule())) {
                continue;
            }
            try {
                found.add(provider.get());
            } catch (Throwable t) {
                broken.add(type.getSimpleName() + " " + provider.type().getName() + " from "
                        + moduleOf(provider.type()) + ": " + t);
            }
        }
    }

    /**
     * @param name a strategy name, lower-case
     * @return the strategy of that name
     */
    public Optional<WorkerStrategy> strategy(String name) {
        return strategies.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * One plugin as people see it; the entry package turns it into its public {@code PluginInfo}.
     *
     * @param kind    protocol, datagram-protocol, upgrade, takeover, preamble, middleware, config, worker-strategy or
     *                lifecycle-listener
     * @param name    the name it goes by: a protocol's name, an upgrade's token, a section's name
     * @param module  its module, or {@code unnamed}
     * @param version its module's version, or {@code unknown}
     */
    public record Described(String kind, String name, String module, String version) {
    }

    /** @return each plugin as a line for people, protocols first */
    public List<Described> describe() {
        List<Described> out = new ArrayList<>();
        add(out, "protocol", protocols.stream().filter(p -> p instanceof StreamProtocol).toList(),
                ProtocolHandler::name);
        add(out, "datagram-protocol", protocols.stream().filter(p -> p instanceof DatagramProtocol).toList(),
                ProtocolHandler::name);
        add(out, "upgrade", upgrades, UpgradeProvider::token);
        add(out, "takeover", takeovers, ConnectionTakeover::token);
        add(out, "preamble", preambles, ConnectionPreamble::name);
        add(out, "middleware", middleware, MiddlewareProvider::name);
        add(out, "config", sections, ConfigSection::name);
        add(out, "worker-strategy", strategies, WorkerStrategy::name);
        add(out, "lifecycle-listener", listeners, l -> l.getClass().getName());
        return out;
    }

    /** Logs each plugin once on {@code pounce.plugins}, each broken one as a warning. */
    public void log() {
        Logger log = LoggerFactory.getLogger(LogNames.PLUGINS);
        for (Described p : describe()) {
            log.info("plugin {} {} ({} {})", p.kind(), p.name(), p.module(), p.version());
        }
        for (String b : broken) {
            log.warn("plugin skipped, it failed to load: {}", b);
        }
    }

    private static <T> void add(List<Described> out, String kind, List<T> items, Function<T, String> name) {
        for (T item : items) {
            Class<?> c = item.getClass();
            out.add(new Described(kind, name.apply(item), moduleOf(c), versionOf(c)));
        }
    }

    private static String moduleOf(Class<?> c) {
        Module m = c.getModule();
        return m.isNamed() ? m.getName() : "unnamed";
    }

    private static String versionOf(Class<?> c) {
        Module m = c.getModule();
        if (m.isNamed() && m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()) {
            return m.getDescriptor().rawVersion().get();
        }
        String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
