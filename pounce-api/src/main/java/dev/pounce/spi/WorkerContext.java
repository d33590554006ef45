package dev.pounce.spi;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** What the runtime gives a {@link WorkerStrategy}. Its methods may be called from any thread. */
public interface WorkerContext {

    /** @return the frozen configuration; with port 0 and several workers, the port is already resolved */
    ServerConfig config();

    /** @return how many workers to run, resolved ({@code --workers 0} already turned into the processor count) */
    int workers();

    /**
     * Makes one in-JVM worker, not yet started: its own event loop thread, its own listener (bound with
     * {@code SO_REUSEPORT}, or fed by the shared acceptor where that is missing), serving the app.
     *
     * @param slot       0 to workers-1
     * @param generation 0 for the first start of the slot
     * @return the worker
     */
    Worker newWorker(int slot, int generation);

    /**
     * How a worker in another JVM loads the app: the {@code APP} spec ({@code com.example.HelloApp},
     * {@code com.example.Apps::hello}), or the empty string for the one {@code dev.pounce.api.App} provider.
     *
     * @return the spec, or empty when the app was handed to the server as an object and cannot be loaded elsewhere
     */
    default Optional<String> appReference() {
        return Optional.empty();
    }

    /**
     * The listening socket a slot's workers accept on, as a file descriptor that a worker in another process adopts
     * (received over a Unix socket, which gives it its own copy). The server keeps its copy open for as long as it
     * runs, so while a child restarts the kernel keeps queueing connections instead of resetting them. With one
     * shared socket every slot gets the same one.
     *
     * @param slot 0 to workers-1
     * @return the descriptor, or empty where the transport cannot hand sockets to other processes
     */
    default OptionalInt socketDescriptor(int slot) {
        return OptionalInt.empty();
    }

    /**
     * The UDP sockets of a slot, one per enabled datagram protocol in the order of the protocols, as file descriptors
     * that a worker in another process adopts like {@link #socketDescriptor}'s. The server opens them once, one per
     * slot, and keeps them open for as long as it runs, so the port's {@code SO_REUSEPORT} group never changes while
     * children come and go, and a packet steered to a slot's socket waits there for the slot's next child.
     *
     * @param slot 0 to workers-1
     * @return the descriptors, empty without datagram protocols or where the transport cannot hand them over
     */
    default List<Integer> datagramDescriptors(int slot) {
        return List.of();
    }

    /**
     * Delivers an event to the server's listeners.
     *
     * @param event what happened
     */
    void publish(LifecycleEvent event);
}
