/**
 * HTTP/3 over QUIC for Pounce. An empty shell until the HTTP/3 issue lands: it reads only the API and provides
 * nothing yet, so the runtime reports HTTP/3 as absent.
 */
module dev.pounce.h3 {
    requires dev.pounce.api;
}
