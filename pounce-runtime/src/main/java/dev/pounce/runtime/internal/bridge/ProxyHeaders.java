package dev.pounce.runtime.internal.bridge;

import dev.pounce.api.Endpoint;
import dev.pounce.api.Headers;
import dev.pounce.api.TrustedProxies;
import dev.pounce.spi.ConnectionInfo;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what a trusted proxy says about a request ({@code --forwarded-allow-ips}) into a {@link RequestOrigin}.
 *
 * <p>The peer is the connection's client address, which behind the PROXY protocol is the address its header gave.
 * It is trusted when {@link TrustedProxies} trusts it, or when it is a Unix domain socket (only local processes that
 * may open the socket file reach one). From an untrusted peer nothing is believed: the fields still reach the app
 * unchanged, but the scope's client, scheme and host are the connection's.
 *
 * <p>From a trusted peer:
 * <ul>
 *   <li>With an RFC 7239 {@code Forwarded} field, it alone is read and the {@code X-Forwarded-*} fields are not: a
 *       proxy that writes the standard field means it. Its elements are walked from the right, each skipped while its
 *       {@code for=} is a trusted address; the first element whose {@code for=} is not (or the leftmost, if all are)
 *       gives the client, and its {@code proto=} and {@code host=} the scheme and host. A {@code for=} of
 *       {@code unknown} or an obfuscated identifier ({@code _hidden}) ends the walk with no client address: the
 *       client stays the peer, the element's {@code proto=} and {@code host=} still count.</li>
 *   <li>Otherwise {@code X-Forwarded-For} is walked the same way (Uvicorn's rule: the first address from the right
 *       that is not trusted is the client; if all are, the leftmost); {@code X-Forwarded-Proto} gives the scheme and
 *       {@code X-Forwarded-Host} the host, each its rightmost item, the one the trusted peer itself wrote.</li>
 * </ul>
 *
 * <p>Values are checked, and a value that fails is not believed, never answered with an error: an address must be an
 * IPv4 address in four decimal parts or an IPv6 one ({@code [2001:db8::1]:4711} quoted in {@code Forwarded}), at
 * most {@value #MAX_NODE} characters, with an optional port; a scheme one of {@code http https ws wss} in any case; a
 * host a name of letters, digits, {@code - . _ ~} or a bracketed IPv6 address, with an optional port, at most
 * {@value #MAX_HOST} characters. Anything with CR, LF or another control character fails these checks. Only the
 * entries the walk reaches are read, so a client that puts garbage before the entry its proxy appends cannot make
 * that entry disbelieved; at most {@value #MAX_HOPS} entries are read, past which nothing is believed.
 */
final class ProxyHeaders {

    /** The most entries read from the right of {@code X-Forwarded-For} or {@code Forwarded}. */
    static final int MAX_HOPS = 32;
    /** The longest address entry, port and brackets included. */
    static final int MAX_NODE = 64;
    /** The longest host, as DNS names are bounded. */
    static final int MAX_HOST = 255;

    private final TrustedProxies trusted;

    /** @param trusted the peers to believe */
    ProxyHeaders(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /**
     * @param conn a connection
     * @return whether its peer is trusted: in the list, or a Unix domain socket
     */
    boolean trusts(ConnectionInfo conn) {
        if (conn.client().isEmpty()) {
            return true;
        }
        Endpoint peer = conn.client().get();
        if (trusted.everyone()) {
            return true;
        }
        InetAddress address = TrustedProxies.address(peer.host());
        if (address == null) {
            // Not an address: a Unix domain socket's path, with port 0.
            return peer.port() == 0;
        }
        return trusted.trusts(address);
    }

    /**
     * @param headers the request's fields, names lower-cased
     * @param conn    the connection it came on
     * @return what is believed about its origin
     */
    RequestOrigin resolve(Headers headers, ConnectionInfo conn) {
        String forwarded = null;
        String forwardedFor = null;
        String proto = null;
        String host = null;
        boolean requestId = false;
        for (int i = 0; i < headers.size(); i++) {
            String v = headers.value(i);
            // Repeated fields are one comma-separated list (RFC 9110 section 5.3).
            switch (headers.name(i)) {
                case "forwarded" -> forwarded = join(forwarded, v);
                case "x-forwarded-for" -> forwardedFor = join(forwardedFor, v);
                case "x-forwarded-proto" -> proto = join(proto, v);
                case "x-forwarded-host" -> host = join(host, v);
                case RequestIds.HEADER -> requestId = true;
                default -> { }
            }
        }
        boolean proxyFields = forwarded != null || forwardedFor != null || proto != null || host != null;
        if (!proxyFields && !requestId) {
            return RequestOrigin.direct(conn, false);
        }
        boolean peerTrusted = trusts(conn);
        if (!peerTrusted || !proxyFields) {
            return RequestOrigin.direct(conn, peerTrusted);
        }
        return forwarded != null ? fromForwarded(forwarded, conn) : fromXForwarded(forwardedFor, proto, host, conn);
    }

    private static String join(String list, String value) {
        return list == null ? value : list + "," + value;
    }

    // ---- X-Forwarded-* ----

    private RequestOrigin fromXForwarded(String forwardedFor, String proto, String host, ConnectionInfo conn) {
        Optional<Endpoint> client = conn.client();
        if (forwardedFor != null) {
            Endpoint named = walkForwardedFor(forwardedFor);
            if (named != null) {
                client = Optional.of(named);
            }
        }
        Boolean secure = proto == null ? null : secure(lastItem(proto));
        String h = host == null ? null : lastItem(host);
        return new RequestOrigin(true, client, secure == null ? conn.secure() : secure,
                h != null && validHost(h) ? Optional.of(h) : Optional.empty());
    }

    /** @return the client the list names, or null when none is believed */
    private Endpoint walkForwardedFor(String list) {
        int end = list.length();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            int comma = list.lastIndexOf(',', end - 1);
            Node node = node(trim(list, comma + 1, end));
            if (node == null) {
                return null;
            }
            if (comma < 0 || !trusted.trusts(node.address())) {
                return node.endpoint();
            }
            end = comma;
        }
        return null;
    }

    private static String lastItem(String list) {
        String item = trim(list, list.lastIndexOf(',') + 1, list.length());
        return item.isEmpty() ? null : item;
    }

    /** @return {@code s[from, to)} without the spaces and tabs around it (a CR or LF stays, to fail the checks) */
    private static String trim(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    // ---- Forwarded (RFC 7239) ----

    /** One element's parameters that matter here; each null when absent. */
    private record Element(String forNode, String proto, String host) {
    }

    private RequestOrigin fromForwarded(String list, ConnectionInfo conn) {
        int end = list.length();
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            int comma = previousComma(list, end);
            Element e = element(list.substring(comma + 1, end));
            if (e == null) {
                return RequestOrigin.direct(conn, true);
            }
            Node node = e.forNode() == null ? null : node(e.forNode());
            if (node != null && comma >= 0 && trusted.trusts(node.address())) {
                end = comma;
                continue;
            }
            Boolean secure = e.proto() == null ? null : secure(e.proto());
            return new RequestOrigin(true, node != null ? Optional.of(node.endpoint()) : conn.client(),
                    secure == null ? conn.secure() : secure,
                    e.host() != null && validHost(e.host()) ? Optional.of(e.host()) : Optional.empty());
        }
        return RequestOrigin.direct(conn, true);
    }

    /** @return the index of the last comma before {@code end} outside a quoted string, or -1 */
    private static int previousComma(String s, int end) {
        boolean quoted = false;
        for (int i = end - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == '"' && !escaped(s, i)) {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static boolean escaped(String s, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /**
     * Parses {@code pair *( ";" pair )} with {@code pair = token "=" ( token / quoted-string )}.
     *
     * @return the element, or null when it is malformed or names {@code for}, {@code proto} or {@code host} twice
     */
    private static Element element(String s) {
        String forNode = null;
        String proto = null;
        String host = null;
        int n = s.length();
        int i = 0;
        while (true) {
            i = skipSpace(s, i);
            if (i == n) {
                return new Element(forNode, proto, host);
            }
            if (s.charAt(i) == ';') {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && Headers.isTokenChar(s.charAt(i))) {
                i++;
            }
            if (i == nameStart || i == n || s.charAt(i) != '=') {
                return null;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i++;
            var value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i == n) {
                        return null;
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i == n) {
                            return null;
                        }
                        c = s.charAt(i++);
                    }
                    if (c < 0x20 && c != '\t' || c == 0x7f || value.length() == MAX_HOST) {
                        return null;
                    }
                    value.append(c);
                }
            } else {
                while (i < n && s.charAt(i) != ';' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    char c = s.charAt(i++);
                    // Lenient: IPv6 and ports should be quoted, but an unquoted one is read as it is.
                    if (c <= 0x20 || c >= 0x7f || c == '"' || value.length() == MAX_HOST) {
                        return null;
                    }
                    value.append(c);
                }
            }
            i = skipSpace(s, i);
            if (i < n && s.charAt(i) != ';') {
                return null;
            }
            String v = value.toString();
            switch (name) {
                case "for" -> {
                    if (forNode != null) {
                        return null;
                    }
                    forNode = v;
                }
                case "proto" -> {
                    if (proto != null) {
                        return null;
                    }
                    proto = v;
                }
                case "host" -> {
                    if (host != null) {
                        return null;
                    }
                    host = v;
                }
                default -> { }
            }
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    // ---- values ----

    /** An address, and the port given with it (0 if none, or an obfuscated one). */
    private record Node(InetAddress address, int port) {
        Endpoint endpoint() {
            return new Endpoint(address.getHostAddress(), port);
        }
    }

    /**
     * @param s {@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code 2001:db8::1}, {@code [2001:db8::1]} or
     *          {@code [2001:db8::1]:4711}; the port may be obfuscated ({@code _p})
     * @return the address and port, or null for anything else ({@code unknown}, {@code _hidden}, garbage)
     */
    static Node node(String s) {
        if (s.isEmpty() || s.length() > MAX_NODE) {
            return null;
        }
        String address;
        String port = null;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            address = s.substring(1, close);
            if (address.indexOf(':') < 0) {
                return null;
            }
            if (close + 1 < s.length()) {
                if (s.charAt(close + 1) != ':') {
                    return null;
                }
                port = s.substring(close + 2);
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
                address = s.substring(0, colon);
                port = s.substring(colon + 1);
            } else {
                address = s;
            }
        }
        InetAddress a = TrustedProxies.address(address);
        if (a == null) {
            return null;
        }
        int p = port == null ? 0 : port(port);
        return p < 0 ? null : new Node(a, p);
    }

    /** @return the port, 0 for an obfuscated one, -1 if it is neither */
    private static int port(String s) {
        if (s.length() > 1 && s.charAt(0) == '_') {
            return obfuscated(s) ? 0 : -1;
        }
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            p = p * 10 + (c - '0');
        }
        return p <= 65535 ? p : -1;
    }

    private static boolean obfuscated(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** @return true for https and wss, false for http and ws, null for anything else */
    static Boolean secure(String proto) {
        return switch (proto.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> true;
            case "http", "ws" -> false;
            default -> null;
        };
    }

    /** @return whether {@code h} is a host, with an optional port, that a Host field may carry */
    static boolean validHost(String h) {
        if (h.isEmpty() || h.length() > MAX_HOST) {
            return false;
        }
        int portStart;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 0 || h.substring(1, close).indexOf(':') < 0
                    || TrustedProxies.address(h.substring(1, close)) == null) {
                return false;
            }
            portStart = close + 1;
        } else {
            int i = 0;
            while (i < h.length() && nameChar(h.charAt(i))) {
                i++;
            }
            if (i == 0) {
                return false;
            }
            portStart = i;
        }
        if (portStart == h.length()) {
            return true;
        }
        // A port of digits: an obfuscated one (RFC 7239's _p) is no port a Host field may carry.
        return h.charAt(portStart) == ':' && port(h.substring(portStart + 1)) > 0;
    }

    private static boolean nameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
