package dev.pounce.h2;

import io.netty.buffer.ByteBuf;

/**
 * What a client's stream is to its {@link ServerConnection}, kept as the stream's property and switched over for
 * each frame that arrives on it: a request served through the bridge, an extended CONNECT waiting for its upgrade
 * provider's answer, an accepted tunnel, or a stream the connection answered itself. Set and read on the event loop
 * only.
 */
sealed interface StreamRole permits StreamExchange, StreamRole.TunnelBytes, StreamRole.Answered {

    /**
     * A stream whose DATA is bytes for an upgrade provider, not a request body: an offer holding them until it is
     * answered, then the tunnel. Their credit goes back only as the provider consumes them.
     */
    sealed interface TunnelBytes extends StreamRole permits ConnectOffer, StreamTunnel {

        /**
         * DATA from the client.
         *
         * @param data the bytes, not empty; ownership passes
         */
        void arrived(ByteBuf data);

        /** The client sent END_STREAM. */
        void clientEnded();
    }

    /** A stream answered without the app (413, 431, 501, a denied offer): its later frames are dropped. */
    Answered ANSWERED = new Answered();

    /** See {@link #ANSWERED}. */
    record Answered() implements StreamRole {
    }
}
