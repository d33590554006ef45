package dev.pounce.spi;

import io.netty.buffer.ByteBuf;

/**
 * Where a protocol delivers one request's body, returned by {@link Bridge#serve}. Called on the event loop only, in
 * order.
 */
public interface RequestBodySink {

    /**
     * A chunk of the body. The sink takes ownership of {@code chunk} and releases it. A request without a body gets
     * one call with an empty chunk and {@code last == true}. After each chunk the protocol reads more only within
     * the credit the bridge returns through {@link HttpExchange#consumed}.
     *
     * @param chunk the bytes, possibly empty
     * @param last  whether this is the end of the body
     */
    void onData(ByteBuf chunk, boolean last);

    /**
     * The request is over for the app: the client went away, reset the stream, or the body broke a limit or a
     * timeout (the protocol has then answered it itself). The app's next {@code receive} gives a disconnect and its
     * further sends are dropped. May come at any time, also after the last chunk; comes at most once.
     */
    void onDisconnect();
}
