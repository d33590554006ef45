package dev.pounce.h2;

/**
 * What a client's stream is to its {@link ServerConnection}, kept as the stream's property and switched over for
 * each frame that arrives on it: a request served through the bridge, or a stream the connection answered itself.
 * Set and read on the event loop only.
 */
sealed interface StreamRole permits StreamExchange, StreamRole.Answered {

    /** A stream answered without the app (413, 431, 501): its later frames are dropped. */
    Answered ANSWERED = new Answered();

    /** See {@link #ANSWERED}. */
    record Answered() implements StreamRole {
    }
}
