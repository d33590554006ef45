package dev.pounce.spi;

import dev.pounce.api.Headers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;

/**
 * A protocol's side of one HTTP request, given to {@link Bridge#serve}. The bridge calls it from the app's thread;
 * every method may be called from any thread and the implementation hops to its event loop where it must. Calls from
 * one thread take effect in the order made. Response methods must follow the order
 * {@code informational* start body* [trailers]}; anything after the response ended, or after
 * {@link RequestBodySink#onDisconnect()}, is dropped and its buffers released.
 */
public interface HttpExchange {

    /** @return the request head */
    RequestHead head();

    /**
     * @return the name of the protocol serving the exchange, as its {@link ProtocolHandler#name()} says; the runtime
     *         adds other protocols' {@code Alt-Svc} advertisements to its responses, never its own
     */
    String protocol();

    /** @return the connection the request came on */
    ConnectionInfo connection();

    /** @return the event loop that owns the connection */
    EventLoop eventLoop();

    /**
     * The app has started reading the request body. HTTP/1.1 sends {@code 100 Continue} now if the client asked for
     * it and nothing was sent yet; other protocols may ignore it. Called once at most.
     */
    void requestBody();

    /**
     * Returns flow-control credit: the app has taken {@code bytes} bytes of delivered body. The protocol may then
     * read that much more (HTTP/1.1 resumes reading the socket, HTTP/2 sends WINDOW_UPDATE).
     *
     * @param bytes how many body bytes the app consumed
     */
    void consumed(int bytes);

    /**
     * Sends an interim response (103 Early Hints) at once. Ignored by protocols and clients that cannot take it
     * (HTTP/1.0).
     *
     * @param status  100 to 199, not 101
     * @param headers its header fields
     */
    void informational(int status, Headers headers);

    /**
     * Starts the response: writes the head together with the first body chunk, and flushes. The protocol adds what
     * it owns ({@code Date}, {@code Server}, framing headers, {@code Connection}).
     *
     * @param status  100 to 599
     * @param headers the app's header fields, already checked for CR, LF and NUL
     * @param body    the first body chunk, possibly empty; ownership passes to the exchange
     * @param last    whether the response ends with this chunk
     */
    void start(int status, Headers headers, ByteBuf body, boolean last);

    /**
     * Writes and flushes the next body chunk.
     *
     * @param body the bytes; ownership passes to the exchange
     * @param last whether the response ends with this chunk
     */
    void body(ByteBuf body, boolean last);

    /**
     * Whether {@link #body(FileRegion, boolean)} is taken: the protocol can send a file's bytes without copying them
     * through the JVM ({@code sendfile} on a plain TCP connection). False by default, and the caller then reads the
     * file in chunks and sends them with {@link #body(ByteBuf, boolean)}, as it must over TLS, where every byte is
     * encrypted, or on a multiplexed protocol, whose frames cut the file up anyway.
     *
     * @return whether file regions may be given to {@link #body(FileRegion, boolean)}
     */
    default boolean sendsFileRegions() {
        return false;
    }

    /**
     * Writes and flushes the next body piece straight from a file, after {@link #start}, for a response whose
     * {@code Content-Length} the caller gave. Called only when {@link #sendsFileRegions()} is true. The channel
     * counts the region as pending until it is written, so {@link #writable()} tells the caller when to go on.
     *
     * @param region the bytes of the file; ownership passes to the exchange, which releases it (and so closes its
     *               file) once written or dropped
     * @param last   whether the response ends with this piece
     * @throws UnsupportedOperationException by default, after releasing the region
     */
    default void body(FileRegion region, boolean last) {
        region.release();
        throw new UnsupportedOperationException(protocol() + " does not send file regions");
    }

    /**
     * Ends the response with trailer fields (chunked trailers on HTTP/1.1, a HEADERS frame on HTTP/2).
     *
     * @param trailers the trailer fields
     */
    void trailers(Headers trailers);

    /**
     * Cuts the response short after it started: HTTP/1.1 closes the connection, HTTP/2 resets the stream. Before the
     * start the bridge sends a 500 instead.
     *
     * @param cause why, for the log
     */
    void abort(Throwable cause);

    /**
     * Whether the peer can take more now (the channel is writable; for HTTP/2, also the stream window is open).
     * The bridge blocks the app's {@code send} while this is false.
     *
     * @return true if a write would not grow the outbound buffer past its high-water mark
     */
    boolean writable();

    /**
     * Runs {@code callback} once, on the event loop, as soon as {@link #writable()} is true again (at once if it is
     * true now), or when the exchange ends.
     *
     * @param callback what to run; must not block
     */
    void whenWritable(Runnable callback);
}
