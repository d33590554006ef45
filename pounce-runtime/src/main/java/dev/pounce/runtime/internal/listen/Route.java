package dev.pounce.runtime.internal.listen;

import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

import java.util.Optional;

/**
 * Where a listener hands the connections it accepts: one worker, a rotation of workers, or the late-arrival answer
 * of a draining server.
 */
public interface Route {

    /**
     * Where one accepted connection goes.
     *
     * @param loop        the event loop to register it with
     * @param initializer the handler that sets it up
     */
    record Target(EventLoop loop, ChannelHandler initializer) { }

    /** @return the event loop the listener is registered on while this route is its current one */
    EventLoop home();

    /**
     * Called on the listener's loop for each accepted connection.
     *
     * @return where it goes, or empty to close it
     */
    Optional<Target> next();

    /** @return whether the route still takes connections; a listener passes over routes that do not */
    boolean live();
}
