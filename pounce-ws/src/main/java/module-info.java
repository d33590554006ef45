/**
 * WebSocket for Pounce (RFC 6455 over the HTTP/1.1 upgrade, RFC 8441 over HTTP/2). An empty shell until the
 * WebSocket issue lands: it reads only the API and provides no upgrade handler yet, so a WebSocket handshake is
 * served as a plain HTTP request.
 */
module dev.pounce.ws {
    requires dev.pounce.api;
}
