package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.lifecycle.ServerMessage;
import dev.pounce.runtime.internal.log.LogNames;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The process signals the {@code pounce} command answers: SIGTERM and SIGINT drain gracefully (a second one stops at
 * once, which the lifecycle decides), SIGHUP reloads. Installed only by {@link ServerStart#start} for the
 * {@code pounce} command ({@code Server.Builder.run}), before it announces that it serves; not for code that embeds
 * the server.
 */
final class SignalHandlers {

    private SignalHandlers() {
    }

    static void install(Inbox inbox) {
        handle("HUP", () -> inbox.post(new ServerMessage.ReloadRequested("SIGHUP")));
        for (String name : List.of("TERM", "INT")) {
            handle(name, () -> inbox.post(new ServerMessage.Signal(name)));
        }
    }

    private static void handle(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> action.run());
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(LogNames.SERVER).debug("cannot handle SIG{} here: {}", name, e.getMessage());
        }
    }
}
