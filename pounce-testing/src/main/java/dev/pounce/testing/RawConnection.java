package dev.pounce.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-driven HTTP/1.x client connection over a plain socket, for what a well-behaved client library will not
 * send: malformed heads, pipelined requests, half-sent requests, clients that do not read.
 *
 * <p>Every read is bounded by the read timeout ({@link #DEFAULT_TIMEOUT} unless changed); a read that runs out of
 * time throws {@link SocketTimeoutException}, so a test never hangs on a server that says nothing.
 */
public final class RawConnection implements AutoCloseable {

    /** How long a single read may wait by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final AutoCloseable socket;
    private final InputStream in;
    private final OutputStream out;
    private final Socket tcp;

    private RawConnection(AutoCloseable socket, Socket tcp, InputStream in, OutputStream out) {
        this.socket = socket;
        this.tcp = tcp;
        // Buffered, so that reading a head byte by byte costs no system call per byte.
        this.in = new BufferedInputStream(in, 65536);
        this.out = out;
    }

    /**
     * Connects over TCP.
     *
     * @param address the server's address
     * @return the connection, with the default read timeout
     * @throws IOException if it cannot connect
     */
    public static RawConnection open(InetSocketAddress address) throws IOException {
        var s = new Socket();
        s.connect(address, (int) DEFAULT_TIMEOUT.toMillis());
        s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
        s.setTcpNoDelay(true);
        return new RawConnection(s, s, s.getInputStream(), s.getOutputStream());
    }

    /**
     * Connects over TCP, with a small receive buffer so that a client that does not read fills up quickly.
     *
     * @param address       the server's address
     * @param receiveBuffer SO_RCVBUF in bytes
     * @return the connection
     * @throws IOException if it cannot connect
     */
    public static RawConnection open(InetSocketAddress address, int receiveBuffer) throws IOException {
        var s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.connect(address, (int) DEFAULT_TIMEOUT.toMillis());
        s.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
        return new RawConnection(s, s, s.getInputStream(), s.getOutputStream());
    }

    /**
     * Connects to a Unix domain socket. Reads block without a timeout of their own, so the caller bounds the test
     * (a JUnit {@code @Timeout}).
     *
     * @param path the socket file
     * @return the connection
     * @throws IOException if it cannot connect
     */
    public static RawConnection open(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        return new RawConnection(ch, null, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /**
     * @param timeout how long each later read may wait
     * @return this connection
     * @throws SocketException if the socket is closed
     */
    public RawConnection readTimeout(Duration timeout) throws SocketException {
        if (tcp != null) {
            tcp.setSoTimeout((int) timeout.toMillis());
        }
        return this;
    }

    /** @return the local port of a TCP connection */
    public int localPort() {
        return tcp == null ? 0 : tcp.getLocalPort();
    }

    /**
     * Sends text as ISO-8859-1 bytes (one byte per char, so control characters go out as they are).
     *
     * @param text the bytes to send
     * @return this connection
     * @throws IOException if the write fails
     */
    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param bytes the bytes to send, in one write
     * @return this connection
     * @throws IOException if the write fails
     */
    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads one response. An interim (1xx) response is returned on its own; call again for the final one.
     *
     * @param head whether the response answers a HEAD request (it then has no body whatever its headers say)
     * @return the response
     * @throws IOException on a read timeout, or if the connection ends before a whole response came
     */
    public RawResponse readResponse(boolean head) throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not a status line: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a header line: '" + line + "'");
            }
            headers.add(new String[] {line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip()});
        }
        var response = new RawResponse(parts[0], status, parts.length > 2 ? parts[2] : "", headers, new byte[0]);
        byte[] body;
        if (head || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (response.header("transfer-encoding").map(v -> v.toLowerCase(Locale.ROOT).endsWith("chunked"))
                .orElse(false)) {
            body = readChunked();
        } else if (response.header("content-length").isPresent()) {
            body = readExactly(Long.parseLong(response.header("content-length").get()));
        } else {
            body = readToEnd();
        }
        return new RawResponse(response.version(), status, response.reason(), headers, body);
    }

    /** @return the next response to a request that is not HEAD */
    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /**
     * Reads until the server closes the connection. A reset after the server's last bytes counts as a close, since
     * a server that closes with unread input in its buffer makes the kernel send RST.
     *
     * @return every byte read
     * @throws SocketTimeoutException if the server neither sends nor closes within the read timeout
     */
    public byte[] readToEnd() throws IOException {
        var all = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                all.write(buf, 0, n);
            }
        } catch (SocketException e) {
            if (!isReset(e)) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    /**
     * Waits until the server closes the connection, ignoring what else it sends.
     *
     * @return whether the connection was closed (false never: a timeout throws)
     * @throws SocketTimeoutException if it is still open after the read timeout with nothing sent
     */
    public boolean awaitClose() throws IOException {
        readToEnd();
        return true;
    }

    /**
     * Reads and discards exactly {@code n} bytes.
     *
     * @param n how many
     * @return n
     * @throws IOException on a timeout or an early end
     */
    public long skip(long n) throws IOException {
        byte[] buf = new byte[65536];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("connection ended with " + left + " of " + n + " bytes unread");
            }
            left -= r;
        }
        return n;
    }

    private byte[] readChunked() throws IOException {
        var body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                // Trailers, then the empty line.
                while (!readLine().isEmpty()) {
                    // skip
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("body too large to hold: " + n);
        }
        byte[] b = new byte[(int) n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, (int) n - off);
            if (r < 0) {
                throw new EOFException("connection ended after " + off + " of " + n + " body bytes");
            }
            off += r;
        }
        return b;
    }

    /**
     * Reads one line ending in CRLF, without it.
     *
     * @return the line as ISO-8859-1 text
     * @throws EOFException if the connection ends first
     */
    public String readLine() throws IOException {
        var line = new ByteArrayOutputStream();
        while (true) {
            int b = read();
            if (b < 0) {
                throw new EOFException("connection ended in the middle of a line: '"
                        + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
    }

    /**
     * Whether the server has sent anything within {@code wait}, without consuming it.
     *
     * @param wait how long to look
     * @return true if a byte arrived (or the connection ended)
     * @throws IOException on a socket error
     */
    public boolean anythingWithin(Duration wait) throws IOException {
        int old = tcp.getSoTimeout();
        tcp.setSoTimeout((int) wait.toMillis());
        try {
            in.mark(1);
            if (in.read() >= 0) {
                in.reset();
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            tcp.setSoTimeout(old);
        }
    }

    private int read() throws IOException {
        return in.read();
    }

    static boolean isReset(SocketException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("reset") || m.contains("broken pipe");
    }

    /** @return the raw input stream, for a test that reads at its own pace */
    public InputStream input() {
        return in;
    }

    /**
     * Leaves abruptly, as a client that crashes or a browser tab that is killed does: a TCP reset rather than a FIN
     * (a FIN alone is a half-close, after which the server still answers). A Unix socket simply closes.
     *
     * @throws IOException if the socket cannot be closed
     */
    public void reset() throws IOException {
        if (tcp != null) {
            tcp.setSoLinger(true, 0);
        }
        close();
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
