package dev.pounce.runtime;

import dev.pounce.api.App;
import dev.pounce.api.ConfigSection;
import dev.pounce.api.LifecycleListener;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.plugins.Plugins;
import dev.pounce.runtime.internal.Preflight;
import dev.pounce.runtime.internal.ServerRuntime;
import dev.pounce.runtime.internal.ServerStart;
import dev.pounce.runtime.internal.failure.StartFailure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds and starts a Pounce server: validate and freeze config, find the plugins, pick the transport (epoll,
 * io_uring or NIO), bind, run lifespan startup, serve; and on shutdown drain, run lifespan shutdown and release.
 */
public final class Server {

    private Server() {
    }

    /**
     * @param app    the application
     * @param config the frozen configuration
     * @return a builder
     */
    public static Builder builder(App app, ServerConfig config) {
        return new Builder(Optional.of(Objects.requireNonNull(app, "app")), Optional.empty(), config);
    }

    /**
     * A server for an app given by name, which can therefore be loaded again: by {@code process} workers in their
     * own JVMs, and by a rolling reload in a fresh class loader so that changed code is served.
     *
     * @param app    how to find the application
     * @param config the frozen configuration
     * @return a builder
     */
    public static Builder builder(AppReference app, ServerConfig config) {
        return new Builder(Optional.empty(), Optional.of(Objects.requireNonNull(app, "app")), config);
    }

    /**
     * Every plugin found by {@link java.util.ServiceLoader}, for {@code pounce check} and {@code pounce info}.
     *
     * @return the plugins, protocols first
     */
    public static List<PluginInfo> plugins() {
        return PluginInfo.of(Plugins.load().describe());
    }

    /**
     * The config sections of every plugin found, so that a command line or a config file can offer their settings.
     * Finding them creates no logger.
     *
     * @return the sections, in load order
     */
    public static List<ConfigSection<?>> configSections() {
        return Plugins.load().sections();
    }

    /**
     * Checks what can be checked without serving: the plugins' settings are valid, protocol plugins are present and
     * enabled, TLS loads, the worker strategy and transport exist, and the TCP port (or socket path) can be bound.
     *
     * @param config the configuration to check
     * @throws ServerStartException naming the first problem
     */
    public static void preflight(ServerConfig config) throws ServerStartException {
        try {
            Preflight.check(config, Plugins.load());
        } catch (StartFailure e) {
            throw new ServerStartException(e.getMessage(), e.getCause());
        }
    }

    /** Collects what a server needs besides its config. */
    public static final class Builder {
        private final Optional<App> app;
        private final Optional<AppReference> reference;
        private final ServerConfig config;
        private final List<LifecycleListener> listeners = new ArrayList<>();
        private Optional<List<Path>> reloadDirs = Optional.empty();

        private Builder(Optional<App> app, Optional<AppReference> reference, ServerConfig config) {
            this.app = app;
            this.reference = reference;
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Reloads on change, for development ({@code --reload}): every second the app's jar or classes folder and
         * these folders are scanned, and a change starts a rolling reload.
         *
         * @param extraDirs folders to watch besides the app's code ({@code --reload-dir})
         * @return this builder
         */
        public Builder reloadOnChange(List<Path> extraDirs) {
            reloadDirs = Optional.of(List.copyOf(extraDirs));
            return this;
        }

        /**
         * Adds a lifecycle listener besides those found by {@link java.util.ServiceLoader}.
         *
         * @param listener called with each event
         * @return this builder
         */
        public Builder listener(LifecycleListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Starts the server and returns once every worker is serving.
         *
         * @return the running server
         * @throws ServerStartException with a one-line reason if it cannot serve
         */
        public ServerHandle start() throws ServerStartException {
            return new RunningServer(startRuntime(false));
        }

        private ServerRuntime startRuntime(boolean handleSignals) throws ServerStartException {
            try {
                return ServerStart.start(app, reference.map(r -> r.spec().orElse("")), config, Plugins.load(),
                        listeners, reloadDirs, handleSignals);
            } catch (StartFailure e) {
                throw new ServerStartException(e.getMessage(), e.getCause());
            }
        }

        /**
         * Starts the server, handles SIGTERM and SIGINT (the first drains gracefully, a second exits at once) and
         * SIGHUP (a rolling reload), and blocks until it stops. This is what the {@code pounce} command does.
         *
         * @return the exit status: 0 after a graceful stop, 1 otherwise
         * @throws ServerStartException with a one-line reason if it cannot serve
         */
        public int run() throws ServerStartException {
            return ServerRuntime.run(startRuntime(true));
        }
    }
}
