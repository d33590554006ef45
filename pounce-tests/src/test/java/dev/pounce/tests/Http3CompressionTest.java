package dev.pounce.tests;

import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.Server;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Response compression over HTTP/3: the same decorator serves it as HTTP/1.1 and HTTP/2, so each coding is checked
 * once here with Netty's HTTP/3 client, byte for byte, and a small body is left alone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Http3CompressionTest {

    /** A response as the client saw it: the head's fields by name and the body's bytes. */
    record Answer(Map<String, String> headers, byte[] body) {
    }

    @Test
    void eachCodingDecodesToTheOriginalOverHttp3(@TempDir Path dir) throws Exception {
        Path[] pem = Certificates.selfSigned(dir);
        var config = ServerConfig.builder().host("127.0.0.1").port(0).accessLog(false)
                .sslCertFile(pem[0]).sslKeyFile(pem[1]).set("http3.enabled", "true").build();
        com.aayushatharva.brotli4j.Brotli4jLoader.ensureAvailability();
        try (var server = Server.builder(CompressionTest.APP, config).start()) {
            int port = server.tcpAddress().orElseThrow().getPort();
            for (String coding : List.of("zstd", "br", "gzip")) {
                Answer a = get(port, "/json", coding);
                assertEquals("200", a.headers().get(":status"));
                assertEquals(coding, a.headers().get("content-encoding"));
                assertEquals("Origin, Accept-Encoding", a.headers().get("vary"));
                assertArrayEquals(CompressionTest.JSON,
                        CompressionTest.decoding(coding, new ByteArrayInputStream(a.body())).readAllBytes(), coding);
            }
            Answer refused = get(port, "/json", "zstd;q=0, br;q=0, gzip");
            assertEquals("gzip", refused.headers().get("content-encoding"));
            Answer small = get(port, "/small", "zstd, br, gzip");
            assertNull(small.headers().get("content-encoding"));
            assertEquals(499, small.body().length);
        }
    }

    /** One GET over HTTP/3 with Netty's client, trusting any certificate. */
    static Answer get(int port, String path, String acceptEncoding) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            var ssl = QuicSslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocols(Http3.supportedApplicationProtocols()).build();
            Channel datagram = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(Http3.newQuicClientCodecBuilder().sslContext(ssl)
                            .maxIdleTimeout(30, TimeUnit.SECONDS).initialMaxData(1 << 20)
                            .initialMaxStreamDataBidirectionalLocal(1 << 20)
                            .initialMaxStreamDataBidirectionalRemote(1 << 20).build())
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            QuicChannel quic = QuicChannel.newBootstrap(datagram).handler(new Http3ClientConnectionHandler())
                    .remoteAddress(new InetSocketAddress("127.0.0.1", port)).connect().get(30, TimeUnit.SECONDS);
            Map<String, String> headers = new HashMap<>();
            var body = new ByteArrayOutputStream();
            var done = new CompletableFuture<Answer>();
            QuicStreamChannel stream = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler() {
                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
                    frame.headers().forEach(e -> headers.put(e.getKey().toString(), e.getValue().toString()));
                }

                @Override
                protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
                    ByteBuf content = frame.content();
                    byte[] bytes = new byte[content.readableBytes()];
                    content.readBytes(bytes);
                    body.writeBytes(bytes);
                    frame.release();
                }

                @Override
                protected void channelInputClosed(ChannelHandlerContext ctx) {
                    done.complete(new Answer(headers, body.toByteArray()));
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    done.completeExceptionally(cause);
                }
            }).get(30, TimeUnit.SECONDS);
            var head = new DefaultHttp3Headers().method("GET").path(path).scheme("https").authority("localhost");
            head.add("accept-encoding", acceptEncoding);
            stream.writeAndFlush(new DefaultHttp3HeadersFrame(head)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            Answer answer = done.get(30, TimeUnit.SECONDS);
            quic.close().sync();
            datagram.close().sync();
            return answer;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }
}
