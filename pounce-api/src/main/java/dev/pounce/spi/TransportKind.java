package dev.pounce.spi;

/** What a protocol runs on. */
public enum TransportKind {
    /** A byte stream: TCP, TLS over TCP, or a Unix domain socket. */
    STREAM,
    /** QUIC datagrams (HTTP/3). */
    QUIC
}
