package dev.pounce.ws;

import dev.pounce.api.App;
import dev.pounce.api.Headers;
import dev.pounce.api.HttpMessage;
import dev.pounce.api.Message;
import dev.pounce.api.Receive;
import dev.pounce.api.Scope;
import dev.pounce.api.Send;
import dev.pounce.api.WebSocketMessage;
import dev.pounce.api.WebSocketScope;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The app most tests serve: every WebSocket message is echoed. It records each session's disconnect by its query
 * string, so a test can read the close code the app heard. Paths change what it does:
 * <ul>
 *   <li>{@code /deny}: answers the handshake with a 401 and a body</li>
 *   <li>{@code /refuse}: closes before accepting, so the client gets 403</li>
 *   <li>{@code /close}: accepts, then closes at once with 4000 "bye"</li>
 *   <li>{@code /chat}: accepts the subprotocol {@code chat} when offered</li>
 *   <li>{@code /flood}: accepts, then sends {@link #FLOOD_MESSAGES} binary messages of {@link #FLOOD_SIZE} bytes,
 *       counting each send that returned in {@link #flooded}, before it echoes</li>
 * </ul>
 * The text message {@code whoami} is answered with the scope's scheme and HTTP version instead of an echo.
 * Plain HTTP requests get 200 "http".
 */
final class EchoApp implements App {

    /** The disconnect each session heard, as "code reason", by the session's query string. */
    private final Map<String, CompletableFuture<String>> disconnects = new ConcurrentHashMap<>();
    /** The HTTP versions sessions came over. */
    final BlockingQueue<String> versions = new LinkedBlockingQueue<>();
    static final int FLOOD_MESSAGES = 32;
    static final int FLOOD_SIZE = 16 * 1024;
    /** Sends of {@code /flood} that returned, and its end. */
    final AtomicInteger flooded = new AtomicInteger();
    final CompletableFuture<Void> floodDone = new CompletableFuture<>();

    @Override
    public void call(Scope scope, Receive receive, Send send) throws Exception {
        switch (scope) {
            case WebSocketScope ws -> session(ws, receive, send);
            default -> {
                receive.receive();
                send.send(new HttpMessage.ResponseStart(200, Headers.of("content-type", "text/plain",
                        "content-length", "4")));
                send.send(new HttpMessage.ResponseBody("http".getBytes(StandardCharsets.US_ASCII), false));
            }
        }
    }

    /**
     * @param query the query string the session was opened with
     * @return the disconnect it heard, "code reason", once it heard one
     */
    String disconnect(String query) throws Exception {
        return heard(query).get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<String> heard(String query) {
        return disconnects.computeIfAbsent(query, q -> new CompletableFuture<>());
    }

    private void session(WebSocketScope scope, Receive receive, Send send) throws Exception {
        receive.receive(); // Connect
        versions.add(scope.httpVersion());
        switch (scope.path()) {
            case "/deny" -> {
                send.send(new WebSocketMessage.DenialStart(401, Headers.of("www-authenticate", "Bearer")));
                send.send(new WebSocketMessage.DenialBody("log in first".getBytes(StandardCharsets.UTF_8), false));
                return;
            }
            case "/refuse" -> {
                send.send(new WebSocketMessage.Close(1000, ""));
                return;
            }
            case "/chat" -> send.send(new WebSocketMessage.Accept(
                    scope.subprotocols().contains("chat") ? Optional.of("chat") : Optional.empty(),
                    Headers.of("x-app", "chat")));
            default -> send.send(new WebSocketMessage.Accept(Optional.empty(), Headers.empty()));
        }
        boolean closed = scope.path().equals("/close");
        if (closed) {
            send.send(new WebSocketMessage.Close(4000, "bye"));
        }
        if (scope.path().equals("/flood")) {
            for (int i = 0; i < FLOOD_MESSAGES; i++) {
                send.send(new WebSocketMessage.Send(Optional.empty(), Optional.of(new byte[FLOOD_SIZE])));
                flooded.incrementAndGet();
            }
            floodDone.complete(null);
        }
        while (true) {
            Message m = receive.receive();
            switch (m) {
                case WebSocketMessage.Receive r -> {
                    if (r.text().equals(Optional.of("whoami"))) {
                        send.send(new WebSocketMessage.Send(Optional.of(scope.scheme() + " " + scope.httpVersion()),
                                Optional.empty()));
                    } else if (!closed) {
                        send.send(new WebSocketMessage.Send(r.text(), r.bytes()));
                    }
                }
                case WebSocketMessage.Disconnect d -> {
                    heard(scope.queryString()).complete(d.code() + " " + d.reason());
                    return;
                }
                default -> throw new IllegalStateException("unexpected " + m);
            }
        }
    }
}
