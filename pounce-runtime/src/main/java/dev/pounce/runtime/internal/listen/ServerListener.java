package dev.pounce.runtime.internal.listen;

import dev.pounce.runtime.internal.log.LogNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.UnixChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * One listening socket of the server, which outlives the workers that accept on it. It holds a stack of
 * {@link Route}s: the newest live one is current, and the listener is registered on that route's loop, so a worker
 * accepts on its own thread. {@link #take} puts a route on top (a new generation, a restarted worker, the
 * late-arrival answer of a shutdown) and moves the socket to its loop; {@link #release} takes a route off (a
 * draining or stopped worker) and moves the socket back to the newest live route below, or parks it on the server's
 * loop with reading off. Moving deregisters the channel from one loop and registers it with the next: the socket
 * stays open, so the kernel keeps queueing connections meanwhile and resets none.
 *
 * <p>Moves are serialised: each starts when the one before has finished. The current route is read by the
 * {@link Acceptor} on whichever loop the channel is on.
 */
public final class ServerListener {

    private static final Logger LOG = LoggerFactory.getLogger(LogNames.SERVER);

    private final EventLoop park;
    private final Supplier<ServerChannel> reopen;
    private final List<Route> routes = new ArrayList<>();
    private final String name;
    private volatile Channel channel;
    private volatile Route route;
    private CompletableFuture<Void> moves = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    /**
     * @param channel the listening channel, bound and registered on {@code park} with reading off
     * @param park    the server's loop, where the socket waits while no route takes connections
     * @param reopen  binds a fresh socket on the same address, for the rare case that a move fails (the loop it was
     *                on died); empty where that cannot be done (a socket handed to this process)
     * @param name    how logs name it: {@code port 8000 on 127.0.0.1 (slot 1)}
     */
    ServerListener(Channel channel, EventLoop park, Supplier<ServerChannel> reopen, String name) {
        this.channel = channel;
        this.park = park;
        this.reopen = reopen;
        this.name = name;
        channel.pipeline().addLast("pounce-acceptor", new Acceptor(this));
    }

    /**
     * Puts {@code r} on top and moves the socket to its loop.
     *
     * @param r the route to hand connections to from now on
     * @return completes once the socket accepts for it
     */
    public synchronized CompletableFuture<Void> take(Route r) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is closed"));
        }
        routes.remove(r);
        routes.add(r);
        return schedule();
    }

    /**
     * Takes {@code r} off; if it was current, the socket moves to the newest live route below, or parks.
     *
     * @param r the route that takes no more connections
     * @return completes once the move, if any, is done
     */
    public synchronized CompletableFuture<Void> release(Route r) {
        if (!routes.remove(r) || closed) {
            return CompletableFuture.completedFuture(null);
        }
        return schedule();
    }

    /** @return whether a live route takes this socket's connections now */
    public synchronized boolean served() {
        return current().isPresent();
    }

    /** Closes the socket: queued connections are reset, so only when the server stops. */
    public synchronized void close() {
        closed = true;
        routes.clear();
        route = null;
        channel.close();
    }

    /** @return whether the socket was closed; the server binds a fresh one if the slot serves again */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** @return the address it is bound to */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /** @return the socket's file descriptor, to hand to a child process; empty on a transport without one */
    public OptionalInt descriptor() {
        return channel instanceof UnixChannel unix ? OptionalInt.of(unix.fd().intValue()) : OptionalInt.empty();
    }

    /** @return the route that takes connections now; read by the acceptor */
    Optional<Route> route() {
        return Optional.ofNullable(route);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- moving ----

    private Optional<Route> current() {
        for (int i = routes.size() - 1; i >= 0; i--) {
            if (routes.get(i).live()) {
                return Optional.of(routes.get(i));
            }
        }
        return Optional.empty();
    }

    private CompletableFuture<Void> schedule() {
        moves = moves.handle((v, e) -> null).thenCompose(v -> {
            synchronized (this) {
                if (closed) {
                    return CompletableFuture.completedFuture(null);
                }
                return move(current());
            }
        });
        return moves;
    }

    /**
     * Puts the socket on {@code next}'s loop, reading only if there is a route. Accepting stops first, on the loop the
     * socket is on, and the acceptor is pointed at the new route only once the socket has left that loop: every
     * connection accepted until then goes to the route that was current when it was accepted, whose worker is still
     * there to serve it (a worker waits for its socket to leave before it drains). So a move never drops a
     * connection the kernel handed over.
     */
    private CompletableFuture<Void> move(Optional<Route> next) {
        EventLoop home = next.map(Route::home).orElse(park);
        boolean read = next.isPresent();
        Channel ch = channel;
        var done = new CompletableFuture<Void>();
        Runnable step = () -> {
            if (ch.eventLoop() == home) {
                route = next.orElse(null);
                ch.config().setAutoRead(read);
                done.complete(null);
                return;
            }
            ch.config().setAutoRead(false);
            ch.deregister().addListener(f -> {
                if (!f.isSuccess()) {
                    replace(next, done, f.cause());
                    return;
                }
                route = next.orElse(null);
                ch.config().setAutoRead(read);
                home.register(ch).addListener(g -> {
                    if (g.isSuccess()) {
                        done.complete(null);
                    } else {
                        replace(next, done, g.cause());
                    }
                });
            });
        };
        try {
            ch.eventLoop().execute(step);
        } catch (RejectedExecutionException e) {
            // The loop the socket is on has stopped (a worker whose loop died).
            replace(next, done, e);
        }
        return done;
    }

    /**
     * The socket could not be moved, because the loop it was on has died: the only case where queued connections
     * are lost. Closes it and binds a fresh one on the same address in its place.
     */
    private void replace(Optional<Route> next, CompletableFuture<Void> done, Throwable cause) {
        if (closed) {
            // Closed meanwhile, on purpose: nothing to move or bind.
            done.complete(null);
            return;
        }
        EventLoop home = next.map(Route::home).orElse(park);
        boolean read = next.isPresent();
        LOG.warn("{} could not move to another event loop ({}); binding it again", name, String.valueOf(cause));
        Channel old = channel;
        SocketAddress address = old.localAddress();
        old.close();
        ServerChannel fresh;
        try {
            fresh = reopen.get();
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        fresh.config().setAutoRead(read);
        fresh.pipeline().addLast("pounce-acceptor", new Acceptor(this));
        route = next.orElse(null);
        ChannelFuture registered = home.register(fresh);
        registered.addListener(g -> {
            if (!g.isSuccess()) {
                done.completeExceptionally(g.cause());
                return;
            }
            fresh.bind(address).addListener(b -> {
                if (b.isSuccess()) {
                    channel = fresh;
                    done.complete(null);
                } else {
                    fresh.close();
                    done.completeExceptionally(b.cause());
                }
            });
        });
    }
}
