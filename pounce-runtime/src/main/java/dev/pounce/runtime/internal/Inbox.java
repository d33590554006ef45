package dev.pounce.runtime.internal;

import dev.pounce.runtime.internal.lifecycle.ServerMessage;

import java.util.concurrent.LinkedBlockingQueue;

/** The lifecycle's messages, posted from any thread (signals, the API, effects finishing) and taken by its driver. */
final class Inbox {

    private final LinkedBlockingQueue<ServerMessage> messages = new LinkedBlockingQueue<>();

    void post(ServerMessage message) {
        messages.add(message);
    }

    ServerMessage take() throws InterruptedException {
        return messages.take();
    }
}
