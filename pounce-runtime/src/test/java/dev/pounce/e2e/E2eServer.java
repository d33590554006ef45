package dev.pounce.e2e;

import dev.pounce.api.LifecycleEvent;
import dev.pounce.api.ServerConfig;
import dev.pounce.runtime.AppReference;
import dev.pounce.runtime.Server;
import dev.pounce.runtime.ServerHandle;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A server of {@link E2eApp} in the test JVM (its process workers are child JVMs), and a raw HTTP client. */
final class E2eServer implements AutoCloseable {

    final ServerHandle handle;
    final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();
    final InetSocketAddress address;

    E2eServer(String strategy, int workers) throws Exception {
        this(strategy, workers, "virtual");
    }

    E2eServer(String strategy, int workers, String dispatch) throws Exception {
        this(strategy, workers, b -> b.dispatch(dispatch));
    }

    E2eServer(String strategy, int workers, UnaryOperator<ServerConfig.Builder> more) throws Exception {
        var config = more.apply(ServerConfig.builder().port(0).workers(workers).workerStrategy(strategy)
                .accessLog(false).gracefulShutdownTimeout(Duration.ofSeconds(5))).build();
        handle = Server.builder(AppReference.parse(E2eApp.class.getName()), config).listener(events::add).start();
        address = handle.tcpAddress().orElse(null);
    }

    /**
     * Waits for an event, polling the list the listener fills.
     *
     * @return the first matching event
     */
    <T extends LifecycleEvent> T await(Class<T> type, Predicate<T> which, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            for (LifecycleEvent e : events) {
                if (type.isInstance(e) && which.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + bound.toSeconds() + " s: " + events);
    }

    long count(Class<? extends LifecycleEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }

    /**
     * One request on a new connection ({@code Connection: close}).
     *
     * @return the status line and body, or throws if the connection failed
     */
    static Response get(InetSocketAddress address, String target) throws IOException {
        try (var s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("no response, got '" + text + "'");
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
                    text.substring(end + 4));
        }
    }

    Response get(String target) throws IOException {
        return get(address, target);
    }

    /**
     * One request on a new connection to a Unix domain socket.
     *
     * @return the response, or throws if the connection failed
     */
    static Response get(Path socket, String target) throws IOException {
        try (var ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(("GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            String text = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("no response, got '" + text + "'");
            }
            return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
                    text.substring(end + 4));
        }
    }

    /**
     * @param status the status
     * @param head   the status line and headers
     * @param body   the body
     */
    record Response(int status, String head, String body) {
        int generation() {
            return Integer.parseInt(body.replaceAll(".*generation=(\\d+).*", "$1"));
        }

        int worker() {
            return Integer.parseInt(body.replaceAll(".*worker=(\\d+).*", "$1"));
        }

        long pid() {
            return Long.parseLong(body.replaceAll(".*pid=(\\d+).*", "$1"));
        }
    }

    @Override
    public void close() {
        handle.stopNow();
        try {
            handle.awaitTermination(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
