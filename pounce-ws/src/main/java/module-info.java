/**
 * WebSocket for Pounce: RFC 6455 over the HTTP/1.1 upgrade and over HTTP/2 extended CONNECT (RFC 8441), with
 * permessage-deflate (RFC 7692). It reads only the API and names neither HTTP module: both offer it the
 * {@code websocket} token as an upgrade, and an accepted one is a tunnel of bytes. Put the jar on the module path
 * and an app's {@code WebSocketScope} sessions are served; its flags appear under "WebSocket" in {@code pounce --help}.
 * <pre>{@code
 * pounce --ws-max-message-size 1048576 --ws-ping-interval 30 --no-ws-per-message-deflate
 * }</pre>
 */
module dev.pounce.ws {
    requires dev.pounce.api;

    // Takes "Upgrade: websocket" (HTTP/1.1) and ":protocol websocket" (HTTP/2 and 3 extended CONNECT).
    provides dev.pounce.spi.UpgradeProvider with dev.pounce.ws.WebSocketProvider;
    // The --ws-* flags: message and frame limits, permessage-deflate, pings, the close timeout.
    provides dev.pounce.api.ConfigSection with dev.pounce.ws.WebSocketSection;
}
