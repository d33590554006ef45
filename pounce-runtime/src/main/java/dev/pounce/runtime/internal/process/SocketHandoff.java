package dev.pounce.runtime.internal.process;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands a listening socket from the parent to a child worker: the parent sends its file descriptor over a Unix
 * domain socket ({@code SCM_RIGHTS}, through Netty's epoll domain sockets; the JDK cannot), and the kernel gives the
 * child its own descriptor of the same socket. The parent keeps its own, so the socket and its queue outlive any
 * child. The hand-off socket lives in the supervisor's private folder beside the control sockets.
 */
final class SocketHandoff {

    private SocketHandoff() {
    }

    /**
     * The parent's side: serves {@code descriptor} to the first process that connects to {@code path}, then stops.
     *
     * @param path       where to listen, in the supervisor's private folder
     * @param descriptor the listening socket's descriptor
     * @param timeout    how long to wait for the child
     * @return completes once the child has the descriptor, or exceptionally after the timeout
     * @throws IOException if the hand-off socket cannot be bound
     */
    static CompletableFuture<Void> offer(Path path, int descriptor, Duration timeout) throws IOException {
        Files.deleteIfExists(path);
        var group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        var delivered = new CompletableFuture<Void>();
        Channel server;
        try {
            server = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(new FileDescriptor(descriptor)).addListener(f -> {
                                if (f.isSuccess()) {
                                    delivered.complete(null);
                                } else {
                                    delivered.completeExceptionally(f.cause());
                                }
                                ctx.close();
                            });
                        }
                    })
                    .bind(new DomainSocketAddress(path.toString())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("interrupted while binding " + path, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IOException("cannot bind " + path + ": " + e.getMessage(), e);
        }
        delivered.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            server.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // The folder is deleted when the server exits.
            }
        });
        return delivered;
    }

    /**
     * The child's side: connects to {@code path} and receives one descriptor.
     *
     * @param path    the parent's hand-off socket
     * @param timeout how long to wait
     * @return the descriptor, now this process's own
     * @throws IOException if none arrives in time
     */
    static int receive(Path path, Duration timeout) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            return receive(path, group, timeout);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    private static int receive(Path path, EventLoopGroup group, Duration timeout) throws IOException {
        var received = new CompletableFuture<Integer>();
        Channel ch;
        try {
            ch = new Bootstrap().group(group).channel(EpollDomainSocketChannel.class)
                    .option(EpollChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (msg instanceof FileDescriptor fd) {
                                received.complete(fd.intValue());
                                ctx.close();
                            } else {
                                ReferenceCountUtil.release(msg);
                            }
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            received.completeExceptionally(new IOException("the supervisor closed " + path
                                    + " before sending the socket"));
                        }
                    })
                    .connect(new DomainSocketAddress(path.toString())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + path, e);
        } catch (RuntimeException e) {
            throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
        }
        try {
            return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the socket", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no socket arrived on " + path + " within " + timeout.toSeconds() + " s");
        } finally {
            ch.close();
        }
    }
}
