package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.TrustedProxies;
import dev.pounce.api.WorkerIdentity;
import dev.pounce.spi.ConnectionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is believed of the proxy fields, from which peers, and what is refused. */
class ProxyHeadersTest {

    private static final ProxyHeaders TEN = new ProxyHeaders(TrustedProxies.of(List.of("10.0.0.0/8", "2001:db8::/32")));
    private static final ProxyHeaders LOOPBACK = new ProxyHeaders(TrustedProxies.LOOPBACK);
    private static final ProxyHeaders EVERYONE = new ProxyHeaders(TrustedProxies.of(List.of("*")));

    private static ConnectionInfo from(String host, boolean secure) {
        return new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.of(new Endpoint(host, 40000)),
                Optional.of(new Endpoint("10.9.9.9", 8000)), secure);
    }

    private static ConnectionInfo from(String host) {
        return from(host, false);
    }

    private static RequestOrigin resolve(ProxyHeaders p, ConnectionInfo conn, String... headers) {
        // Unchecked, as a protocol that let a control character through would hand them over.
        return p.resolve(Headers.wrap(headers), conn);
    }

    private static Optional<Endpoint> at(String host, int port) {
        return Optional.of(new Endpoint(host, port));
    }

    // ---- who is trusted ----

    @Test
    void peersAreMatchedByAddressBlockAndUnixSocketsAreTrusted() {
        assertTrue(TEN.trusts(from("10.1.2.3")));
        assertTrue(TEN.trusts(from("2001:db8:0:0:0:0:0:7")));
        assertFalse(TEN.trusts(from("127.0.0.1")));
        assertFalse(TEN.trusts(from("192.0.2.1")));
        assertTrue(LOOPBACK.trusts(from("127.0.0.1")));
        assertTrue(LOOPBACK.trusts(from("0:0:0:0:0:0:0:1")));
        assertTrue(EVERYONE.trusts(from("203.0.113.5")));
        var unix = new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.of(new Endpoint("/run/p.sock", 0)),
                Optional.empty(), false);
        assertTrue(TEN.trusts(unix));
        var unnamed = new ConnectionInfo(1, new WorkerIdentity(0, 0), Optional.empty(), Optional.empty(), false);
        assertTrue(TEN.trusts(unnamed));
    }

    @Test
    void anUntrustedPeerIsBelievedInNothing() {
        RequestOrigin o = resolve(TEN, from("192.0.2.1"), "x-forwarded-for", "198.51.100.7",
                "x-forwarded-proto", "https", "x-forwarded-host", "example.com", "forwarded", "for=198.51.100.8");
        assertEquals(new RequestOrigin(false, at("192.0.2.1", 40000), false, Optional.empty()), o);
    }

    @Test
    void withoutProxyFieldsTheConnectionIsTheOrigin() {
        assertEquals(new RequestOrigin(false, at("10.0.0.1", 40000), true, Optional.empty()),
                resolve(TEN, from("10.0.0.1", true), "host", "a"));
        // X-Request-ID alone asks whether the peer is trusted, for the id's sake.
        assertTrue(resolve(TEN, from("10.0.0.1"), "x-request-id", "abc").trustedPeer());
        assertFalse(resolve(TEN, from("192.0.2.1"), "x-request-id", "abc").trustedPeer());
    }

    // ---- X-Forwarded-For ----

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // The first address from the right that is not trusted is the client.
            "198.51.100.7                            | 198.51.100.7:0",
            "198.51.100.7, 10.0.0.2                  | 198.51.100.7:0",
            "203.0.113.1, 198.51.100.7, 10.0.0.2     | 198.51.100.7:0",
            // A client's own entries left of the one its proxy appended do not count.
            "1.1.1.1, 198.51.100.7,10.0.0.3,10.0.0.2 | 198.51.100.7:0",
            "garbage, 198.51.100.7                   | 198.51.100.7:0",
            // All trusted: the leftmost.
            "10.0.0.5, 10.0.0.2                      | 10.0.0.5:0",
            // Ports and IPv6, bracketed or not.
            "198.51.100.7:4711                       | 198.51.100.7:4711",
            "[2001:db9::1]:4711, 10.0.0.2            | [2001:db9:0:0:0:0:0:1]:4711",
            "2001:db9::1                             | [2001:db9:0:0:0:0:0:1]:0",
            "2001:db8::5, 2001:db8::6                | [2001:db8:0:0:0:0:0:5]:0",
            "::ffff:198.51.100.7                     | 198.51.100.7:0",
    })
    void forwardedForCountsTrustedHopsFromTheRight(String list, String client) {
        assertEquals(client, resolve(TEN, from("10.0.0.1"), "x-forwarded-for", list).client().orElseThrow()
                .toString());
    }

    @Test
    void repeatedForwardedForFieldsAreOneList() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "x-forwarded-for", "198.51.100.7",
                "x-forwarded-for", "10.0.0.2");
        assertEquals(at("198.51.100.7", 0), o.client());
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown", "10.0.0.2, unknown", "_hidden", "not an address", "198.51.100.7:99999",
            "198.51.100.7:", "[2001:db9::1", "10.1", "fe80::1%eth0", "1.2.3.4\r\nx: y", ""})
    void anInvalidEntryIsNotBelievedAndTheRequestGoesOn(String list) {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "x-forwarded-for", list,
                "x-forwarded-proto", "https");
        assertEquals(at("10.0.0.1", 40000), o.client());
        assertTrue(o.secure(), "the other fields still count");
    }

    @Test
    void anOverlongEntryOrTooManyTrustedHopsAreNotBelieved() {
        assertEquals(at("10.0.0.1", 40000), resolve(TEN, from("10.0.0.1"), "x-forwarded-for",
                "1".repeat(ProxyHeaders.MAX_NODE + 1)).client());
        String many = String.join(",", java.util.Collections.nCopies(ProxyHeaders.MAX_HOPS + 1, "10.0.0.9"));
        assertEquals(at("10.0.0.1", 40000), resolve(TEN, from("10.0.0.1"), "x-forwarded-for", many).client());
        String enough = String.join(",", java.util.Collections.nCopies(ProxyHeaders.MAX_HOPS, "10.0.0.9"));
        assertEquals(at("10.0.0.9", 0), resolve(TEN, from("10.0.0.1"), "x-forwarded-for", enough).client());
    }

    @Test
    void everyoneTrustedTakesTheLeftmost() {
        assertEquals(at("198.51.100.1", 0), resolve(EVERYONE, from("203.0.113.5"), "x-forwarded-for",
                "198.51.100.1, 198.51.100.2").client());
    }

    // ---- X-Forwarded-Proto and -Host ----

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource({"https, false, true", "HTTPS, false, true", "http, true, false", "wss, false, true",
            "ws, true, false", "ftp, false, false", "ftp, true, true", "'http, https', false, true",
            "'https, http', false, false"})
    void theProtoIsBelievedWhenItIsAScheme(String proto, boolean tls, boolean secure) {
        RequestOrigin o = resolve(TEN, from("10.0.0.1", tls), "x-forwarded-proto", proto);
        assertEquals(secure, o.secure());
        assertEquals(secure ? "https" : "http", o.httpScheme());
        assertEquals(secure ? "wss" : "ws", o.webSocketScheme());
    }

    @Test
    void aProtoWithALineBreakIsNot() {
        assertFalse(resolve(TEN, from("10.0.0.1"), "x-forwarded-proto", "https\r\n").secure());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8443", "[2001:db8::1]:443", "a-b.c_d~e", "EXAMPLE.com"})
    void aValidHostIsBelieved(String host) {
        assertEquals(Optional.of(host), resolve(TEN, from("10.0.0.1"), "x-forwarded-host", host).host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "example.com:", "example.com:0", "example.com:70000", "a/b", "a@b",
            "[::1", "[not-v6]", "example.com\r\nx", ""})
    void anInvalidHostIsNot(String host) {
        assertEquals(Optional.empty(), resolve(TEN, from("10.0.0.1"), "x-forwarded-host", host).host());
        assertEquals(Optional.empty(), resolve(TEN, from("10.0.0.1"), "x-forwarded-host", "x".repeat(256)).host());
    }

    @Test
    void theRightmostHostIsTheTrustedPeers() {
        assertEquals(Optional.of("b.example"), resolve(TEN, from("10.0.0.1"), "x-forwarded-host",
                "a.example, b.example").host());
    }

    @Test
    void theBelievedHostReplacesTheHostField() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "x-forwarded-host", "example.com");
        Headers h = o.applyHost(Headers.of("accept", "*/*", "host", "10.9.9.9:8000", "x-forwarded-host",
                "example.com"));
        assertEquals(Headers.of("accept", "*/*", "host", "example.com", "x-forwarded-host", "example.com"), h);
        assertEquals(Headers.of("a", "b", "host", "example.com"), o.applyHost(Headers.of("a", "b")));
    }

    // ---- Forwarded ----

    @Test
    void forwardedGivesClientSchemeAndHost() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"),
                "forwarded", "for=198.51.100.7;proto=https;host=example.com");
        assertEquals(new RequestOrigin(true, at("198.51.100.7", 0), true, Optional.of("example.com")), o);
    }

    @Test
    void forwardedWinsOverTheXForwardedFields() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "x-forwarded-for", "203.0.113.1",
                "x-forwarded-proto", "http", "x-forwarded-host", "x.example",
                "forwarded", "for=198.51.100.7;proto=https");
        assertEquals(new RequestOrigin(true, at("198.51.100.7", 0), true, Optional.empty()), o);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "for=\"[2001:db9::1]:4711\"                          | [2001:db9:0:0:0:0:0:1]:4711",
            "For=\"198.51.100.7:80\"                              | 198.51.100.7:80",
            "for=198.51.100.7, for=10.0.0.2                        | 198.51.100.7:0",
            "for=198.51.100.7;by=10.0.0.2, for=10.0.0.3;proto=http | 198.51.100.7:0",
            "for=203.0.113.1, for=198.51.100.7, for=\"[2001:db8::9]\" | 198.51.100.7:0",
            // A client's malformed element left of its proxy's does not count.
            "for=\"broken, for=198.51.100.7                        | 198.51.100.7:0",
            "for=10.0.0.4, for=10.0.0.3                            | 10.0.0.4:0",
            "for=\"198.51.100.7:_obf\"                            | 198.51.100.7:0",
            "for=\"a\\\"b\", for=198.51.100.7                      | 198.51.100.7:0",
    })
    void forwardedElementsAreWalkedFromTheRight(String value, String client) {
        assertEquals(client, resolve(TEN, from("10.0.0.1"), "forwarded", value).client().orElseThrow().toString());
    }

    @Test
    void theChosenElementGivesProtoAndHost() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "forwarded",
                "for=198.51.100.7;proto=https;host=\"shop.example:8443\", for=10.0.0.2;proto=http;host=inner");
        assertEquals(new RequestOrigin(true, at("198.51.100.7", 0), true, Optional.of("shop.example:8443")), o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=unknown;proto=https;host=example.com", "for=_hidden;proto=https;host=example.com",
            "proto=https;host=example.com"})
    void anUnknownOrObfuscatedClientKeepsThePeerAndTheElementsProtoAndHost(String value) {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "forwarded", value);
        assertEquals(new RequestOrigin(true, at("10.0.0.1", 40000), true, Optional.of("example.com")), o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"for=198.51.100.7;for=198.51.100.8", "for", "for=\"198.51.100.7", "=x",
            "for=198.51.100.7 x", "for=1.2.3.4;proto=https\r\n", "for=\"a\u0001\""})
    void aMalformedChosenElementIsNotBelieved(String value) {
        RequestOrigin o = resolve(TEN, from("10.0.0.1"), "forwarded", value, "x-forwarded-for", "203.0.113.1");
        assertEquals(new RequestOrigin(true, at("10.0.0.1", 40000), false, Optional.empty()), o,
                "nothing from Forwarded, and X-Forwarded-For is not read when Forwarded is present");
    }

    @Test
    void anInvalidProtoOrHostInTheElementIsIgnoredAlone() {
        RequestOrigin o = resolve(TEN, from("10.0.0.1", true), "forwarded",
                "for=198.51.100.7;proto=gopher;host=\"a b\"");
        assertEquals(new RequestOrigin(true, at("198.51.100.7", 0), true, Optional.empty()), o);
    }
}
