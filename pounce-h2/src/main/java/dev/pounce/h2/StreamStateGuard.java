package dev.pounce.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

import java.util.ArrayDeque;

/**
 * Gives a HEADERS frame on a stream that is no longer open the error RFC 9113 section 5.1 names, where Netty's
 * decoder, which forgets closed streams, answers with a guess: on a half-closed (remote) stream a stream error
 * STREAM_CLOSED; on a stream that ended normally a connection error STREAM_CLOSED; on a stream id the client skipped
 * (implicitly closed, section 5.1.1) a connection error PROTOCOL_ERROR. Streams that were reset keep Netty's
 * lenient handling, since frames the client sent before it saw the reset may still arrive.
 *
 * <p>It is a frame logger because that is the one hook Netty's connection-handler builder offers that sees each
 * inbound frame after it is read and before the decoder acts on it. It also logs frames at TRACE on logger
 * {@code pounce.h2.frames}.
 */
final class StreamStateGuard extends Http2FrameLogger {

    /** How many reset stream ids, and skipped id ranges, are remembered. */
    private static final int REMEMBERED = 256;

    private final Http2Connection connection;
    private final ArrayDeque<Integer> resets = new ArrayDeque<>();
    private final ArrayDeque<int[]> skipped = new ArrayDeque<>();
    private int lastOpened = -1;

    StreamStateGuard(Http2Connection connection) {
        super(LogLevel.TRACE, "pounce.h2.frames");
        this.connection = connection;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamAdded(Http2Stream stream) {
                if (connection.remote().isValidStreamId(stream.id())) {
                    opened(stream.id());
                }
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (stream.isResetSent()) {
                    reset(stream.id());
                }
            }
        });
    }

    /** A stream error was sent on {@code streamId}, whether or not the stream was ever created. */
    void reset(int streamId) {
        if (resets.size() == REMEMBERED) {
            resets.removeFirst();
        }
        resets.addLast(streamId);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(streamId);
        }
        super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(streamId);
        }
        super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }

    private void check(int streamId) {
        Http2Stream stream = connection.stream(streamId);
        if (stream != null) {
            if (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE && !stream.isResetSent()) {
                throwUnchecked(Http2Exception.streamError(streamId, Http2Error.STREAM_CLOSED,
                        "HEADERS on half-closed (remote) stream %d", streamId));
            }
            return;
        }
        if (!connection.remote().isValidStreamId(streamId) || streamId > lastOpened || resets.contains(streamId)) {
            return;
        }
        for (int[] range : skipped) {
            if (streamId >= range[0] && streamId <= range[1]) {
                throwUnchecked(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                        "HEADERS on stream %d, lower than streams already opened", streamId));
            }
        }
        throwUnchecked(Http2Exception.connectionError(Http2Error.STREAM_CLOSED, "HEADERS on closed stream %d",
                streamId));
    }

    private void opened(int streamId) {
        if (lastOpened > 0 && streamId > lastOpened + 2 || lastOpened < 0 && streamId > 1) {
            if (skipped.size() == REMEMBERED) {
                skipped.removeFirst();
            }
            skipped.addLast(new int[]{lastOpened < 0 ? 1 : lastOpened + 2, streamId - 2});
        }
        lastOpened = Math.max(lastOpened, streamId);
    }

    // The frame logger cannot declare Http2Exception; the reader catches it as what it is, so a stream error
    // leaves the connection readable (DefaultHttp2FrameReader.readFrame).
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUnchecked(Throwable e) throws E {
        throw (E) e;
    }
}
