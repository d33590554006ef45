package dev.pounce.h3;

import dev.pounce.spi.DatagramContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sets {@code --http3-receive-buffer} ({@code SO_RCVBUF}) on a worker's UDP socket. The kernel keeps a socket's
 * datagrams there until the worker reads them and drops what does not fit: with Linux's default of 208 KiB, one
 * socket taking the requests of 16 connections with 10 streams each dropped datagrams in every run of
 * {@code pounce-bench/h3.sh}, and loss recovery then made the tail latency. Linux caps the size at
 * {@code net.core.rmem_max} (raising it above needs root: {@code SO_RCVBUFFORCE}, which Pounce does not use) and
 * reports double what it keeps, for its own bookkeeping; the server says what it got once, at startup.
 */
final class ReceiveBuffer {

    private static final AtomicBoolean SAID = new AtomicBoolean();

    private ReceiveBuffer() {
    }

    /**
     * Asks for the configured size on {@code channel}; on the socket's event loop, before it reads.
     *
     * @param channel the worker's UDP socket
     * @param context the worker's view
     */
    static void apply(Channel channel, DatagramContext context) {
        int asked = context.config().section(Http3Config.SECTION).receiveBuffer();
        if (asked > 0) {
            channel.config().setOption(ChannelOption.SO_RCVBUF, asked);
        }
        if (context.worker().id() != 0 || context.worker().generation() != 0 || !SAID.compareAndSet(false, true)) {
            return;
        }
        Integer got = channel.config().getOption(ChannelOption.SO_RCVBUF);
        String max = rmemMax();
        if (asked == 0) {
            QuicConnection.LOG.info("h3 (UDP): receive buffer of each UDP socket: the kernel's default, {} bytes as "
                    + "the kernel counts them (--http3-receive-buffer 0)", got);
        } else {
            QuicConnection.LOG.info("h3 (UDP): receive buffer of each UDP socket: {} bytes asked "
                    + "(--http3-receive-buffer), {} bytes as the kernel counts them, which is double what it keeps; "
                    + "net.core.rmem_max is {}{}", asked, got, max,
                    got != null && got / 2 < asked ? ", which capped it: raise it with sysctl for the full size" : "");
        }
    }

    private static String rmemMax() {
        try {
            // procfs reports a size of 0, so read lines rather than trust it.
            return Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).stream().findFirst().orElse("unknown")
                    .strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
