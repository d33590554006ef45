package dev.pounce.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launch to first {@code 200}, measured by the launcher itself: starts a server command, then tries to connect and
 * send {@code GET PATH} to 127.0.0.1:PORT every millisecond until an answer's status line says 200, and prints the
 * time from just before the process was started to that status line in milliseconds ({@code first-200-ms N}). The
 * server is then stopped with its whole process tree. Run by {@code pounce-bench/startup.sh}:
 * <pre>{@code
 * java -cp pounce-bench/target/pounce-bench-0.1.0-SNAPSHOT.jar dev.pounce.bench.FirstResponse 8000 / \
 *     pounce-image/target/pounce-image/bin/pounce --port 8000
 * }</pre>
 * A polling {@code curl} loop would add a process start per attempt to what it measures; this JVM is already
 * warm when the clock starts, and a refused connection costs it microseconds.
 */
public final class FirstResponse {

    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    private FirstResponse() {
    }

    /**
     * @param args PORT PATH COMMAND...
     * @throws Exception if the command cannot be started
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: FirstResponse PORT PATH COMMAND...");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        byte[] request = ("GET " + args[1] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<String> command = Arrays.asList(args).subList(2, args.length);
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process server = builder.start();
        try {
            while (System.nanoTime() - start < GIVE_UP_NANOS) {
                if (!server.isAlive()) {
                    System.err.println("FirstResponse: the server exited with status " + server.exitValue());
                    System.exit(1);
                }
                if (answers200(port, request)) {
                    long elapsed = System.nanoTime() - start;
                    System.out.printf("first-200-ms %.1f%n", elapsed / 1e6);
                    return;
                }
                Thread.sleep(1);
            }
            System.err.println("FirstResponse: no 200 within 60 s");
            System.exit(1);
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
        }
    }

    /** One attempt: false while nothing listens or the answer is not a 200. */
    private static boolean answers200(int port, byte[] request) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] line = in.readNBytes(12);
            return new String(line, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
