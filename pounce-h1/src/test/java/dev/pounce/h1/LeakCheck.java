package dev.pounce.h1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After each test, closes every {@link Harness} channel the test made and checks that each buffer the client sent
 * and each buffer the handler allocated has been released: leaks fail the test instead of waiting for a GC.
 */
final class LeakCheck implements AfterEachCallback {

    static final ThreadLocal<List<Harness>> OPEN = ThreadLocal.withInitial(ArrayList::new);
    static final ThreadLocal<List<ByteBuf>> APP_BUFFERS = ThreadLocal.withInitial(ArrayList::new);

    /** Remembers a buffer the test gave the exchange as the app, to check it was released. */
    static ByteBuf track(ByteBuf buf) {
        APP_BUFFERS.get().add(buf);
        return buf;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Harness> harnesses = OPEN.get();
        try {
            for (Harness h : harnesses) {
                h.out();
                h.channel.finishAndReleaseAll();
                for (ByteBuf buf : h.tracked()) {
                    assertEquals(0, buf.refCnt(), "a buffer was not released");
                }
            }
            for (ByteBuf buf : APP_BUFFERS.get()) {
                assertEquals(0, buf.refCnt(), "a response buffer was not released");
            }
        } finally {
            harnesses.clear();
            APP_BUFFERS.get().clear();
        }
    }

    /** An unpooled heap allocator that remembers every buffer it made. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> made = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
            made.add(buf);
            return buf;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
