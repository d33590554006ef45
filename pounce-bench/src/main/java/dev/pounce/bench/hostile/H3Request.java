package dev.pounce.bench.hostile;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * One {@code GET} on its own HTTP/3 request stream, reporting once how it ended: the response's status and body
 * size, or a failure (the stream could not be opened, was reset, or closed without a response). Runs on the QUIC
 * connection's event loop, and so does the callback.
 */
final class H3Request extends Http3RequestStreamInboundHandler {

    /** How a request ended. */
    interface Done {
        /**
         * @param status the response's status, or 0 when the request failed
         * @param bytes  body bytes received
         */
        void done(int status, long bytes);
    }

    private final Done done;
    private int status;
    private long bytes;
    private boolean reported;

    private H3Request(Done done) {
        this.done = done;
    }

    /**
     * Opens a request stream on {@code quic} and sends {@code GET path} with the request's end (the stream's FIN).
     * On the connection's event loop or any other thread.
     */
    static void get(QuicChannel quic, String authority, String path, Done done) {
        var request = new H3Request(done);
        Http3.newRequestStream(quic, request).addListener(f -> {
            if (!f.isSuccess()) {
                request.report(0);
                return;
            }
            var stream = (QuicStreamChannel) f.getNow();
            Http3Headers head = new DefaultHttp3Headers();
            head.method("GET").path(path).scheme("https").authority(authority);
            stream.writeAndFlush(new DefaultHttp3HeadersFrame(head)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        });
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
        CharSequence s = frame.headers().status();
        // Interim responses (1xx) come before the final one; trailers after it carry no status.
        if (s != null && status < 200) {
            status = Integer.parseInt(s.toString());
        }
        ReferenceCountUtil.release(frame);
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
        bytes += frame.content().readableBytes();
        frame.release();
    }

    @Override
    protected void channelInputClosed(ChannelHandlerContext ctx) {
        report(status >= 200 ? status : 0);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(0);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        report(0);
        super.channelInactive(ctx);
    }

    private void report(int outcome) {
        if (!reported) {
            reported = true;
            done.done(outcome, bytes);
        }
    }
}
