package dev.pounce.ws;

import java.time.Duration;

/**
 * The WebSocket plugin's settings, frozen once at startup and read through {@link WebSocketSection#SECTION}.
 *
 * @param enabled       whether the plugin takes WebSocket handshakes at all ({@code --ws}, {@code --no-ws}); off, the
 *                      runtime leaves the plugin out ({@link WebSocketProvider#enabled}), so an HTTP/1.1 handshake is
 *                      served as an ordinary request, and HTTP/2 does not send SETTINGS_ENABLE_CONNECT_PROTOCOL for
 *                      it, so an extended CONNECT for {@code websocket} is refused (as malformed, or 501 if another
 *                      upgrade provider is enabled)
 * @param maxMessage    bytes in one received message after decompression; default 16 MiB; over it the session is
 *                      closed with 1009 (RFC 6455 section 7.4.1)
 * @param maxFrame      bytes of payload in one received frame; default 16 MiB; over it: 1009
 * @param deflate       permessage-deflate (RFC 7692)
 * @param pingInterval  how often the server pings an open session; default 20 s, zero for never (RFC 6455 section
 *                      5.5.2)
 * @param pingTimeout   how long a ping may go without any byte from the client before the session is taken for
 *                      dead and cut; default 20 s
 * @param closeTimeout  how long the server waits for the client's answer to its close frame before it cuts the
 *                      connection, and how long a close the client started waits for the app to take the messages
 *                      delivered before it and ask for more; default 5 s (RFC 6455 section 7.1.1)
 */
public record WebSocketConfig(boolean enabled, int maxMessage, int maxFrame, Deflate deflate, Duration pingInterval,
                              Duration pingTimeout, Duration closeTimeout) {

    /**
     * permessage-deflate settings (RFC 7692). The JDK's {@link java.util.zip.Deflater} always keeps a 32 KiB window
     * and memory level 8, about 256 KiB of native memory; a session owns one only while it keeps its compression
     * context ({@code serverContextTakeover}, window 15) and only from its first compressed message on. Otherwise
     * compressors and decompressors are borrowed per message from a pool shared by every session.
     *
     * @param enabled               whether the extension is negotiated when a client offers it; default on
     * @param serverWindowBits      the largest LZ77 window the server compresses with, 8 to 15; default 15. Below 15
     *                              each message is compressed in pieces of at most 2^bits bytes with a full flush
     *                              between them, and no context is kept between messages (section 7.1.2.1)
     * @param serverContextTakeover whether the server keeps its compression context from one message to the next;
     *                              default on; off answers {@code server_no_context_takeover} (section 7.1.1.1)
     * @param clientWindowBits      the window the server asks a client to compress with when the client offers
     *                              {@code client_max_window_bits}, 8 to 15; default 15 (section 7.1.2.2)
     * @param clientContextTakeover whether the client may keep its context; default on; off answers
     *                              {@code client_no_context_takeover}, so the server's decompressor is borrowed per
     *                              message instead of kept per session (section 7.1.1.2)
     * @param minSize               messages shorter than this many bytes are sent uncompressed; default 1024
     *                              (section 6: compression is per message, and optional)
     */
    public record Deflate(boolean enabled, int serverWindowBits, boolean serverContextTakeover, int clientWindowBits,
                          boolean clientContextTakeover, int minSize) {
    }
}
