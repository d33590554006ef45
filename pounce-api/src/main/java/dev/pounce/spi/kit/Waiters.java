package dev.pounce.spi.kit;

import java.util.ArrayList;
import java.util.List;

/** Callbacks waiting for a channel or stream to become writable. Touched on the event loop only. */
final class Waiters {

    private List<Runnable> waiting;

    void add(Runnable callback) {
        if (waiting == null) {
            waiting = new ArrayList<>(1);
        }
        waiting.add(callback);
    }

    boolean isEmpty() {
        return waiting == null;
    }

    /** Runs and forgets every waiter, each once; a waiter added meanwhile waits for the next call. */
    void runAll() {
        List<Runnable> now = waiting;
        waiting = null;
        if (now != null) {
            for (Runnable r : now) {
                r.run();
            }
        }
    }
}
