package dev.pounce.bench.hostile;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking HTTP/1.1 client connection that reads responses exactly as framed (content-length, chunked, or up
 * to the end of the stream), so a keep-alive connection stays in step. Enough of RFC 9112 for the demo's routes;
 * it is a load generator, not a general client.
 */
final class Http1Client implements AutoCloseable {

    /** A response head: the status, the body's framing, and whether the server will close after it. */
    record Head(int status, long contentLength, boolean chunked, boolean close) {
    }

    /** Receives each piece of a body as it is read. */
    interface BodySink {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] scratch = new byte[16 * 1024];

    Http1Client(String host, int port, int readTimeoutMs) throws IOException {
        socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(readTimeoutMs);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static byte[] get(String path, String host, int port) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    void send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    Head readHead() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.0 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: '" + status + "'");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (String field = line(); !field.isEmpty(); field = line()) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header field: '" + field + "'");
            }
            String name = field.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> close = value.contains("close");
                default -> { }
            }
        }
        return new Head(code, length, chunked, close);
    }

    /** Reads the whole body of {@code head}'s response into {@code sink}. */
    void readBody(Head head, BodySink sink) throws IOException {
        if (head.status() == 204 || head.status() == 304) {
            return;
        }
        if (head.chunked()) {
            while (true) {
                String size = line();
                int semicolon = size.indexOf(';');
                long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailer fields: none expected, skipped
                    }
                    return;
                }
                copy(n, sink);
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
        } else if (head.contentLength() >= 0) {
            copy(head.contentLength(), sink);
        } else {
            for (int n = in.read(scratch); n >= 0; n = in.read(scratch)) {
                sink.accept(scratch, 0, n);
            }
        }
    }

    private void copy(long length, BodySink sink) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new EOFException("body ended " + left + " bytes early");
            }
            sink.accept(scratch, 0, n);
            left -= n;
        }
    }

    private String line() throws IOException {
        var text = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = text.length();
                if (end > 0 && text.charAt(end - 1) == '\r') {
                    text.setLength(end - 1);
                }
                return text.toString();
            }
            if (text.length() > 16 * 1024) {
                throw new IOException("line longer than 16 KiB");
            }
            text.append((char) b);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that is already broken: nothing to do
        }
    }
}
