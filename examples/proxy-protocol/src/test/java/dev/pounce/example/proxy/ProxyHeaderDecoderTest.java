package dev.pounce.example.proxy;

import dev.pounce.api.Endpoint;
import dev.pounce.spi.ConnectionPreamble.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class ProxyHeaderDecoderTest {

    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** A v2 PROXY header for TCP over IPv4, as AWS NLB sends it, with an extra TLV. */
    static byte[] v2Inet(int[] src, int srcPort, int[] dst, int dstPort, byte[] tlvs) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12 + tlvs.length);
        b.put(SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) (12 + tlvs.length));
        for (int x : src) {
            b.put((byte) x);
        }
        for (int x : dst) {
            b.put((byte) x);
        }
        b.putShort((short) srcPort).putShort((short) dstPort).put(tlvs);
        return b.array();
    }

    static Result.Consumed consumed(Result r) {
        return assertInstanceOf(Result.Consumed.class, r);
    }

    @Test
    void v1Tcp4() {
        var c = consumed(ProxyHeaderDecoder.decode(text("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\nGET / HTTP/1.1\r\n")));
        assertEquals(45, c.length());
        assertEquals(Optional.of(new Endpoint("192.0.2.1", 56324)), c.client());
        assertEquals(Optional.of(new Endpoint("198.51.100.7", 443)), c.server());
    }

    @Test
    void v1Tcp6() {
        var c = consumed(ProxyHeaderDecoder.decode(text("PROXY TCP6 2001:db8::1 2001:db8::2 4000 80\r\n")));
        assertEquals(Optional.of(new Endpoint("2001:db8:0:0:0:0:0:1", 4000)), c.client());
    }

    @Test
    void v1UnknownKeepsTheAddresses() {
        var c = consumed(ProxyHeaderDecoder.decode(text("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nGET")));
        assertEquals(Optional.empty(), c.client());
        assertEquals(Optional.empty(), c.server());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P", "PROX", "PROXY ", "PROXY TCP4 192.0.2.1", "PROXY TCP4 192.0.2.1 198.51.100.7 1 2\r"})
    void v1PrefixesNeedMore(String prefix) {
        assertEquals(Result.NEED_MORE, ProxyHeaderDecoder.decode(text(prefix)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 192.0.2.1 198.51.100.7 56324\r\n", "PROXY TCP4 example.com 198.51.100.7 1 2\r\n",
            "PROXY TCP4 192.0.2.256 198.51.100.7 1 2\r\n", "PROXY TCP4 192.0.2.1 198.51.100.7 65536 2\r\n",
            "PROXY TCP4 192.0.2.1 198.51.100.7 01 2\r\n", "PROXY TCP6 192.0.2.1 198.51.100.7 1 2\r\n",
            "PROXY UDP4 192.0.2.1 198.51.100.7 1 2\r\n", "PROXY TCP4  192.0.2.1 198.51.100.7 1 2\r\n"})
    void v1Malformed(String line) {
        assertInstanceOf(Result.Rejected.class, ProxyHeaderDecoder.decode(text(line)));
    }

    @Test
    void v1TooLong() {
        assertInstanceOf(Result.Rejected.class, ProxyHeaderDecoder.decode(text("PROXY " + "x".repeat(120))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n", "PRI * HTTP/2.0\r\n", "POST / HTTP/1.1\r\n", "\r\nGET / HTTP/1.1"})
    void otherProtocolsAreAbsent(String start) {
        assertEquals(Result.ABSENT, ProxyHeaderDecoder.decode(text(start)));
    }

    @Test
    void theBuffersIndexesAreLeftAlone() {
        ByteBuf in = text("PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\nGET");
        ProxyHeaderDecoder.decode(in);
        assertEquals(0, in.readerIndex());
    }

    @Test
    void v2Inet() {
        byte[] tlv = {0x04, 0x00, 0x02, 'o', 'k'};
        byte[] header = v2Inet(new int[]{203, 0, 113, 9}, 51000, new int[]{10, 0, 0, 5}, 8080, tlv);
        byte[] withRequest = Arrays.copyOf(header, header.length + 3);
        var c = consumed(ProxyHeaderDecoder.decode(Unpooled.wrappedBuffer(withRequest)));
        assertEquals(header.length, c.length());
        assertEquals(Optional.of(new Endpoint("203.0.113.9", 51000)), c.client());
        assertEquals(Optional.of(new Endpoint("10.0.0.5", 8080)), c.server());
    }

    @Test
    void v2EveryShorterPrefixNeedsMore() {
        byte[] header = v2Inet(new int[]{203, 0, 113, 9}, 1, new int[]{10, 0, 0, 5}, 2, new byte[0]);
        for (int n = 1; n < header.length; n++) {
            assertEquals(Result.NEED_MORE, ProxyHeaderDecoder.decode(Unpooled.wrappedBuffer(header, 0, n)), "n=" + n);
        }
    }

    @Test
    void v2LocalKeepsTheAddresses() {
        ByteBuffer b = ByteBuffer.allocate(16).put(SIGNATURE).put((byte) 0x20).put((byte) 0x00).putShort((short) 0);
        var c = consumed(ProxyHeaderDecoder.decode(Unpooled.wrappedBuffer(b.array())));
        assertEquals(16, c.length());
        assertEquals(Optional.empty(), c.client());
    }

    @Test
    void v2BadVersionOrShortAddressesAreRejected() {
        byte[] header = v2Inet(new int[]{1, 2, 3, 4}, 1, new int[]{5, 6, 7, 8}, 2, new byte[0]);
        byte[] badVersion = header.clone();
        badVersion[12] = 0x31;
        assertInstanceOf(Result.Rejected.class, ProxyHeaderDecoder.decode(Unpooled.wrappedBuffer(badVersion)));
        byte[] shortBlock = header.clone();
        shortBlock[15] = 4;
        assertInstanceOf(Result.Rejected.class,
                ProxyHeaderDecoder.decode(Unpooled.wrappedBuffer(Arrays.copyOf(shortBlock, 20))));
    }
}
