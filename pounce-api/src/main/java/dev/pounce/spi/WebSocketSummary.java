package dev.pounce.spi;

/**
 * What one WebSocket session carried, as the plugin counted it: given once to {@link WebSocketInbound#onEnded} when
 * the session is over, for the access log's line and the request event. Sizes are of messages as the app sees them,
 * before compression.
 *
 * @param messagesIn  whole messages received from the client
 * @param bytesIn     their bytes, decompressed
 * @param messagesOut messages written to the client (the app's sends that the session dropped after its close frame
 *                    do not count)
 * @param bytesOut    their bytes, before compression
 * @param closeCode   how the session ended, the code {@link WebSocketInbound#onDisconnect} gave: the client's close
 *                    code, 1005 for a close frame without one, 1006 when the connection was lost, or the server's
 *                    code for a protocol error (1002, 1007, 1009)
 */
public record WebSocketSummary(long messagesIn, long bytesIn, long messagesOut, long bytesOut, int closeCode) {
}
