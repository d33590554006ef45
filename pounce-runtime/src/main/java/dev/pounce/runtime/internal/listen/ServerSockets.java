package dev.pounce.runtime.internal.listen;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.internal.log.LogNames;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.runtime.internal.threads.Threads;
import dev.pounce.runtime.internal.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.UnixChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every listening socket of the server, opened once at startup and closed once when it stops, and the server's own
 * event loop ({@code pounce-listener}) that binds them, keeps them while no worker accepts on them, runs the accept
 * distributor and answers late arrivals during a shutdown.
 *
 * <p>Two layouts. One socket per worker slot, each bound with {@code SO_REUSEPORT} so the kernel spreads connections
 * evenly and with no thundering herd; each slot's workers, generation after generation, accept on it. Or one shared
 * socket, whose {@link RoundRobin} hands connections to the workers in turn: for a Unix domain socket, where the
 * transport has no {@code SO_REUSEPORT}, or with {@code --no-reuse-port}.
 */
public final class ServerSockets implements AutoCloseable {

    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    /** By slot (one for a shared socket); a slot's socket closed while it was down is bound again on demand. */
    private final ServerListener[] listeners;
    private final Optional<Supplier<ServerChannel>> make;
    private final Optional<RoundRobin> rotation;
    private final Optional<InetSocketAddress> tcp;
    private boolean closed;
    /**
     * Datagram protocols' UDP sockets, by protocol: in the parent of process workers one per slot, opened once by
     * {@link #openDatagrams}; in a child the ones it adopted, unregistered until its worker takes them.
     */
    private volatile List<List<Channel>> datagrams = List.of();
    /** Whether {@link #datagrams} are a child's adopted sockets rather than the parent's. */
    private volatile boolean adoptedDatagrams;

    private ServerSockets(MultiThreadIoEventLoopGroup group, List<ServerListener> listeners,
                          Optional<Supplier<ServerChannel>> make, Optional<RoundRobin> rotation,
                          Optional<InetSocketAddress> tcp) {
        this.group = group;
        this.loop = group.next();
        this.listeners = listeners.toArray(ServerListener[]::new);
        this.make = make;
        this.rotation = rotation;
        this.tcp = tcp;
    }

    /**
     * Whether workers get a socket each: on TCP, with one worker, or with {@code SO_REUSEPORT} allowed and available.
     *
     * @param config    the configuration
     * @param transport the transport
     * @param workers   how many worker slots
     * @return true for one socket per slot, false for one shared socket
     */
    public static boolean perSlot(ServerConfig config, Transport transport, int workers) {
        return config.uds().isEmpty() && (workers == 1 || config.reusePort() && transport.reusePort().isPresent());
    }

    /**
     * Binds the server's sockets, reading off until a worker takes them.
     *
     * @param config    the configuration
     * @param transport the transport
     * @param workers   how many worker slots
     * @return the sockets
     * @throws BindException naming the address when it cannot be bound
     * @throws InterruptedException if interrupted while binding
     */
    public static ServerSockets open(ServerConfig config, Transport transport, int workers)
            throws BindException, InterruptedException {
        var group = new MultiThreadIoEventLoopGroup(1, Threads.listener(), transport.ioHandlers().get());
        EventLoop loop = group.next();
        List<ServerListener> listeners = new ArrayList<>();
        try {
            if (config.uds().isPresent()) {
                SocketAddress address = transport.domainAddress().apply(config.uds().get());
                Supplier<ServerChannel> make = () -> configured(transport.domainServer().get(), config, false,
                        transport);
                listeners.add(bind(make, address, loop, "socket " + config.uds().get()));
                var rotation = new RoundRobin(listeners.getFirst(), loop);
                return new ServerSockets(group, listeners, Optional.empty(), Optional.of(rotation), Optional.empty());
            }
            boolean perSlot = perSlot(config, transport, workers);
            boolean reusePort = perSlot && workers > 1;
            Supplier<ServerChannel> make = () -> configured(transport.tcpServer().get(), config, reusePort, transport);
            var address = new InetSocketAddress(config.host(), config.port());
            for (int slot = 0; slot < (perSlot ? workers : 1); slot++) {
                String name = "port " + address.getPort() + " on " + config.host() + (perSlot && workers > 1
                        ? " (slot " + slot + ")" : "");
                ServerListener l = bind(make, address, loop, name);
                listeners.add(l);
                // With port 0 the first bind picks the port; the others share it.
                address = (InetSocketAddress) l.localAddress();
            }
            Optional<RoundRobin> rotation = Optional.empty();
            if (!perSlot) {
                rotation = Optional.of(new RoundRobin(listeners.getFirst(), loop));
            }
            return new ServerSockets(group, listeners, perSlot ? Optional.of(make) : Optional.empty(), rotation,
                    Optional.of(address));
        } catch (BindException | InterruptedException | RuntimeException e) {
            listeners.forEach(ServerListener::close);
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /**
     * A process worker's socket: the descriptor its parent handed over, adopted with reading off until the worker
     * takes it. The parent keeps its own copy, so closing this one closes nothing but this process's view.
     *
     * @param config    the configuration
     * @param transport the transport, which must be able to adopt descriptors
     * @param fd        the descriptor
     * @return the sockets, with this one for every slot
     * @throws BindException if it cannot be registered
     * @throws InterruptedException if interrupted
     */
    public static ServerSockets adopt(ServerConfig config, Transport transport, int fd)
            throws BindException, InterruptedException {
        return adopt(config, transport, fd, List.of());
    }

    /**
     * A process worker's sockets: the listening socket's descriptor, as {@link #adopt(ServerConfig, Transport, int)},
     * and its slot's UDP sockets, one per datagram protocol, which its worker registers in place of binding its own
     * ({@link #adoptedDatagram}).
     *
     * @param config      the configuration
     * @param transport   the transport, which must be able to adopt descriptors
     * @param fd          the listening socket's descriptor
     * @param datagramFds the UDP sockets' descriptors, in the order of the datagram protocols
     * @return the sockets
     * @throws BindException if the listening socket cannot be registered
     * @throws InterruptedException if interrupted
     */
    public static ServerSockets adopt(ServerConfig config, Transport transport, int fd, List<Integer> datagramFds)
            throws BindException, InterruptedException {
        ServerSockets sockets = adoptListener(config, transport, fd);
        if (!datagramFds.isEmpty()) {
            var wrap = transport.adoptDatagram().orElseThrow(() -> new IllegalStateException("the "
                    + transport.name() + " transport cannot adopt a UDP socket"));
            sockets.datagrams = datagramFds.stream().map(d -> List.of(wrap.apply(d))).toList();
            sockets.adoptedDatagrams = true;
        }
        return sockets;
    }

    private static ServerSockets adoptListener(ServerConfig config, Transport transport, int fd)
            throws BindException, InterruptedException {
        var make = (config.uds().isPresent() ? transport.adoptDomain() : transport.adoptTcp())
                .orElseThrow(() -> new IllegalStateException("the " + transport.name()
                        + " transport cannot adopt a listening socket"));
        var group = new MultiThreadIoEventLoopGroup(1, Threads.listener(), transport.ioHandlers().get());
        EventLoop loop = group.next();
        ServerChannel ch = make.apply(fd);
        ch.config().setAutoRead(false);
        String name = config.uds().map(p -> "socket " + p).orElse("port " + config.port() + " on " + config.host());
        var listener = new ServerListener(ch, loop, () -> {
            throw new IllegalStateException("a socket handed over by the parent cannot be bound again");
        }, name);
        ChannelFuture registered = loop.register(ch).await();
        if (!registered.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new BindException("cannot accept on the socket handed over for " + name + ": "
                    + registered.cause());
        }
        Optional<InetSocketAddress> tcp = ch.localAddress() instanceof InetSocketAddress a ? Optional.of(a)
                : Optional.empty();
        return new ServerSockets(group, List.of(listener), Optional.empty(), Optional.empty(), tcp);
    }

    /**
     * For process workers: opens, once for the server's life, one UDP socket per slot for each datagram protocol,
     * bound with {@code SO_REUSEPORT} on the TCP address in slot order, so each socket's position in the port's
     * reuseport group is its slot and never changes (the parent never reads them: its copies only keep them open
     * while children come and go). Then attaches the protocol's {@link DatagramProtocol#steeringProgram}, so that the
     * kernel hands each packet to the slot the protocol wrote into it; where it cannot, says why once and leaves the
     * kernel to pick by the client's address.
     *
     * @param transport the transport
     * @param workers   how many worker slots
     * @param protocols the datagram protocols enabled
     * @throws BindException naming the port when a socket cannot be bound
     * @throws InterruptedException if interrupted
     */
    public void openDatagrams(Transport transport, int workers, List<DatagramProtocol> protocols)
            throws BindException, InterruptedException {
        if (protocols.isEmpty() || tcp.isEmpty() || transport.adoptDatagram().isEmpty()) {
            return;
        }
        InetSocketAddress address = tcp.get();
        List<List<Channel>> opened = new ArrayList<>();
        try {
            for (DatagramProtocol p : protocols) {
                List<Channel> slots = new ArrayList<>();
                opened.add(slots);
                for (int slot = 0; slot < workers; slot++) {
                    Channel ch = transport.datagram().get();
                    transport.reusePort().ifPresent(opt -> ch.config().setOption(opt, true));
                    // The children read; the parent's copy only keeps the socket, and its place in the group.
                    ch.config().setAutoRead(false);
                    ChannelFuture registered = loop.register(ch).await();
                    if (!registered.isSuccess()) {
                        throw new BindException("cannot open a UDP socket for " + p.name() + ": "
                                + registered.cause());
                    }
                    ChannelFuture bound = ch.bind(address).await();
                    if (!bound.isSuccess()) {
                        ch.close();
                        throw new BindException("UDP port " + address.getPort() + " on " + address.getHostString()
                                + " cannot be bound for " + p.name() + ": " + bound.cause().getMessage());
                    }
                    slots.add(ch);
                }
                steer(p, slots, protocols.size());
            }
        } catch (BindException | InterruptedException | RuntimeException e) {
            opened.forEach(l -> l.forEach(Channel::close));
            throw e;
        }
        datagrams = opened.stream().map(List::copyOf).toList();
    }

    private static void steer(DatagramProtocol protocol, List<Channel> slots, int protocols) {
        Logger log = LoggerFactory.getLogger(LogNames.WORKERS);
        String name = protocol.name() + " (UDP)";
        Optional<byte[]> program = protocol.steeringProgram(slots.size());
        Optional<String> failure;
        if (program.isEmpty()) {
            failure = Optional.of(protocol.name() + " has no steering program");
        } else if (protocols > 1) {
            // Two protocols' sockets on one port form one group, and no program can tell their packets apart.
            failure = Optional.of("more than one datagram protocol shares the port");
        } else if (slots.size() == 1) {
            log.debug("{}: one worker, one UDP socket; nothing to steer", name);
            return;
        } else {
            failure = ReusePortSteering.attach(((UnixChannel) slots.getFirst()).fd().intValue(), program.get());
        }
        if (failure.isEmpty()) {
            log.info("{} with --worker-strategy process: the server keeps one UDP socket per worker for its whole "
                    + "life and the kernel steers each packet to the worker that owns its connection (by connection "
                    + "id), so a restart or a reload of one worker, or a client whose address changes, does not "
                    + "break the other workers' connections", name);
        } else {
            log.warn("{} with --worker-strategy process: packets cannot be steered by connection id ({}); the kernel "
                    + "picks the worker by the client's address, so a client whose address changes may lose its "
                    + "connection (a worker's restart still costs only its own); --worker-strategy thread routes by "
                    + "connection id", name, failure.get());
        }
    }

    /**
     * @param slot a worker slot
     * @return that slot's UDP sockets' descriptors, one per datagram protocol; empty unless {@link #openDatagrams}
     *         opened them
     */
    public List<Integer> datagramDescriptors(int slot) {
        List<Integer> fds = new ArrayList<>();
        for (List<Channel> slots : datagrams) {
            if (slots.size() > slot && slots.get(slot) instanceof UnixChannel unix) {
                fds.add(unix.fd().intValue());
            }
        }
        return fds;
    }

    /**
     * @param protocol a datagram protocol's position among those enabled
     * @return the UDP socket this process worker adopted for it, not yet registered; empty outside process workers
     */
    public Optional<Channel> adoptedDatagram(int protocol) {
        List<List<Channel>> all = datagrams;
        return adoptedDatagrams && protocol < all.size() ? Optional.of(all.get(protocol).getFirst())
                : Optional.empty();
    }

    private static ServerChannel configured(ServerChannel ch, ServerConfig config, boolean reusePort,
                                            Transport transport) {
        ch.config().setOption(ChannelOption.SO_BACKLOG, config.backlog());
        if (config.uds().isEmpty()) {
            ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
        }
        if (reusePort) {
            transport.reusePort().ifPresent(opt -> ch.config().setOption(opt, true));
        }
        // Nothing is accepted until a route takes the socket.
        ch.config().setAutoRead(false);
        return ch;
    }

    private static ServerListener bind(Supplier<ServerChannel> make, SocketAddress address, EventLoop loop,
                                       String name) throws BindException, InterruptedException {
        ServerChannel ch = make.get();
        var listener = new ServerListener(ch, loop, make, name);
        ChannelFuture registered = loop.register(ch).await();
        if (!registered.isSuccess()) {
            throw new BindException("cannot listen on " + name + ": " + registered.cause());
        }
        ChannelFuture bound = ch.bind(address).await();
        if (!bound.isSuccess()) {
            ch.close();
            Throwable cause = bound.cause();
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")) {
                throw new BindException(name + " is in use");
            }
            throw new BindException("cannot listen on " + name + ": " + cause.getMessage());
        }
        return listener;
    }

    /** @return the server's own event loop, {@code pounce-listener} */
    public EventLoop loop() {
        return loop;
    }

    /** @return the shared socket's distributor, when workers share one socket */
    public Optional<RoundRobin> rotation() {
        return rotation;
    }

    /**
     * @param slot a worker slot
     * @return the socket that slot accepts on: its own, or the shared one
     */
    public synchronized ServerListener listener(int slot) {
        int i = listeners.length == 1 ? 0 : slot;
        ServerListener l = listeners[i];
        if (l.isClosed() && !closed && make.isPresent()) {
            // The slot was given up (or drained at --limit-max-requests) and serves again: a fresh socket.
            try {
                listeners[i] = bind(make.get(), tcp.orElseThrow(), loop, l.toString());
            } catch (BindException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding " + l, e);
            }
        }
        return listeners[i];
    }

    /**
     * A slot is given up: nobody will accept on its own socket, so it closes, and the kernel sends new connections
     * to the other slots' sockets (those it had queued are reset: the price of a slot that keeps dying). A shared
     * socket stays, since the other workers accept on it.
     *
     * @param slot the slot
     */
    public synchronized void retire(int slot) {
        if (listeners.length > 1) {
            listeners[slot].close();
        }
    }

    /** @return every socket */
    public synchronized List<ServerListener> all() {
        return List.of(listeners);
    }

    /** @return the TCP address bound, the port resolved; empty on a Unix domain socket */
    public Optional<InetSocketAddress> tcpAddress() {
        return tcp;
    }

    /**
     * Hands every socket to {@code route} for the rest of the server's life: a shutdown's late arrivals. Waits until
     * each accepts for it.
     *
     * @param route the late-arrival route
     */
    public void handTo(Route route) {
        List<CompletableFuture<Void>> moves = new ArrayList<>();
        for (ServerListener l : all()) {
            moves.add(l.take(route));
        }
        CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /** Closes every socket; the kernel resets what is still queued, so only when the server stops. */
    public void closeSockets() {
        synchronized (this) {
            closed = true;
        }
        all().forEach(ServerListener::close);
        datagrams.forEach(l -> l.forEach(ServerSockets::closeDatagram));
    }

    /**
     * A process worker stops reading the UDP sockets it adopted, which its slot's next child now reads: the kernel
     * queues each packet on the socket, not in a process, and one that this worker read would be lost to the
     * connection's owner. Nothing else changes: the sockets stay in the group.
     */
    public void pauseDatagrams() {
        if (adoptedDatagrams) {
            datagrams.forEach(l -> l.forEach(ch -> ch.config().setAutoRead(false)));
        }
    }

    /** Closes a UDP socket; one a child adopted but never registered has only its descriptor to close. */
    private static void closeDatagram(Channel ch) {
        if (ch.isRegistered()) {
            ch.close();
        } else if (ch instanceof UnixChannel unix) {
            try {
                unix.fd().close();
            } catch (java.io.IOException e) {
                LoggerFactory.getLogger(LogNames.WORKERS).debug("closing an adopted UDP socket: {}", e.getMessage());
            }
        }
    }

    /** Closes every socket and stops the server's loop. */
    @Override
    public void close() {
        closeSockets();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    /** @return completes when the server's loop has stopped */
    public io.netty.util.concurrent.Future<?> terminated() {
        return group.terminationFuture();
    }
}
