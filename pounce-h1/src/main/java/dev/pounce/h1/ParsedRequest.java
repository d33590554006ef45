package dev.pounce.h1;

import dev.pounce.spi.RequestHead;

import java.util.List;

/**
 * A request head that passed every check, with the framing and connection facts the parser derived from it.
 *
 * @param head              the head as the bridge sees it
 * @param http11            whether the version is 1.1 (else 1.0)
 * @param contentLength     the declared body length, or -1 when there is no {@code Content-Length}
 * @param chunked           whether the body is chunked (then {@code contentLength} is -1)
 * @param keepAlive         whether the client lets the connection persist (RFC 9112 section 9.3)
 * @param expectContinue    whether an HTTP/1.1 client waits for {@code 100 Continue} (RFC 9110 section 10.1.1)
 * @param connectionUpgrade whether {@code Connection} lists {@code upgrade}
 * @param upgrades          the protocol names the {@code Upgrade} fields list, in the client's order of preference
 */
record ParsedRequest(RequestHead head, boolean http11, long contentLength, boolean chunked, boolean keepAlive,
                     boolean expectContinue, boolean connectionUpgrade, List<String> upgrades) {

    /** @return whether a body follows the head */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** @return whether the method is HEAD, whose response has no body (RFC 9110 section 9.3.2) */
    boolean isHead() {
        return head.method().equals("HEAD");
    }
}
