package dev.pounce.api;

import java.util.Objects;
import java.util.Optional;

/** Messages of a WebSocket session (ASGI {@code websocket.*}). Served once the WebSocket plugin is present. */
public sealed interface WebSocketMessage extends Message {

    /** The client asks to open the session; the app answers with {@link Accept} or {@link Close}. */
    record Connect() implements WebSocketMessage {
    }

    /**
     * The app accepts the session.
     *
     * @param subprotocol the chosen subprotocol, one the client offered
     * @param headers     extra response headers for the handshake
     */
    record Accept(Optional<String> subprotocol, Headers headers) implements WebSocketMessage {
        /** Checks the parts are present. */
        public Accept {
            Objects.requireNonNull(subprotocol, "subprotocol");
            Objects.requireNonNull(headers, "headers");
        }
    }

    /**
     * A message from the client: text or binary, never both.
     *
     * @param text  a text message
     * @param bytes a binary message
     */
    record Receive(Optional<String> text, Optional<byte[]> bytes) implements WebSocketMessage {
        /** Checks exactly one part is present. */
        public Receive {
            if (text.isPresent() == bytes.isPresent()) {
                throw new IllegalArgumentException("a WebSocket message is text or bytes, exactly one of them");
            }
        }
    }

    /**
     * A message to the client: text or binary, never both.
     *
     * @param text  a text message
     * @param bytes a binary message
     */
    record Send(Optional<String> text, Optional<byte[]> bytes) implements WebSocketMessage {
        /** Checks exactly one part is present. */
        public Send {
            if (text.isPresent() == bytes.isPresent()) {
                throw new IllegalArgumentException("a WebSocket message is text or bytes, exactly one of them");
            }
        }
    }

    /**
     * The app closes the session, or refuses it before accepting (then the client gets 403).
     *
     * @param code   the close code (RFC 6455 section 7.4)
     * @param reason the close reason, at most 123 bytes of UTF-8
     */
    record Close(int code, String reason) implements WebSocketMessage {
    }

    /**
     * The session ended: the client closed it or went away.
     *
     * @param code   the close code the client sent, or 1006 if it went away without one
     * @param reason the close reason the client sent
     */
    record Disconnect(int code, String reason) implements WebSocketMessage {
    }

    /**
     * Instead of accepting, the app answers the handshake with an HTTP response (the denial response extension).
     *
     * @param status  the HTTP status
     * @param headers the response headers
     */
    record DenialStart(int status, Headers headers) implements WebSocketMessage {
    }

    /**
     * A chunk of the denial response body.
     *
     * @param body the bytes
     * @param more whether more chunks follow
     */
    record DenialBody(byte[] body, boolean more) implements WebSocketMessage {
    }
}
