package dev.pounce.h1;

/**
 * Bad input found while reading a request: the status to answer with and a short reason for the client and the
 * log. Thrown deep in the parser and caught once by the connection, which answers, reports it to the bridge and
 * closes (RFC 9112 section 9.6: framing is in doubt). It carries no stack trace: client errors are not bugs.
 */
final class RequestRejected extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status the status to answer with: 400, 408, 413, 414, 417, 431, 501 or 505
     * @param reason a short reason such as {@code duplicate Content-Length}
     */
    RequestRejected(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** @return the status to answer with */
    int status() {
        return status;
    }

    /** @return the short reason */
    String reason() {
        return getMessage();
    }
}
