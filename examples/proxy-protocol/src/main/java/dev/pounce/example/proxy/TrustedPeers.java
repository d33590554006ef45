package dev.pounce.example.proxy;

import dev.pounce.api.Endpoint;

import java.net.InetAddress;
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
     * @param items IP literals or CIDR blocks, each checked by {@link #whyNot}
     * @return the peers; everyone when there are none
     * @throws IllegalArgumentException naming an item that is neither
     */
    static TrustedPeers of(List<String> items) {
        return new TrustedPeers(items.stream().map(item -> {
            try {
                return block(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + item + "' " + e.getMessage(), e);
            }
        }).toList());
    }

    /**
     * @param item an IP literal ({@code 192.0.2.7}, {@code 2001:db8::1}) or CIDR block ({@code 10.0.0.0/8})
     * @return why it is neither, to follow the item in an error; empty when it is one
     */
    static Optional<String> whyNot(String item) {
        try {
            block(item);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Block block(String item) {
        int slash = item.indexOf('/');
        String address = slash < 0 ? item : item.substring(0, slash);
        String notOne = "is not an IP address" + (slash < 0 ? "" : " followed by /bits");
        // ofLiteral never resolves a name: a load balancer is named by its address, as in a firewall rule. It takes
        // short IPv4 forms too ("10.1" is 10.0.0.1), which are too easily misread in a list of trusted peers.
        if (address.indexOf(':') < 0 && !address.matches("[0-9]+(\\.[0-9]+){3}")) {
            throw new IllegalArgumentException(notOne);
        }
        byte[] network;
        try {
            network = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
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
