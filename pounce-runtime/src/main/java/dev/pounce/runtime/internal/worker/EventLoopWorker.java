package dev.pounce.runtime.internal.worker;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.runtime.internal.bridge.HttpBridge;
import dev.pounce.runtime.internal.threads.AppThreads;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.spi.Worker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker in this JVM: one event loop thread ({@code pounce-worker-N}), its own listener or a place in the shared
 * acceptor's rotation, its connections and its bridge. Draining closes the listener, tells every connection to
 * drain, and stops the loop when the last connection is gone.
 */
public final class EventLoopWorker implements Worker {

    private static final Logger LOG = LoggerFactory.getLogger("pounce");

    private final WorkerIdentity identity;
    private final WorkerServices services;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Connections connections = new Connections(this::onLastConnectionClosed);
    private volatile boolean draining;
    /** Set by a shutdown drain: the listener stays open and new connections get the drain 503. */
    private volatile boolean lateArrivals;
    /** The gate in front of this worker's own listener; touched on the event loop. */
    private LateArrivals gate;
    private volatile String stopReason = "shutdown";
    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private Channel listener;
    private HttpBridge bridge;
    private volatile Optional<String> failure = Optional.empty();

    /**
     * @param identity the worker's slot and generation
     * @param services what all workers share
     */
    public EventLoopWorker(WorkerIdentity identity, WorkerServices services) {
        this.identity = identity;
        this.services = services;
    }

    @Override
    public WorkerIdentity identity() {
        return identity;
    }

    @Override
    public void start() throws Exception {
        var config = services.config();
        var transport = services.transport();
        group = new MultiThreadIoEventLoopGroup(1, Threads.worker(identity.id()), transport.ioHandlers().get());
        loop = group.next();
        group.terminationFuture().addListener(f -> {
            if (!draining) {
                stopReason = "the event loop ended unexpectedly";
                failure = Optional.of(stopReason);
            }
            services.events().publish(new LifecycleEvent.WorkerStopped(identity, stopReason));
            terminated.complete(null);
        });
        bridge = new HttpBridge(services.app(), config, identity, services.state(), services.events(),
                AppThreads.forWorker(config.dispatch(), loop, identity.id()),
                () -> drain("max-requests"));
        var setup = new ConnectionSetup(config, identity, bridge, services.streamProtocols(), services.upgrades(),
                connections, () -> draining, services.tls(), services.preambles());
        try {
            if (services.acceptor().isPresent()) {
                services.acceptor().get().join(loop, setup);
            } else {
                listener = bind(setup);
            }
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        services.events().publish(new LifecycleEvent.WorkerStarted(identity));
    }

    private Channel bind(ConnectionSetup setup) throws Exception {
        var config = services.config();
        var transport = services.transport();
        var b = new ServerBootstrap()
                .group(loop)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(gate = new LateArrivals(setup, () -> lateArrivals, services.tls().isPresent()));
        SocketAddress address;
        if (services.target().uds().isPresent()) {
            b.channelFactory(() -> (ServerChannel) transport.domainServer().get());
            address = transport.domainAddress().apply(services.target().uds().get());
        } else {
            b.channelFactory(() -> transport.tcpServer().get());
            b.option(ChannelOption.SO_REUSEADDR, true);
            if (services.reusePort()) {
                transport.reusePort().ifPresent(opt -> b.option(opt, true));
            }
            address = services.target().tcp();
        }
        var future = b.bind(address).await();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw new BindException(describe(address) + " is in use");
            }
            throw new BindException("cannot listen on " + describe(address) + ": " + cause.getMessage());
        }
        Channel ch = future.channel();
        if (ch.localAddress() instanceof InetSocketAddress actual) {
            services.target().bound(actual);
        }
        return ch;
    }

    static String describe(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? "port " + inet.getPort() + " on " + inet.getHostString()
                : "socket " + address;
    }

    /**
     * Runs a task on this worker's event loop thread now and then every period, until the loop stops. The task must
     * be tiny: it delays every connection of the worker while it runs. A process worker's heartbeat uses it to learn
     * whether the loop still turns.
     *
     * @param period how often
     * @param task   what to run; an exception it throws ends the repetition
     */
    public void onLoopEvery(Duration period, Runnable task) {
        if (!loop.isShuttingDown()) {
            try {
                loop.scheduleAtFixedRate(task, 0, period.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop stopped between the check and the call: there is nothing left to probe.
            }
        }
    }

    /** @return the bridge serving this worker's requests, for counters */
    public HttpBridge bridge() {
        return bridge;
    }

    @Override
    public void drain(String reason) {
        if (draining || loop == null) {
            return;
        }
        draining = true;
        stopReason = reason;
        LOG.debug("worker {} draining ({})", identity.id(), reason);
        onLoop(() -> {
            // A shutdown keeps its own listener open to answer late arrivals; it closes with the loop.
            if (listener != null && !lateArrivals) {
                listener.close();
            }
            services.acceptor().ifPresent(a -> a.leave(loop));
            connections.drainAll();
            if (connections.count() == 0) {
                stopLoop();
            }
        });
    }

    @Override
    public void drainForShutdown(String reason) {
        lateArrivals = listener != null;
        drain(reason);
    }

    @Override
    public Optional<String> failure() {
        return failure;
    }

    private void onLastConnectionClosed() {
        if (draining) {
            stopLoop();
        }
    }

    /**
     * Closes the listener, then stops the loop. The listener is closed here and not left to the loop's shutdown:
     * Netty 4.2 only cancels registrations when a loop is destroyed, which leaves the listening socket open and the
     * port taken after the server has stopped.
     */
    private void stopLoop() {
        if (listener != null && listener.isOpen()) {
            listener.close().addListener(f -> finishLoop());
        } else {
            finishLoop();
        }
    }

    /** After the listener is closed, so nothing new arrives: late arrivals still waiting are closed, then the loop. */
    private void finishLoop() {
        if (gate != null) {
            gate.closeAll();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }


    @Override
    public void stop() {
        if (loop == null) {
            terminated.complete(null);
            return;
        }
        draining = true;
        onLoop(() -> {
            if (listener != null) {
                listener.close();
            }
            services.acceptor().ifPresent(a -> a.leave(loop));
            connections.closeAll();
            stopLoop();
        });
    }

    private void onLoop(Runnable task) {
        if (!loop.isShuttingDown()) {
            try {
                loop.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The loop stopped between the check and the call: nothing left to do on it.
            }
        }
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    @Override
    public int activeConnections() {
        return connections.count();
    }
}
