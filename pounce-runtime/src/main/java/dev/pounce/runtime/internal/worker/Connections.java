package dev.pounce.runtime.internal.worker;

import dev.pounce.spi.ConnectionEvent;
import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of one worker. Changed only on the worker's event loop; the count may be read from any
 * thread.
 */
final class Connections {

    private final Set<Channel> open = new HashSet<>();
    private final AtomicInteger count = new AtomicInteger();
    private final Runnable onEmpty;

    /** @param onEmpty run on the event loop each time the last connection closes */
    Connections(Runnable onEmpty) {
        this.onEmpty = onEmpty;
    }

    void add(Channel ch) {
        open.add(ch);
        count.incrementAndGet();
        ch.closeFuture().addListener(f -> {
            if (open.remove(ch) && count.decrementAndGet() == 0) {
                onEmpty.run();
            }
        });
    }

    int count() {
        return count.get();
    }

    /** Tells every connection to drain. */
    void drainAll() {
        for (Channel ch : new ArrayList<>(open)) {
            ch.pipeline().fireUserEventTriggered(ConnectionEvent.DRAIN);
        }
    }

    /** Closes every connection now. */
    void closeAll() {
        for (Channel ch : new ArrayList<>(open)) {
            ch.close();
        }
    }
}
