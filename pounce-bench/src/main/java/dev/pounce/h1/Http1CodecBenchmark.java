package dev.pounce.h1;

import dev.pounce.api.Headers;
import dev.pounce.api.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two halves of Pounce's HTTP/1.1 codec that every request crosses, called as {@code Http1Connection} and
 * {@code Http1Exchange} call them: {@link HeadParser#parse} on a browser-like GET with eight fields, and the response
 * head that {@link ResponseEncoder} writes for a hello answer (status line, the app's two fields, {@code Server},
 * {@code Content-Length}). This class sits in {@code dev.pounce.h1} of this benchmark jar because both are
 * package-private; on the class path, where the benchmarks run, that makes them reachable without opening the
 * plugin's module. Run with {@code -prof gc} ({@code pounce-bench/jmh.sh} does) for bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Http1CodecBenchmark {

    /** The request wrk would send if it were a browser: the same fields as the headers benchmarks' set. */
    static final byte[] REQUEST = ("GET /plaintext?lang=en HTTP/1.1\r\n"
            + "Host: localhost:8000\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-GB,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=3f9a2c7e5b1d4e8f; theme=dark\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private static final Headers RESPONSE = Headers.of("content-type", "text/plain", "content-length", "19");

    private HeadParser parser;
    private ByteBuf request;

    /** A parser with the default limits, and the request in a direct buffer as the socket would hand it over. */
    @Setup
    public void setUp() {
        parser = new HeadParser(ServerConfig.builder().build().limits(), true);
        request = Unpooled.directBuffer(REQUEST.length).writeBytes(REQUEST);
    }

    /** Frees the request buffer. */
    @TearDown
    public void tearDown() {
        request.release();
    }

    /**
     * @return the parsed head of one request (method, target, version, lower-cased fields)
     * @throws RequestRejected never: the request is valid
     */
    @Benchmark
    public ParsedRequest parseRequestHead() throws RequestRejected {
        request.readerIndex(0);
        ParsedRequest parsed = parser.parse(request);
        parser.reset();
        return parsed;
    }

    /**
     * The head of a hello response, written into a pooled buffer as the exchange does, then released.
     *
     * @return the head's length in bytes
     */
    @Benchmark
    public int encodeResponseHead() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(160 + ResponseEncoder.estimate(RESPONSE));
        try {
            ResponseEncoder.statusLine(out, 200);
            for (int i = 0; i < RESPONSE.size(); i++) {
                if (!RESPONSE.name(i).equals("content-length")) {
                    ResponseEncoder.field(out, RESPONSE.name(i), RESPONSE.value(i));
                }
            }
            ResponseEncoder.field(out, "Server", "pounce");
            ResponseEncoder.field(out, "Content-Length", 19L);
            out.writeBytes(ResponseEncoder.CRLF);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
