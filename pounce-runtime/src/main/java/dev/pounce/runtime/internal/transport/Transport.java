package dev.pounce.runtime.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;

import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One socket transport: how to make its event loops and its listening channels.
 *
 * @param name         {@code epoll}, {@code io_uring} or {@code nio}
 * @param ioHandlers   makes the I/O handler of each event loop
 * @param tcpServer    makes a TCP listening channel
 * @param domainServer makes a Unix domain socket listening channel
 * @param reusePort    the {@code SO_REUSEPORT} option, absent where the transport cannot set it
 * @param domainAddress turns a socket path into the address type this transport binds
 * @param datagram     makes a UDP channel, for datagram protocols
 * @param adoptTcp     wraps a listening TCP socket's file descriptor handed to this process; epoll only
 * @param adoptDomain  wraps a listening Unix domain socket's file descriptor handed to this process; epoll only
 */
public record Transport(
        String name,
        Supplier<IoHandlerFactory> ioHandlers,
        Supplier<ServerChannel> tcpServer,
        Supplier<ServerChannel> domainServer,
        Optional<ChannelOption<Boolean>> reusePort,
        Function<Path, SocketAddress> domainAddress,
        Supplier<Channel> datagram,
        Optional<IntFunction<ServerChannel>> adoptTcp,
        Optional<IntFunction<ServerChannel>> adoptDomain) {

    /**
     * @return wraps a bound UDP socket's file descriptor handed to this process, where the transport can adopt
     *         descriptors at all (epoll, as {@link #adoptTcp})
     */
    public Optional<IntFunction<Channel>> adoptDatagram() {
        return name.equals("epoll") && adoptTcp.isPresent() ? Optional.of(EpollDatagramChannel::new) : Optional.empty();
    }

    /** @return whether listening sockets can be handed to child processes and adopted there */
    public boolean passesSockets() {
        return adoptTcp.isPresent();
    }

    /**
     * Picks the transport the config asks for.
     *
     * @param wanted {@code auto}, {@code epoll}, {@code io_uring} or {@code nio}
     * @return the transport
     * @throws IllegalStateException naming the transport and why it is unavailable
     */
    public static Transport select(String wanted) {
        return switch (wanted) {
            case "epoll" -> epoll().orElseThrow(() -> unavailable("epoll", Epoll.unavailabilityCause()));
            case "io_uring" -> ioUring().orElseThrow(() -> unavailable("io_uring", IoUring.unavailabilityCause()));
            case "nio" -> nio();
            // epoll first: io_uring is newer in Netty and often disabled by container seccomp profiles.
            default -> epoll().or(Transport::ioUring).orElseGet(Transport::nio);
        };
    }

    private static IllegalStateException unavailable(String name, Throwable cause) {
        String why = cause == null ? "not supported on this platform" : cause.getMessage();
        return new IllegalStateException("--transport " + name + " is not available here: " + why);
    }

    private static Optional<Transport> epoll() {
        if (!Epoll.isAvailable()) {
            return Optional.empty();
        }
        return Optional.of(new Transport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel::new,
                EpollServerDomainSocketChannel::new, Optional.of(EpollChannelOption.SO_REUSEPORT),
                Transport::nativeDomainAddress, EpollDatagramChannel::new,
                Optional.of(EpollServerSocketChannel::new),
                Optional.of(fd -> new EpollServerDomainSocketChannel(fd, true))));
    }

    private static Optional<Transport> ioUring() {
        if (!IoUring.isAvailable()) {
            return Optional.empty();
        }
        return Optional.of(new Transport("io_uring", IoUringIoHandler::newFactory, IoUringServerSocketChannel::new,
                IoUringServerDomainSocketChannel::new, Optional.of(IoUringChannelOption.SO_REUSEPORT),
                Transport::nativeDomainAddress, IoUringDatagramChannel::new, Optional.empty(), Optional.empty()));
    }

    private static Transport nio() {
        // The JDK sets SO_REUSEPORT where the OS has it (Linux, macOS); Windows has none.
        boolean hasReusePort = supportsNioReusePort();
        return new Transport("nio", NioIoHandler::newFactory, NioServerSocketChannel::new,
                NioServerDomainSocketChannel::new,
                hasReusePort ? Optional.of(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT)) : Optional.empty(),
                UnixDomainSocketAddress::of, NioDatagramChannel::new, Optional.empty(), Optional.empty());
    }

    private static SocketAddress nativeDomainAddress(Path path) {
        return new DomainSocketAddress(path.toString());
    }

    private static boolean supportsNioReusePort() {
        try (var ch = java.nio.channels.ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
