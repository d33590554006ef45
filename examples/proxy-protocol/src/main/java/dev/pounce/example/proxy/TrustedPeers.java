package dev.pounce.example.proxy;

import dev.pounce.api.Endpoint;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peers whose PROXY headers are believed: CIDR blocks and single addresses, or everyone when none are given.
 *
 * @param blocks the blocks; empty means every peer
 */
record TrustedPeers(List<Block> blocks) {

    /**
     * One CIDR block.
     *
     * @param network the network's address bytes
     * @param bits    the prefix length
     */
    record Block(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * @param text comma-separated IP literals or CIDR blocks, possibly empty
     * @return the peers
     * @throws IllegalArgumentException naming the entry that is neither
     */
    static TrustedPeers parse(String text) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            byte[] network = literal(slash < 0 ? e : e.substring(0, slash), entry);
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("pounce.proxy-protocol.trusted: bad prefix length in '" + e + "'");
                }
            }
            blocks.add(new Block(network, bits));
        }
        return new TrustedPeers(List.copyOf(blocks));
    }

    private static byte[] literal(String ip, String entry) {
        try {
            return InetAddress.ofLiteral(ip).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pounce.proxy-protocol.trusted: '" + entry.strip()
                    + "' is not an IP address or CIDR block", e);
        }
    }

    /**
     * @param peer the address that connected; absent on a Unix socket, which only local processes reach
     * @return whether its PROXY header is believed
     */
    boolean allows(Optional<Endpoint> peer) {
        if (blocks.isEmpty() || peer.isEmpty()) {
            return true;
        }
        byte[] address;
        try {
            address = InetAddress.ofLiteral(peer.get().host()).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return blocks.stream().anyMatch(b -> b.contains(address));
    }
}
