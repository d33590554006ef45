/**
 * HTTP/2 for Pounce (TLS with ALPN, and cleartext h2c). An empty shell until the HTTP/2 issue lands: it reads only
 * the API, as every plugin must, and provides nothing yet, so the runtime reports HTTP/2 as absent.
 */
module dev.pounce.h2 {
    requires dev.pounce.api;
}
