package dev.pounce.runtime.internal.worker;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The accept distributor: one listener on its own event loop ({@code pounce-acceptor}) that hands each accepted
 * connection to the next joined worker's loop in turn. Used where workers cannot each bind the port with
 * {@code SO_REUSEPORT}: a Unix domain socket, a platform without it, or {@code --no-reuse-port}.
 */
public final class SharedAcceptor {

    private final ServerConfig config;
    private final Transport transport;
    private final BindTarget target;
    private final WorkerLoopGroup workers = new WorkerLoopGroup();
    private final Map<EventLoop, ConnectionSetup> setups = new ConcurrentHashMap<>();
    private MultiThreadIoEventLoopGroup group;
    private Channel listener;

    /**
     * @param config    the frozen config
     * @param transport the socket transport
     * @param target    where to listen
     */
    public SharedAcceptor(ServerConfig config, Transport transport, BindTarget target) {
        this.config = config;
        this.transport = transport;
        this.target = target;
    }

    /**
     * Binds the listener; connections wait in the backlog until a worker joins.
     *
     * @throws BindException if the address is in use
     * @throws InterruptedException if interrupted
     */
    public void bind() throws BindException, InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, Threads.acceptor(), transport.ioHandlers().get());
        var b = new ServerBootstrap()
                .group(group, workers)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ConnectionSetup setup = setups.get(ch.eventLoop());
                        if (setup == null) {
                            ch.close();
                        } else {
                            setup.initChannel(ch);
                        }
                    }
                });
        SocketAddress address;
        if (target.uds().isPresent()) {
            b.channelFactory(() -> (ServerChannel) transport.domainServer().get());
            address = transport.domainAddress().apply(target.uds().get());
        } else {
            b.channelFactory(() -> transport.tcpServer().get()).option(ChannelOption.SO_REUSEADDR, true);
            address = target.tcp();
        }
        var future = b.bind(address).await();
        if (!future.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new BindException(EventLoopWorker.describe(address) + " is in use or cannot be bound: "
                    + future.cause().getMessage());
        }
        listener = future.channel();
        if (listener.localAddress() instanceof InetSocketAddress actual) {
            target.bound(actual);
        }
    }

    void join(EventLoop loop, ConnectionSetup setup) {
        setups.put(loop, setup);
        workers.add(loop);
    }

    void leave(EventLoop loop) {
        workers.remove(loop);
        setups.remove(loop);
        if (workers.isEmpty()) {
            close();
        }
    }

    /** Stops accepting and stops the acceptor's loop. */
    public void close() {
        if (listener != null) {
            listener.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
