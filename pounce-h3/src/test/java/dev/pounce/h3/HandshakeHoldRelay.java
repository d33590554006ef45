package dev.pounce.h3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A UDP relay between a client and the server that can hold back the server's handshake, as a long path from the
 * server to the client would: while {@link #arm() armed}, the server's datagrams are kept, so the client cannot finish
 * its handshake and whatever it sends early stays 0-RTT, and the server cannot finish its own either (it needs the
 * client's Finished). The client's 0-RTT datagrams reach the server after its first answer to the ClientHello, as on a
 * path where they come a little behind it: sooner, Netty 4.2.18's server may read them before it has resumed the
 * session and has their keys, and quiche then keeps them undecrypted until the client's next datagram. The relay
 * lets everything through, in order, at the first datagram the server sends with a short header (1-RTT protection,
 * sent before its handshake could end: 0.5-RTT), or when the client sends a second Initial (it gave up waiting and
 * retransmits), so it never holds a connection for good.
 * {@link #released} says which it was.
 */
final class HandshakeHoldRelay implements AutoCloseable {

    /**
     * Why the held datagrams went: the server sent a 1-RTT datagram before its handshake could end (0.5-RTT: an
     * answer, or its session ticket), or the client retransmitted its Initial.
     */
    enum Release { SERVER_SENT_ONE_RTT, CLIENT_RETRANSMITTED }

    private final InetSocketAddress server;
    private final DatagramChannel front;
    private final DatagramChannel back;
    private final List<ByteBuffer> held = new ArrayList<>();
    /** The client's 0-RTT datagrams that came before the server's first answer. */
    private final List<ByteBuffer> early = new ArrayList<>();
    private boolean serverSpoke;
    private volatile SocketAddress client;
    private boolean armed;
    private int clientInitials;
    volatile CompletableFuture<Release> released = new CompletableFuture<>();

    HandshakeHoldRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        this.front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.back = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().name("hold-relay-up").start(this::up);
        Thread.ofVirtual().name("hold-relay-down").start(this::down);
    }

    /** @return where the client sends */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** Holds the server's datagrams from now until the next release. */
    synchronized void arm() {
        armed = true;
        serverSpoke = false;
        clientInitials = 0;
        released = new CompletableFuture<>();
    }

    private void up() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                client = front.receive(buf);
                buf.flip();
                synchronized (this) {
                    int first = buf.get(0) & 0xff;
                    boolean longHeader = (first & 0x80) != 0;
                    // Long header of type Initial (bits 0x30 clear) first: a new flight of the handshake.
                    if (armed && longHeader && (first & 0x30) == 0 && ++clientInitials > 1) {
                        release(Release.CLIENT_RETRANSMITTED);
                    }
                    // 0-RTT (type 1) before the server has answered the ClientHello waits for that answer.
                    if (armed && longHeader && (first & 0x30) == 0x10 && !serverSpoke) {
                        early.add(ByteBuffer.allocate(buf.remaining()).put(buf).flip());
                        continue;
                    }
                }
                back.send(buf, server);
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void down() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                back.receive(buf);
                buf.flip();
                synchronized (this) {
                    if (!serverSpoke) {
                        serverSpoke = true;
                        for (ByteBuffer b : early) {
                            back.send(b, server);
                        }
                        early.clear();
                    }
                    if (armed && (buf.get(0) & 0x80) == 0) {
                        release(Release.SERVER_SENT_ONE_RTT);
                    }
                    if (armed) {
                        held.add(ByteBuffer.allocate(buf.remaining()).put(buf).flip());
                        continue;
                    }
                }
                front.send(buf, client);
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends on what was held, in order, and lets everything through from now on. Holds the lock. */
    private void release(Release why) throws IOException {
        armed = false;
        for (ByteBuffer b : held) {
            front.send(b, client);
        }
        held.clear();
        released.complete(why);
    }

    @Override
    public void close() throws IOException {
        front.close();
        back.close();
    }
}
