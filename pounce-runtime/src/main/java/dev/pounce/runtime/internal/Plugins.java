package dev.pounce.runtime.internal;

import dev.pounce.api.LifecycleListener;
import dev.pounce.spi.ConnectionPreamble;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.UpgradeHandler;
import dev.pounce.spi.WorkerStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param protocols  protocol handlers, in load order
 * @param upgrades   upgrade handlers
 * @param strategies worker strategies
 * @param listeners  lifecycle listeners
 * @param preambles  connection preambles (such as the PROXY protocol), in load order
 * @param broken     one line per provider or plugin jar that failed to load
 */
public record Plugins(List<ProtocolHandler> protocols, List<UpgradeHandler> upgrades,
                      List<WorkerStrategy> strategies, List<LifecycleListener> listeners,
                      List<ConnectionPreamble> preambles, List<String> broken) {

    /** Protocols people expect, by the ALPN id or upgrade token that shows one is present, and the jar to add. */
    private static final Map<String, String> WELL_KNOWN = wellKnown();

    private static final Logger LOG = LoggerFactory.getLogger("pounce");

    /**
     * @return the plugins visible to the runtime's class loader (the module path and the class path), then those
     *         in the folders named by {@link PluginLayer#PROPERTY}
     */
    public static Plugins load() {
        PluginLayer layer = PluginLayer.configured();
        List<String> broken = new ArrayList<>(layer.broken());
        return new Plugins(
                load(ProtocolHandler.class, layer, broken),
                load(UpgradeHandler.class, layer, broken),
                load(WorkerStrategy.class, layer, broken),
                load(LifecycleListener.class, layer, broken),
                load(ConnectionPreamble.class, layer, broken),
                List.copyOf(broken));
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
     * @param kind    protocol, upgrade, preamble, worker-strategy or lifecycle-listener
     * @param name    the name it goes by
     * @param module  its module, or {@code unnamed}
     * @param version its module's version, or {@code unknown}
     */
    public record Described(String kind, String name, String module, String version) {
    }

    /** @return each plugin as a line for people, protocols first */
    public List<Described> describe() {
        List<Described> out = new ArrayList<>();
        add(out, "protocol", protocols, ProtocolHandler::name);
        add(out, "upgrade", upgrades, UpgradeHandler::token);
        add(out, "worker-strategy", strategies, WorkerStrategy::name);
        add(out, "lifecycle-listener", listeners, l -> l.getClass().getName());
        add(out, "preamble", preambles, ConnectionPreamble::name);
        return out;
    }

    /**
     * @return one line per well-known protocol no plugin provides, such as
     *         {@code HTTP/2 (add pounce-h2, module dev.pounce.h2)}
     */
    public List<String> absentWellKnown() {
        List<String> absent = new ArrayList<>();
        WELL_KNOWN.forEach((id, what) -> {
            boolean present = protocols.stream().anyMatch(p -> p.alpnIds().contains(id))
                    || upgrades.stream().anyMatch(u -> u.token().equalsIgnoreCase(id));
            if (!present) {
                absent.add(what);
            }
        });
        return absent;
    }

    /** Logs each plugin once, each broken one as a warning, and which well-known protocols are absent. */
    public void log() {
        for (Described p : describe()) {
            LOG.info("plugin {} {} ({} {})", p.kind(), p.name(), p.module(), p.version());
        }
        for (String b : broken) {
            LOG.warn("plugin skipped, it failed to load: {}", b);
        }
        for (String a : absentWellKnown()) {
            LOG.info("absent: {}", a);
        }
    }

    private static Map<String, String> wellKnown() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("http/1.1", "HTTP/1.1 (add pounce-h1, module dev.pounce.h1)");
        m.put("h2", "HTTP/2 (add pounce-h2, module dev.pounce.h2)");
        m.put("h3", "HTTP/3 (add pounce-h3, module dev.pounce.h3)");
        m.put("websocket", "WebSocket (add pounce-ws, module dev.pounce.ws)");
        return m;
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
