package dev.pounce.h1;

import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.Detection;
import dev.pounce.spi.StreamProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.util.List;

/**
 * HTTP/1.1 (and 1.0) as a Pounce protocol: ALPN id {@code http/1.1}, and the fallback for cleartext connections
 * that no other protocol recognises. Stateless; one instance serves every connection.
 */
public final class Http1ProtocolHandler implements StreamProtocol {

    /**
     * The HTTP/2 preface starts like a request line (RFC 9113 section 3.4) but is HTTP/2's to recognise. Compared
     * up to the version; an HTTP/1.1 request with the method PRI never ends like this.
     */
    private static final String H2_PREFACE = "PRI * HTTP/2.0";

    /** Creates the handler; called by {@link java.util.ServiceLoader}. */
    public Http1ProtocolHandler() {
    }

    /** @return {@code http/1.1} */
    @Override
    public String name() {
        return "http/1.1";
    }

    /** @return {@code [http/1.1]} */
    @Override
    public List<String> alpnIds() {
        return List.of("http/1.1");
    }

    /**
     * @return 0: the most general protocol goes last in the ALPN list, so a client that speaks HTTP/2 gets it
     */
    @Override
    public int preference() {
        return 0;
    }

    /**
     * Recognises a request line's start: a method token followed by a space (RFC 9112 section 3). Needs more while
     * every byte so far could still be a method.
     */
    @Override
    public Detection detect(ByteBuf prefix) {
        int length = prefix.readableBytes();
        int preface = Math.min(length, H2_PREFACE.length());
        if (preface >= 4 && ByteClasses.equalsAscii(prefix, prefix.readerIndex(), preface,
                H2_PREFACE.substring(0, preface))) {
            return preface < H2_PREFACE.length() ? Detection.NEED_MORE : Detection.NOT_RECOGNISED;
        }
        int stop = length == 0 ? -1 : prefix.forEachByte(prefix.readerIndex(), length, ByteClasses.NOT_TCHAR);
        if (stop < 0) {
            // A method longer than the parser takes cannot be ours.
            return length > RequestLineScanner.MAX_METHOD ? Detection.NOT_RECOGNISED : Detection.NEED_MORE;
        }
        return stop > prefix.readerIndex() && prefix.getByte(stop) == ByteClasses.SP
                ? Detection.RECOGNISED : Detection.NOT_RECOGNISED;
    }

    /** @return true: HTTP/1.1 has no preface, so it serves what nothing else recognised */
    @Override
    public boolean cleartextFallback() {
        return true;
    }

    /**
     * Adds the connection's HTTP/1.1 state machine at the end of the pipeline, and lets the connection be half
     * closed: a client that sends its requests and then shuts its side still gets its answers.
     */
    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast("pounce-h1", new Http1Connection(context));
    }
}
