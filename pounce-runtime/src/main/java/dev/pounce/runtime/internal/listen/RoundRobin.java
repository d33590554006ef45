package dev.pounce.runtime.internal.listen;

import io.netty.channel.EventLoop;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The accept distributor: the route of the one shared listener (a Unix domain socket, a platform without
 * {@code SO_REUSEPORT}, {@code --no-reuse-port}), which hands each accepted connection to the next joined worker in
 * turn. It stays on the server's loop; workers join when they start and leave when they drain, so a new generation
 * joins before the old one leaves and no connection is refused in between.
 */
public final class RoundRobin implements Route {

    private final ServerListener listener;
    private final EventLoop home;
    private final List<Target> workers = new CopyOnWriteArrayList<>();
    private int turn;

    /**
     * @param listener the shared socket
     * @param home     the server's loop, where the shared socket accepts
     */
    RoundRobin(ServerListener listener, EventLoop home) {
        this.listener = listener;
        this.home = home;
    }

    /**
     * A worker receives connections from now on; the first one to join starts the accepting.
     *
     * @param worker the worker's loop and connection set-up
     * @return completes once the shared socket accepts
     */
    public CompletableFuture<Void> join(Target worker) {
        workers.add(worker);
        return listener.take(this);
    }

    /**
     * A worker takes no more connections; when the last one leaves, the socket stops accepting and keeps what
     * arrives queued.
     *
     * @param loop the worker's loop
     * @return completes once no connection is on its way to the worker any more: every one handed to it before it
     *         left has been queued on its loop
     */
    public CompletableFuture<Void> leave(EventLoop loop) {
        workers.removeIf(t -> t.loop() == loop);
        CompletableFuture<Void> released = workers.isEmpty() ? listener.release(this)
                : CompletableFuture.completedFuture(null);
        // The acceptor hands connections over on the home loop: a turn of it orders every earlier hand-over first.
        var passed = new CompletableFuture<Void>();
        try {
            home.execute(() -> passed.complete(null));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            passed.complete(null);
        }
        return CompletableFuture.allOf(released, passed);
    }

    @Override
    public EventLoop home() {
        return home;
    }

    @Override
    public Optional<Target> next() {
        // Called on the home loop only, so the turn needs no atomics.
        Object[] now = workers.toArray();
        if (now.length == 0) {
            return Optional.empty();
        }
        return Optional.of((Target) now[Math.floorMod(turn++, now.length)]);
    }

    @Override
    public boolean live() {
        return !workers.isEmpty();
    }
}
