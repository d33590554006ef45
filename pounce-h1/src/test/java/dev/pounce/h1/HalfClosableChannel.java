package dev.pounce.h1;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * An embedded channel that, like a TCP socket, can be shut one way at a time: the handler's
 * {@link #shutdownOutput()} is recorded, and {@link #receiveFin()} plays a client's FIN as Netty reports it on a
 * channel that allows half-closure.
 */
final class HalfClosableChannel extends EmbeddedChannel implements DuplexChannel {

    private boolean inputShut;
    private boolean outputShut;

    /** The client shuts its side: input ends and the pipeline hears {@link ChannelInputShutdownEvent}. */
    void receiveFin() {
        inputShut = true;
        pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        runPendingTasks();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShut;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        inputShut = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShut = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return inputShut && outputShut;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        inputShut = outputShut = true;
        return promise.setSuccess();
    }
}
