package dev.pounce.runtime.internal.process;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One end of the control channel between the supervisor and a child worker: a Unix domain socket, so the child's
 * stdout and stderr stay free for the app and are inherited. Each message is a type and a text body, framed by
 * lengths. Sends may come from any thread; one thread reads.
 *
 * <p>Parent to child: {@code identity} ("slot generation"), {@code app} (the APP spec), {@code config}
 * ({@link ConfigCodec} text), {@code socket} (the path of the listening socket's hand-off, see {@link SocketHandoff}),
 * {@code datagrams} (the hand-off paths of the slot's UDP sockets, one a line, none without datagram protocols), then
 * later {@code drain}, {@code shutdown} (drain with late arrivals answered by the
 * 503) and {@code stop}. Child to parent: {@code ready}, {@code failed} (one line), {@code heartbeat} ("active
 * served", each second while the child's event loop turns: see {@link Heartbeat}) and {@code stopped}. For
 * {@code --metrics-path}: the child asks {@code scrape} (a number) and the parent answers {@code scraped} (the number
 * and the whole server's samples); the parent asks {@code collect} (a number) and the child answers
 * {@code collected} (the number and its own samples); samples are {@code Samples.encode} text. The child
 * exits when the channel closes, so it never outlives its parent; the parent kills a child whose heartbeats stop
 * ({@link ChildProcessWorker}).
 */
final class ControlChannel implements AutoCloseable {

    /** The environment variable that names the supervisor's socket to a child. */
    static final String SOCKET_ENV = "POUNCE_CONTROL_SOCKET";

    /**
     * One message.
     *
     * @param type what it is
     * @param body its text, possibly empty
     */
    record Message(String type, String body) { }

    private static final int MAX_BODY = 1 << 20;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;

    ControlChannel(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    /**
     * @param path the supervisor's socket
     * @return the child's end
     * @throws IOException if the supervisor does not answer
     */
    static ControlChannel connect(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(path));
        return new ControlChannel(ch);
    }

    /**
     * Sends one message.
     *
     * @param type what it is
     * @param body its text
     * @throws IOException if the other end is gone
     */
    void send(String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.writeUTF(type);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Sends one message if the other end is still there.
     *
     * @param type what it is
     * @param body its text
     * @return whether it was sent
     */
    boolean trySend(String type, String body) {
        try {
            send(type, body);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads the next message; one thread only.
     *
     * @return the message, or empty once the other end has closed
     * @throws IOException if the stream breaks or is malformed
     */
    Optional<Message> receive() throws IOException {
        String type;
        try {
            type = in.readUTF();
        } catch (EOFException e) {
            return Optional.empty();
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new IOException("control message " + type + " has a bad length " + length);
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            return Optional.empty();
        }
        return Optional.of(new Message(type, new String(body, StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing is all that is left to do.
        }
    }
}
