package dev.pounce.spi;

import dev.pounce.api.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.Optional;

/**
 * The WebSocket plugin's side of one session, given to {@link Bridge#serveWebSocket}. The bridge calls it from the
 * app's thread; every method may be called from any thread, and calls from one thread take effect in order. The
 * plugin does the framing (RFC 6455) over whatever its {@link Tunnel} runs on.
 */
public interface WebSocketSession {

    /** @return the handshake request: its target, fields, and the HTTP version it came over ("1.1", "2", "3") */
    RequestHead head();

    /** @return the connection the session runs on */
    ConnectionInfo connection();

    /** @return the connection's event loop */
    EventLoop eventLoop();

    /** @return the subprotocols the client offered in {@code Sec-WebSocket-Protocol}, in order */
    List<String> subprotocols();

    /**
     * Accepts the session: completes the handshake with the chosen subprotocol and the app's extra fields.
     *
     * @param subprotocol one the client offered, or empty
     * @param headers     extra fields for the handshake response
     */
    void accept(Optional<String> subprotocol, Headers headers);

    /**
     * Refuses the session with an ordinary HTTP response instead of the handshake's success.
     *
     * @param status  200 to 599
     * @param headers the response fields
     * @param body    the whole body, possibly empty; ownership passes
     */
    void deny(int status, Headers headers, ByteBuf body);

    /**
     * Sends one text message.
     *
     * @param text the message
     */
    void sendText(String text);

    /**
     * Sends one binary message.
     *
     * @param bytes the message; ownership passes
     */
    void sendBinary(ByteBuf bytes);

    /**
     * Starts the closing handshake (RFC 6455 section 7) with this code and reason; later sends are dropped.
     *
     * @param code   the close code (1000, or 3000 to 4999 for apps)
     * @param reason at most 123 bytes of UTF-8
     */
    void close(int code, String reason);

    /**
     * Returns inbound credit: the app has taken a message of {@code bytes} bytes, so the plugin may read that much
     * more.
     *
     * @param bytes the size of the message taken
     */
    void consumed(int bytes);

    /**
     * The app waits for its next message and the bridge holds none: it has taken every message delivered (each
     * given back with {@link #consumed}), and what it sent before this receive has been handed to the plugin. Called
     * by the bridge on the app's thread each time a receive is about to block. An app that answers each message
     * before it asks for the next has answered them all, so a plugin holding a close the client started until the
     * app's replies are out (RFC 6455 section 5.5.1 lets it delay its close frame) sends it now. Must not block. The
     * default does nothing.
     */
    default void idle() {
    }

    /** @return whether the peer can take more now; the bridge blocks the app's send while this is false */
    boolean writable();

    /**
     * Runs {@code callback} once, on the event loop, as soon as {@link #writable()} is true, or when the session ends.
     *
     * @param callback what to run; must not block
     */
    void whenWritable(Runnable callback);
}
