package dev.pounce.cli.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The load generator of {@code pounce bench}, on Netty: {@code --connections} connections, each driven by its own
 * senders ({@code --streams} per HTTP/2 connection, one per HTTP/1.1 connection), all on a few client event loops.
 *
 * <p>A sender lives on one event loop and is touched by no other thread while the run lasts: it records into its own
 * {@link LatencyHistogram} and counters without a lock; {@link #run} adds them up once every sender has finished.
 * A request counts when its due time ({@link Pacing}) lies in the measured window, whenever its answer comes; a
 * sender sends nothing due after the window, and waits for the answers it is owed before it finishes, so the totals
 * are the requests the server saw.
 */
public final class LoadClient {

    /** Longest response body read; larger answers count as errors. */
    private static final int MAX_RESPONSE = 1 << 20;
    /** How long after the window the answers still owed are waited for. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Where the load goes.
     *
     * @param host     the address to connect to
     * @param port     the TCP port
     * @param basePath the path the workloads' paths are appended to, empty or such as {@code /bench}
     */
    public record Target(String host, int port, String basePath) {
        /** @return {@code host:port}, the host in brackets if it is an IPv6 address */
        public String authority() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * One run: one protocol, one workload.
     *
     * @param protocol      how to talk
     * @param workload      what to ask for
     * @param connections   connections, at least 1
     * @param streams       requests at once per HTTP/2 connection, at least 1
     * @param rate          requests per second over all senders, or 0 for a closed loop
     * @param warmupNanos   how long requests go unmeasured first
     * @param durationNanos how long requests are measured
     * @param threads       client event loops, at least 1
     */
    public record Plan(Protocol protocol, Workload workload, int connections, int streams, double rate,
                       long warmupNanos, long durationNanos, int threads) {
        int senders() {
            return protocol == Protocol.H2C ? connections * streams : connections;
        }
    }

    /**
     * What one run measured.
     *
     * @param latencies     the latencies of the measured requests that succeeded
     * @param requests      measured requests that succeeded
     * @param errors        measured requests that failed (a status other than 2xx, a short body, a broken
     *                      connection or stream, no answer)
     * @param total         every request sent and answered or failed, the warm-up's included
     * @param windowNanos   the measured window's length
     * @param clientCpuNanos CPU time the client's event loops used in the window, to tell it apart from the server's
     * @param serverCpuNanos the change of {@code serverCpu} over the window, or -1 when it is not known
     */
    public record Outcome(LatencyHistogram latencies, long requests, long errors, long total, long windowNanos,
                          long clientCpuNanos, long serverCpuNanos) {
    }

    /** Called now and then from another thread with the answers so far, for a progress line. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param elapsedNanos time since the warm-up began
         * @param answered     requests answered or failed so far
         */
        void update(long elapsedNanos, long answered);
    }

    private LoadClient() {
    }

    /**
     * Runs one plan against a target and waits for the end.
     *
     * @param target   where
     * @param plan     what
     * @param progress told about once a second
     * @param serverCpu the server's CPU time so far in nanoseconds, or -1 when not known; read as the window
     *                  starts and once its answers are in
     * @return what was measured
     * @throws InterruptedException if interrupted while waiting
     */
    public static Outcome run(Target target, Plan plan, Progress progress, LongSupplier serverCpu)
            throws InterruptedException {
        var threads = new CopyOnWriteArrayList<Thread>();
        var count = new AtomicInteger();
        ThreadFactory factory = r -> {
            // Named so that its CPU time can be told from the server's, which shares this JVM.
            Thread t = new Thread(r, "bench-client-" + count.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(plan.threads(), factory, NioIoHandler.newFactory());
        try {
            long begin = System.nanoTime();
            long start = begin + plan.warmupNanos();
            long end = start + plan.durationNanos();
            var window = new Window(start, end, new CountDownLatch(plan.senders()));
            List<Sender> senders = connect(target, plan, group, window, begin);
            // Wait for the window's start, then sample; the senders run on their own loops meanwhile.
            sleepUntil(start, senders, progress, begin);
            long cpu0 = clientCpu(threads);
            long server0 = serverCpu.getAsLong();
            sleepUntil(end, senders, progress, begin);
            boolean drained = window.finished.await(DRAIN_NANOS, TimeUnit.NANOSECONDS);
            long cpu1 = clientCpu(threads);
            long server1 = serverCpu.getAsLong();
            if (!drained) {
                // Answers still owed: close everything, so each sender counts its request as failed.
                senders.forEach(s -> s.loop.execute(s::abandon));
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
            var latencies = new LatencyHistogram();
            long requests = 0;
            long errors = 0;
            long total = 0;
            for (Sender s : senders) {
                latencies.add(s.histogram);
                requests += s.measured;
                errors += s.errors;
                total += s.total;
            }
            long serverDelta = server0 < 0 || server1 < 0 ? -1 : server1 - server0;
            return new Outcome(latencies, requests, errors, total, plan.durationNanos(), cpu1 - cpu0, serverDelta);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void sleepUntil(long deadline, List<Sender> senders, Progress progress, long begin)
            throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            long answered = 0;
            for (Sender s : senders) {
                answered += s.answered;
            }
            progress.update(now - begin, answered);
            if (now >= deadline) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(deadline - now, TimeUnit.SECONDS.toNanos(1)));
        }
    }

    private static long clientCpu(List<Thread> threads) {
        var bean = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : threads) {
            long cpu = bean.getThreadCpuTime(t.threadId());
            sum += Math.max(0, cpu);
        }
        return sum;
    }

    /** The measured window, and the count of senders not finished yet. */
    private record Window(long start, long end, CountDownLatch finished) {
    }

    private static List<Sender> connect(Target target, Plan plan, EventLoopGroup group, Window window, long begin) {
        var bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        byte[] body = new byte[plan.workload().requestBytes()];
        java.util.Arrays.fill(body, (byte) 'b');
        var request = new RequestTemplate(target, plan.workload(), Unpooled.unreleasableBuffer(
                Unpooled.wrappedBuffer(body).asReadOnly()), plan.protocol() == Protocol.H1_CLOSE);
        int senders = plan.senders();
        long interval = plan.rate() > 0 ? (long) (1e9 * senders / plan.rate()) : 0;
        List<Sender> all = new ArrayList<>();
        for (int c = 0; c < plan.connections(); c++) {
            EventLoop loop = group.next();
            Bootstrap b = bootstrap.clone(loop);
            switch (plan.protocol()) {
                case H1, H1_CLOSE -> {
                    // Spread the first due times over one interval, so that the senders do not fire in step.
                    Pacing pacing = interval > 0 ? new Pacing.FixedRate(begin + interval * c / senders, interval)
                            : new Pacing.ClosedLoop();
                    all.add(new Http1Sender(loop, window, pacing, plan.workload(), request, b, target,
                            plan.protocol() == Protocol.H1_CLOSE));
                }
                case H2C -> {
                    var connection = new H2cConnection(b, target);
                    for (int s = 0; s < plan.streams(); s++) {
                        int index = c * plan.streams() + s;
                        Pacing pacing = interval > 0
                                ? new Pacing.FixedRate(begin + interval * index / senders, interval)
                                : new Pacing.ClosedLoop();
                        all.add(new H2cSender(loop, window, pacing, plan.workload(), request, connection));
                    }
                }
            }
        }
        all.forEach(s -> s.loop.execute(s::next));
        return all;
    }

    /** The request of a workload, built afresh for each send from one shared read-only body. */
    private record RequestTemplate(Target target, Workload workload, ByteBuf body, boolean close) {
        DefaultFullHttpRequest build() {
            var r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(workload.method()),
                    target.basePath() + workload.path(), body.duplicate());
            r.headers().set(HttpHeaderNames.HOST, target.authority());
            if (workload.requestBytes() > 0 || workload.method().equals("POST")) {
                r.headers().set(HttpHeaderNames.CONTENT_LENGTH, workload.requestBytes());
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            }
            if (close) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            return r;
        }
    }

    /**
     * One request at a time, one after another: the unit that {@link Pacing} paces. Every field is touched by its
     * event loop only, except {@link #answered}, which the progress line reads.
     */
    private abstract static class Sender {
        final EventLoop loop;
        final Window window;
        final Pacing pacing;
        final Workload workload;
        final LatencyHistogram histogram = new LatencyHistogram();
        long measured;
        long errors;
        long total;
        volatile long answered;
        /** The channel (connection or stream) the request owed is on; answers from any other are stale. */
        Channel current;
        private long due;
        private boolean waiting;
        private boolean finished;

        Sender(EventLoop loop, Window window, Pacing pacing, Workload workload) {
            this.loop = loop;
            this.window = window;
            this.pacing = pacing;
            this.workload = workload;
        }

        /** Sends the next request when it is due, or finishes once the window is over. */
        final void next() {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            due = pacing.next(now);
            if (due >= window.end()) {
                finish();
                return;
            }
            waiting = true;
            long wait = due - now;
            if (wait > 0) {
                loop.schedule(this::sendNow, wait, TimeUnit.NANOSECONDS);
            } else {
                sendNow();
            }
        }

        private void sendNow() {
            if (!finished) {
                send();
            }
        }

        /** Sends one request; exactly one {@link #answer} or {@link #fail} follows. */
        abstract void send();

        /** Closes what the sender holds, once it is finished. */
        abstract void close();

        /**
         * @param status the response status
         * @param length the response body's length
         */
        final void answer(Channel from, int status, int length) {
            boolean ok = status >= 200 && status < 300 && length == workload.responseBytes();
            if (from == current) {
                complete(ok);
                answered(from);
            }
        }

        /**
         * @param from the channel that broke, or {@code null} for a failure before any channel (a refused connect)
         */
        final void fail(Channel from) {
            if (from == null || from == current) {
                complete(false);
            }
        }

        /**
         * Called after an answer on a channel has been counted.
         *
         * @param from the channel
         */
        void answered(Channel from) {
        }

        private void complete(boolean ok) {
            if (!waiting) {
                return;
            }
            waiting = false;
            current = null;
            total++;
            answered = total;
            if (due >= window.start()) {
                if (ok) {
                    histogram.record(System.nanoTime() - due);
                    measured++;
                } else {
                    errors++;
                }
            }
            next();
        }

        /** Counts the request still owed as failed and stops. */
        final void abandon() {
            fail(null);
            finish();
        }

        private void finish() {
            if (!finished) {
                finished = true;
                close();
                window.finished().countDown();
            }
        }
    }

    /** Reads whole responses and hands them to whichever sender is waiting on the channel. */
    private static final class ResponseReader extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Sender sender;

        ResponseReader(Sender sender) {
            this.sender = sender;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            sender.answer(ctx.channel(), response.status().code(), response.content().readableBytes());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            sender.fail(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** HTTP/1.1: one connection kept alive, or a new one per request ({@code h1-close}). */
    private static final class Http1Sender extends Sender {
        private final RequestTemplate request;
        private final Bootstrap bootstrap;
        private final boolean closeEach;
        private Channel channel;

        Http1Sender(EventLoop loop, Window window, Pacing pacing, Workload workload, RequestTemplate request,
                    Bootstrap bootstrap, Target target, boolean closeEach) {
            super(loop, window, pacing, workload);
            this.request = request;
            this.closeEach = closeEach;
            Sender self = this;
            this.bootstrap = bootstrap.remoteAddress(target.host(), target.port())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE),
                                    new ResponseReader(self));
                        }
                    });
        }

        @Override
        void send() {
            if (channel != null && channel.isActive() && !closeEach) {
                current = channel;
                channel.writeAndFlush(request.build());
                return;
            }
            ChannelFuture connecting = bootstrap.connect();
            Channel opened = connecting.channel();
            channel = opened;
            current = opened;
            connecting.addListener(f -> {
                if (f.isSuccess()) {
                    opened.writeAndFlush(request.build());
                } else {
                    fail(null);
                }
            });
        }

        @Override
        void answered(Channel from) {
            if (closeEach) {
                from.close();
            }
        }

        @Override
        void close() {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** One HTTP/2 connection with prior knowledge, shared by its senders (all on its event loop). */
    private static final class H2cConnection {
        private final Bootstrap bootstrap;
        private Channel channel;
        private ChannelFuture connecting;
        private int open;

        H2cConnection(Bootstrap bootstrap, Target target) {
            this.bootstrap = bootstrap.remoteAddress(target.host(), target.port())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            // Streams the server opens (none are expected) get a handler that drops them.
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                    new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    });
        }

        /** @return the connection, connected (again) if it is not */
        ChannelFuture connection() {
            if (connecting == null || (connecting.isDone() && !channel.isActive())) {
                connecting = bootstrap.connect();
                channel = connecting.channel();
            }
            return connecting;
        }

        /** A sender of this connection starts: it is closed only once every one has finished. */
        void opened() {
            open++;
        }

        /** A sender of this connection has finished; the last one closes it. */
        void closed() {
            if (--open == 0 && channel != null) {
                channel.close();
            }
        }
    }

    /** One stream after another on a shared HTTP/2 connection. */
    private static final class H2cSender extends Sender {
        private final RequestTemplate request;
        private final H2cConnection connection;

        H2cSender(EventLoop loop, Window window, Pacing pacing, Workload workload, RequestTemplate request,
                  H2cConnection connection) {
            super(loop, window, pacing, workload);
            this.request = request;
            this.connection = connection;
            connection.opened();
        }

        @Override
        void send() {
            connection.connection().addListener(connected -> {
                if (!connected.isSuccess()) {
                    fail(null);
                    return;
                }
                Sender self = this;
                new Http2StreamChannelBootstrap(connection.channel).handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                                new HttpObjectAggregator(MAX_RESPONSE), new ResponseReader(self));
                    }
                }).open().addListener(opened -> {
                    if (opened.isSuccess()) {
                        var stream = (Http2StreamChannel) opened.getNow();
                        current = stream;
                        stream.writeAndFlush(request.build());
                    } else {
                        fail(null);
                    }
                });
            });
        }

        @Override
        void close() {
            connection.closed();
        }
    }
}
