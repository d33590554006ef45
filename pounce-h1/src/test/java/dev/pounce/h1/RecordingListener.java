package dev.pounce.h1;

import dev.pounce.spi.TunnelListener;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tunnel listener that records, in order, what it hears: {@code data:<bytes>}, {@code end}, {@code drain},
 * {@code closed:<clean>}. It releases the bytes and gives no credit back; the test does.
 */
final class RecordingListener implements TunnelListener {

    final List<String> events = new ArrayList<>();
    final StringBuilder data = new StringBuilder();
    int received;

    @Override
    public void onData(ByteBuf bytes) {
        try {
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            received += bytes.readableBytes();
            data.append(text);
            events.add("data:" + (text.length() > 20 ? text.length() + " bytes" : text));
        } finally {
            bytes.release();
        }
    }

    @Override
    public void onEnd() {
        events.add("end");
    }

    @Override
    public void onDrain() {
        events.add("drain");
    }

    @Override
    public void onClosed(boolean clean) {
        events.add("closed:" + clean);
    }
}
