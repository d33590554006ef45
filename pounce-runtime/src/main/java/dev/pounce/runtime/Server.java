package dev.pounce.runtime;

import dev.pounce.api.App;
import dev.pounce.api.LifecycleListener;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.Plugins;
import dev.pounce.runtime.internal.ServerRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
        return new Builder(app, config);
    }

    /**
     * Every plugin found by {@link java.util.ServiceLoader}, for {@code pounce check} and {@code pounce info}.
     *
     * @return the plugins, protocols first
     */
    public static List<PluginInfo> plugins() {
        return Plugins.load().describe();
    }

    /**
     * Checks what can be checked without serving: protocol plugins are present, the worker strategy and transport
     * exist, and the TCP port (or socket path) can be bound.
     *
     * @param config the configuration to check
     * @throws ServerStartException naming the first problem
     */
    public static void preflight(ServerConfig config) throws ServerStartException {
        ServerRuntime.preflight(config, Plugins.load());
    }

    /** Collects what a server needs besides its config. */
    public static final class Builder {
        private final App app;
        private final ServerConfig config;
        private final List<LifecycleListener> listeners = new ArrayList<>();

        private Builder(App app, ServerConfig config) {
            this.app = Objects.requireNonNull(app, "app");
            this.config = Objects.requireNonNull(config, "config");
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
            return ServerRuntime.start(app, config, Plugins.load(), listeners);
        }

        /**
         * Starts the server, handles SIGTERM and SIGINT (the first drains gracefully, a second exits at once), and
         * blocks until it stops. This is what the {@code pounce} command does.
         *
         * @return the exit status: 0 after a graceful stop, 1 otherwise
         * @throws ServerStartException with a one-line reason if it cannot serve
         */
        public int run() throws ServerStartException {
            return ServerRuntime.run(start());
        }
    }
}
