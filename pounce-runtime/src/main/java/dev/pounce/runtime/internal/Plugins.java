package dev.pounce.runtime.internal;

import dev.pounce.api.LifecycleListener;
import dev.pounce.runtime.PluginInfo;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.UpgradeHandler;
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
 * Every plugin found by {@link ServiceLoader}, loaded once. A provider that fails to load is logged by name and
 * skipped; it never stops the others (as Jetty's {@code TypeUtil.serviceProviderStream} does).
 *
 * @param protocols  protocol handlers, in load order
 * @param upgrades   upgrade handlers
 * @param strategies worker strategies
 * @param listeners  lifecycle listeners
 * @param broken     one line per provider that failed to load
 */
public record Plugins(List<ProtocolHandler> protocols, List<UpgradeHandler> upgrades,
                      List<WorkerStrategy> strategies, List<LifecycleListener> listeners, List<String> broken) {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");

    /** @return the plugins visible to the runtime's class loader: the module path and the class path */
    public static Plugins load() {
        List<String> broken = new ArrayList<>();
        return new Plugins(
                load(ProtocolHandler.class, broken),
                load(UpgradeHandler.class, broken),
                load(WorkerStrategy.class, broken),
                load(LifecycleListener.class, broken),
                List.copyOf(broken));
    }

    private static <T> List<T> load(Class<T> type, List<String> broken) {
        List<T> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<T>> it = ServiceLoader.load(type, Plugins.class.getClassLoader())
                .stream().iterator();
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
            try {
                found.add(provider.get());
            } catch (Throwable t) {
                broken.add(type.getSimpleName() + " " + provider.type().getName() + " from "
                        + moduleOf(provider.type()) + ": " + t);
            }
        }
        return List.copyOf(found);
    }

    /**
     * @param name a strategy name, lower-case
     * @return the strategy of that name
     */
    public Optional<WorkerStrategy> strategy(String name) {
        return strategies.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** @return each plugin as a line for people, protocols first */
    public List<PluginInfo> describe() {
        List<PluginInfo> out = new ArrayList<>();
        add(out, "protocol", protocols, ProtocolHandler::name);
        add(out, "upgrade", upgrades, UpgradeHandler::token);
        add(out, "worker-strategy", strategies, WorkerStrategy::name);
        add(out, "lifecycle-listener", listeners, l -> l.getClass().getName());
        return out;
    }

    /** Logs each plugin once, and each broken one as a warning. */
    public void log() {
        for (PluginInfo p : describe()) {
            LOG.info("plugin {} {} ({} {})", p.kind(), p.name(), p.module(), p.version());
        }
        for (String b : broken) {
            LOG.warn("plugin skipped, it failed to load: {}", b);
        }
    }

    private static <T> void add(List<PluginInfo> out, String kind, List<T> items, Function<T, String> name) {
        for (T item : items) {
            Class<?> c = item.getClass();
            out.add(new PluginInfo(kind, name.apply(item), moduleOf(c), versionOf(c)));
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
