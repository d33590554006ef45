package dev.pounce.example.proxy;

import dev.pounce.api.Endpoint;
import dev.pounce.spi.ConnectionPreamble.Result;
import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes a HAProxy PROXY protocol header (https://www.haproxy.org/download/3.0/doc/proxy-protocol.txt) from the
 * first bytes of a connection, without changing the buffer's indexes. Stateless: the same bytes give the same
 * answer, so it is simply called again with more bytes after {@link Result#NEED_MORE}.
 */
final class ProxyHeaderDecoder {

    /** Section 2.1: "a maximum of 107 bytes" for a v1 line, CRLF included. */
    static final int V1_MAX = 107;
    /** Section 2.2: 16 fixed bytes, then at most 65535 more. */
    static final int V2_MAX = 16 + 65535;

    private static final byte[] V1_SIGNATURE = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaderDecoder() {
    }

    /**
     * @param in the first bytes of the connection, from reader index on
     * @return absent, need more, consumed (with the addresses), or rejected
     */
    static Result decode(ByteBuf in) {
        int n = in.readableBytes();
        if (n == 0) {
            return Result.NEED_MORE;
        }
        byte first = in.getByte(in.readerIndex());
        if (first == V1_SIGNATURE[0]) {
            return startsWith(in, V1_SIGNATURE) ? v1(in) : prefixOf(in, V1_SIGNATURE);
        }
        if (first == V2_SIGNATURE[0]) {
            return startsWith(in, V2_SIGNATURE) ? v2(in) : prefixOf(in, V2_SIGNATURE);
        }
        return Result.ABSENT;
    }

    private static boolean startsWith(ByteBuf in, byte[] signature) {
        if (in.readableBytes() < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (in.getByte(in.readerIndex() + i) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    /** Fewer bytes than the signature: need more while they match it so far. */
    private static Result prefixOf(ByteBuf in, byte[] signature) {
        int n = Math.min(in.readableBytes(), signature.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != signature[i]) {
                return Result.ABSENT;
            }
        }
        return n < signature.length ? Result.NEED_MORE : Result.ABSENT;
    }

    // ---- v1: "PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n" ----

    private static Result v1(ByteBuf in) {
        int limit = Math.min(in.readableBytes(), V1_MAX);
        int end = -1;
        for (int i = 0; i + 1 < limit; i++) {
            if (in.getByte(in.readerIndex() + i) == '\r' && in.getByte(in.readerIndex() + i + 1) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return in.readableBytes() >= V1_MAX ? new Result.Rejected("PROXY v1 line longer than 107 bytes")
                    : Result.NEED_MORE;
        }
        String line = in.toString(in.readerIndex(), end, StandardCharsets.US_ASCII);
        int length = end + 2;
        String[] parts = line.split(" ", -1);
        if (parts.length >= 2 && parts[1].equals("UNKNOWN")) {
            // Section 2.1: the receiver ignores the rest and keeps the connection's own addresses.
            return new Result.Consumed(length, Optional.empty(), Optional.empty());
        }
        if (parts.length != 6 || !(parts[1].equals("TCP4") || parts[1].equals("TCP6"))) {
            return new Result.Rejected("malformed PROXY v1 line");
        }
        boolean v6 = parts[1].equals("TCP6");
        Optional<String> source = literal(parts[2], v6);
        Optional<String> destination = literal(parts[3], v6);
        int sourcePort = port(parts[4]);
        int destinationPort = port(parts[5]);
        if (source.isEmpty() || destination.isEmpty() || sourcePort < 0 || destinationPort < 0) {
            return new Result.Rejected("bad address or port in PROXY v1 line");
        }
        return new Result.Consumed(length, Optional.of(new Endpoint(source.get(), sourcePort)),
                Optional.of(new Endpoint(destination.get(), destinationPort)));
    }

    /** An IP literal of the family asked for, as {@link InetAddress#getHostAddress()} writes it; never a DNS name. */
    private static Optional<String> literal(String text, boolean v6) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        try {
            InetAddress a = v6 ? Inet6Address.ofLiteral(text) : Inet4Address.ofLiteral(text);
            return Optional.of(a.getHostAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the port, or -1 unless it is 1 to 5 digits without a leading zero, at most 65535 */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int p = Integer.parseInt(text);
        return p <= 65535 ? p : -1;
    }

    // ---- v2: 12-byte signature, version/command, family/transport, length, addresses, TLVs ----

    private static Result v2(ByteBuf in) {
        int base = in.readerIndex();
        if (in.readableBytes() < 16) {
            return Result.NEED_MORE;
        }
        int versionCommand = in.getUnsignedByte(base + 12);
        int familyTransport = in.getUnsignedByte(base + 13);
        int length = in.getUnsignedShort(base + 14);
        if (versionCommand >> 4 != 2) {
            return new Result.Rejected("PROXY v2 header with version " + (versionCommand >> 4));
        }
        int command = versionCommand & 0x0F;
        if (command > 1) {
            return new Result.Rejected("PROXY v2 header with unknown command " + command);
        }
        if (in.readableBytes() < 16 + length) {
            return Result.NEED_MORE;
        }
        int total = 16 + length;
        if (command == 0) {
            // LOCAL: the proxy's own connection (a health check); keep the real addresses.
            return new Result.Consumed(total, Optional.empty(), Optional.empty());
        }
        int family = familyTransport >> 4;
        int transport = familyTransport & 0x0F;
        int addressLength = switch (family) {
            case 1 -> 12;
            case 2 -> 36;
            default -> 0;
        };
        if (family == 0 || family == 3 || transport != 1) {
            // UNSPEC, AF_UNIX, or not a stream: section 2.2 says to accept it and keep the connection's addresses.
            return new Result.Consumed(total, Optional.empty(), Optional.empty());
        }
        if (addressLength == 0) {
            return new Result.Rejected("PROXY v2 header with unknown address family " + family);
        }
        if (length < addressLength) {
            return new Result.Rejected("PROXY v2 address block of " + length + " bytes, " + addressLength + " needed");
        }
        int ipLength = family == 1 ? 4 : 16;
        byte[] source = new byte[ipLength];
        byte[] destination = new byte[ipLength];
        in.getBytes(base + 16, source);
        in.getBytes(base + 16 + ipLength, destination);
        int sourcePort = in.getUnsignedShort(base + 16 + 2 * ipLength);
        int destinationPort = in.getUnsignedShort(base + 18 + 2 * ipLength);
        return new Result.Consumed(total, Optional.of(new Endpoint(address(source), sourcePort)),
                Optional.of(new Endpoint(address(destination), destinationPort)));
    }

    private static String address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
