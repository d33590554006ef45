package dev.pounce.spi;

/** A protocol's answer when shown the first bytes of a cleartext connection. */
public enum Detection {
    /** These bytes open this protocol (for HTTP/2, the connection preface). */
    RECOGNISED,
    /** These bytes cannot open this protocol. */
    NOT_RECOGNISED,
    /** The bytes so far are a prefix of this protocol's opening; show me more. */
    NEED_MORE
}
