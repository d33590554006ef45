package dev.pounce.api;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The peers whose {@code Forwarded}, {@code X-Forwarded-For}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}
 * and {@code X-Request-ID} fields the server believes ({@code --forwarded-allow-ips}, Uvicorn's flag): single IPv4
 * and IPv6 addresses, CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), or {@code *} for every peer.
 *
 * <p>Items are addresses, never names: a load balancer is named by its address, as in a firewall rule, and a name
 * would need a lookup on the request path. IPv4 items must be written as four decimal parts, because
 * {@link InetAddress#ofLiteral} also takes short forms ({@code 10.1} is {@code 10.0.0.1}) that are too easily misread
 * in a list of trusted peers. An IPv4 peer that a dual-stack socket reports as IPv4-mapped IPv6
 * ({@code ::ffff:10.0.0.1}) is matched as the IPv4 address it is.
 *
 * <p>Immutable and safe to share between threads; {@link #trusts} allocates nothing beyond parsing the literal.
 */
public final class TrustedProxies {

    /**
     * The default: a proxy on the same host, at any loopback address, over IPv4 or IPv6 ({@code 127.0.0.0/8,::1};
     * Uvicorn trusts {@code 127.0.0.1}, the Python Pounce no one by default).
     */
    public static final TrustedProxies LOOPBACK = of(List.of("127.0.0.0/8", "::1"));

    /** One CIDR block: the network's address bytes and the prefix length. */
    private record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff00 >> rest & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<String> items;
    private final List<Block> blocks;
    private final boolean everyone;

    private TrustedProxies(List<String> items, List<Block> blocks, boolean everyone) {
        this.items = items;
        this.blocks = blocks;
        this.everyone = everyone;
    }

    /**
     * @param items IP literals ({@code 192.0.2.7}, {@code 2001:db8::1}), CIDR blocks ({@code 10.0.0.0/8}) or
     *              {@code *}; spaces around an item and empty items are ignored
     * @return the trusted peers; none when there are no items (an empty {@code --forwarded-allow-ips ""})
     * @throws IllegalArgumentException naming the first item that is none of these, such as
     *                                  {@code '10.0.0.0/33' has a prefix length that is not 0 to 32}
     */
    public static TrustedProxies of(List<String> items) {
        List<String> kept = new ArrayList<>(items.size());
        List<Block> blocks = new ArrayList<>(items.size());
        boolean everyone = false;
        for (String raw : items) {
            String item = Objects.requireNonNull(raw, "item").strip();
            if (item.isEmpty()) {
                continue;
            }
            kept.add(item);
            if (item.equals("*")) {
                everyone = true;
                continue;
            }
            try {
                blocks.add(block(item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + item + "' " + e.getMessage(), e);
            }
        }
        return new TrustedProxies(List.copyOf(kept), List.copyOf(blocks), everyone);
    }

    private static Block block(String item) {
        int slash = item.indexOf('/');
        String address = slash < 0 ? item : item.substring(0, slash);
        String notOne = "is not an IP address" + (slash < 0 ? "" : " followed by /bits") + " or *";
        byte[] network = literal(address);
        if (network == null) {
            throw new IllegalArgumentException(notOne);
        }
        int max = network.length * 8;
        if (slash < 0) {
            return new Block(network, max);
        }
        String bits = item.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
            throw new IllegalArgumentException("has a prefix length that is not 0 to " + max);
        }
        return new Block(network, Integer.parseInt(bits));
    }

    /**
     * @param text an IPv4 address in four decimal parts, or an IPv6 address without brackets or zone
     * @return its bytes (4 for IPv4 and IPv4-mapped IPv6, else 16), or null if it is neither
     */
    private static byte[] literal(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf('%') >= 0 || text.indexOf('[') >= 0) {
            return null;
        }
        if (text.indexOf(':') < 0 && !dottedQuad(text)) {
            return null;
        }
        try {
            // ofLiteral never resolves a name.
            return InetAddress.ofLiteral(text).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean dottedQuad(String s) {
        int parts = 1;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                parts++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4 && digits > 0;
    }

    /**
     * Parses an address as {@link #of} takes it: an IPv4 address in four decimal parts, or an IPv6 address without
     * brackets or zone. For readers of forwarded fields, which must be as strict as the list they are matched with.
     *
     * @param text the text
     * @return the address, or null when the text is not one
     */
    public static InetAddress address(String text) {
        byte[] bytes = literal(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** @return the items as given, trimmed, in order; what {@link #toString} joins */
    public List<String> items() {
        return items;
    }

    /** @return whether {@code *} was given: every peer is trusted */
    public boolean everyone() {
        return everyone;
    }

    /**
     * @param peer an address
     * @return whether it is trusted
     */
    public boolean trusts(InetAddress peer) {
        if (everyone) {
            return true;
        }
        byte[] bytes = peer.getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peer an address in text form, as an {@link Endpoint} holds it
     * @return whether it is an address, and a trusted one
     */
    public boolean trusts(String peer) {
        if (everyone) {
            return true;
        }
        byte[] bytes = literal(peer);
        if (bytes == null) {
            return false;
        }
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.items.equals(items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    /** @return the items joined by commas, as {@code --forwarded-allow-ips} takes them: {@code 127.0.0.0/8,::1} */
    @Override
    public String toString() {
        return String.join(",", items);
    }
}
