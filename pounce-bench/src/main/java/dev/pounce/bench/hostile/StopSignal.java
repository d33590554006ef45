package dev.pounce.bench.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Selector;

/**
 * When a long-running subcommand stops: after a number of seconds, or when its standard input ends (a script
 * holds a pipe open while it measures and closes it to stop the load). Wakes the subcommand's selector, if it has
 * one, so it notices at once.
 */
final class StopSignal {

    private final long deadline;
    private volatile boolean inputEnded;

    private StopSignal(long deadline) {
        this.deadline = deadline;
    }

    static StopSignal after(int seconds) {
        return new StopSignal(System.nanoTime() + seconds * 1_000_000_000L);
    }

    static StopSignal onStdinEnd(Selector wake) {
        var signal = new StopSignal(Long.MAX_VALUE);
        Thread.ofPlatform().daemon().name("stdin-watch").start(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // anything written to the pipe is ignored; only its end matters
                }
            } catch (IOException e) {
                // a broken pipe ends the input too
            }
            signal.inputEnded = true;
            if (wake != null) {
                wake.wakeup();
            }
        });
        return signal;
    }

    boolean stopped() {
        return inputEnded || System.nanoTime() >= deadline;
    }
}
