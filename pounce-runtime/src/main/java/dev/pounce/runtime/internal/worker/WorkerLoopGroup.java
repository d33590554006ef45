package dev.pounce.runtime.internal.worker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The workers' event loops seen as one group, so the shared acceptor can register each accepted connection with the
 * next worker in turn. It does not own the loops: shutting it down does nothing; each worker stops its own loop.
 */
final class WorkerLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

    private final List<EventLoop> loops = new CopyOnWriteArrayList<>();
    private int turn;

    void add(EventLoop loop) {
        loops.add(loop);
    }

    void remove(EventLoop loop) {
        loops.remove(loop);
    }

    boolean isEmpty() {
        return loops.isEmpty();
    }

    @Override
    public EventLoop next() {
        // Called by the acceptor's one thread only, so the turn counter needs no atomics.
        Object[] now = loops.toArray();
        if (now.length == 0) {
            throw new IllegalStateException("no worker is accepting connections");
        }
        return (EventLoop) now[Math.floorMod(turn++, now.length)];
    }

    @Override
    public ChannelFuture register(Channel channel) {
        return next().register(channel);
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
        return next().register(promise);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return next().register(promise);
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return new ArrayList<EventExecutor>(loops).iterator();
    }

    @Override
    public boolean isShuttingDown() {
        return false;
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return terminationFuture();
    }

    @Override
    public Future<?> terminationFuture() {
        return GlobalEventExecutor.INSTANCE.newSucceededFuture(null);
    }

    @Override
    @Deprecated
    public void shutdown() {
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
