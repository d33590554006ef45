package dev.pounce.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP relay that plays a NAT between a client and the server: the client talks to its front socket, and the relay
 * sends on to the server from a back socket that {@link #rebind()} replaces with a fresh one, so the server sees the
 * client's connection move to a new port, as after a NAT rebinding (RFC 9000 section 9.3). Answers to any of the back
 * sockets go to the client. (A copy of pounce-h3's test relay: test classes are not shared between modules.)
 */
final class NatRelay implements AutoCloseable {

    private final InetSocketAddress server;
    private final DatagramChannel front;
    private final List<DatagramChannel> backs = new CopyOnWriteArrayList<>();
    private volatile DatagramChannel back;
    private volatile SocketAddress client;

    NatRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        this.front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        rebind();
        Thread.ofVirtual().name("nat-front").start(this::forward);
    }

    /** @return where the client sends */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** From now on the client's packets leave from a new port. */
    void rebind() throws IOException {
        DatagramChannel next = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        backs.add(next);
        back = next;
        Thread.ofVirtual().name("nat-back").start(() -> answer(next));
    }

    private void forward() {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                client = front.receive(buf);
                buf.flip();
                back.send(buf, server);
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void answer(DatagramChannel from) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try {
            while (true) {
                buf.clear();
                from.receive(buf);
                buf.flip();
                front.send(buf, client);
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        front.close();
        for (DatagramChannel b : backs) {
            b.close();
        }
    }
}
