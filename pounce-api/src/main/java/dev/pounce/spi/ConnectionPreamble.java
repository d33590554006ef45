package dev.pounce.spi;

import dev.pounce.api.Endpoint;
import dev.pounce.api.ServerConfig;
import io.netty.buffer.ByteBuf;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Bytes that may come before a connection's protocol, and before its TLS handshake: the HAProxy PROXY protocol
 * header a TCP load balancer (HAProxy, AWS NLB) writes ahead of the client's first byte, naming the real client.
 * Found by {@link java.util.ServiceLoader} like protocols; a preamble plugin adds no protocol, it only reads what
 * comes first and may replace the connection's addresses, then the connection goes on to TLS and protocol detection
 * (a {@link ProtocolHandler}'s {@code detect}) with the bytes that follow.
 *
 * <p>Who calls it: the runtime, on the connection's event loop, once per read until it answers something other
 * than {@link Result#NEED_MORE}, before anything else sees the connection's bytes. Preambles are asked in load
 * order, each at most once per connection, each with the bytes left after the ones before it consumed theirs. The
 * runtime loads each provider once at startup and shares it across workers, so an implementation holds no
 * per-connection state. {@link #read} must not block, must not change the buffer's indexes, and should be cheap
 * when it answers {@link Result#ABSENT}: every connection pays for it. A connection that is still
 * {@link Result#NEED_MORE} after {@link #maxLength()} bytes or after {@link #timeout} is closed.
 *
 * <p>Trust: a preamble decides whose word to take. A PROXY header is only as trustworthy as the peer that sent it,
 * so a preamble that can tell (by {@link ConnectionInfo#client()}, the address that connected) should answer
 * {@link Result.Rejected} to peers it does not trust, and document how operators say which ones they are.
 */
public interface ConnectionPreamble {

    /** @return a short stable name for logs, such as {@code proxy-protocol} */
    String name();

    /**
     * Called once at startup, with the frozen configuration whose plugin sections are built, before any connection:
     * a preamble that has settings of its own (a {@link dev.pounce.api.ConfigSection}) returns an instance that uses
     * them. The default returns this.
     *
     * @param config the configuration
     * @return the preamble to use
     */
    default ConnectionPreamble configure(ServerConfig config) {
        return this;
    }

    /**
     * @param config the configuration
     * @return how long a connection may take to send a whole preamble before it is closed; the header timeout by
     *         default
     */
    default Duration timeout(ServerConfig config) {
        return config.timeouts().header();
    }

    /** @return the most bytes a whole preamble can take; past it a connection still undecided is closed */
    int maxLength();

    /**
     * Three-way detection and decoding in one step, on the event loop.
     *
     * @param prefix     the bytes read so far after any earlier preamble, from reader index on; never empty
     * @param connection the connection as accepted (or as an earlier preamble left it)
     * @return {@link Result#ABSENT}, {@link Result#NEED_MORE}, {@link Result.Consumed} or {@link Result.Rejected}
     */
    Result read(ByteBuf prefix, ConnectionInfo connection);

    /** A preamble's answer for the bytes it was shown. */
    sealed interface Result {
        /** These bytes do not start this preamble: the connection goes on untouched. */
        Result ABSENT = new Absent();
        /** The bytes so far are a strict prefix of this preamble: show me more. */
        Result NEED_MORE = new NeedMore();

        /** See {@link #ABSENT}. */
        record Absent() implements Result {
        }

        /** See {@link #NEED_MORE}. */
        record NeedMore() implements Result {
        }

        /**
         * The preamble is complete: the runtime skips {@code length} bytes and replaces the addresses given.
         *
         * @param length how many bytes, from reader index on, the preamble took; 1 to what was shown
         * @param client the real client, or empty to keep the address that connected
         * @param server the address the client connected to, or empty to keep the local address
         */
        record Consumed(int length, Optional<Endpoint> client, Optional<Endpoint> server) implements Result {
            /** Checks the length and the optionals. */
            public Consumed {
                if (length < 1) {
                    throw new IllegalArgumentException("a consumed preamble has at least one byte, got " + length);
                }
                Objects.requireNonNull(client, "client");
                Objects.requireNonNull(server, "server");
            }
        }

        /**
         * The bytes start this preamble but are malformed or not allowed: the runtime closes the connection and
         * logs the reason at debug level.
         *
         * @param reason a short reason, such as {@code bad PROXY v2 address length}
         */
        record Rejected(String reason) implements Result {
            /** Checks the reason. */
            public Rejected {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
