package dev.pounce.runtime.internal.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import jdk.management.VirtualThreadSchedulerMXBean;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The process and JVM values Prometheus users expect, read from this JVM's management beans and from
 * {@code /proc/self/status} when scraped. Nothing is read on the request path. A value the platform does not give
 * (resident memory off Linux, descriptors off Unix) is left out rather than shown as 0.
 */
final class JvmReadings {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long STARTED_MILLIS = ProcessHandle.current().info().startInstant()
            .map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis);

    private JvmReadings() {
    }

    /**
     * Adds this JVM's readings.
     *
     * @param into      the scrape's samples
     * @param startTime whether to add {@code process_start_time_seconds}: only the process whose start is the
     *                  server's (with process workers, the parent), since start times do not add up
     */
    static void collect(Samples into, boolean startTime) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            into.add(Family.PROCESS_CPU, "", sun.getProcessCpuTime());
        }
        residentBytes().ifPresent(rss -> into.add(Family.PROCESS_RESIDENT_MEMORY, "", rss));
        if (startTime) {
            into.add(Family.PROCESS_START_TIME, "", STARTED_MILLIS);
        }
        if (os instanceof UnixOperatingSystemMXBean unix) {
            into.add(Family.PROCESS_OPEN_FDS, "", unix.getOpenFileDescriptorCount());
            into.add(Family.PROCESS_MAX_FDS, "", unix.getMaxFileDescriptorCount());
        }
        var memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        String heapArea = Labels.pair("area", "heap");
        String nonHeapArea = Labels.pair("area", "nonheap");
        into.add(Family.JVM_MEMORY_USED, heapArea, heap.getUsed());
        into.add(Family.JVM_MEMORY_USED, nonHeapArea, nonHeap.getUsed());
        into.add(Family.JVM_MEMORY_COMMITTED, heapArea, heap.getCommitted());
        into.add(Family.JVM_MEMORY_COMMITTED, nonHeapArea, nonHeap.getCommitted());
        if (heap.getMax() >= 0) {
            into.add(Family.JVM_MEMORY_MAX, heapArea, heap.getMax());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getCollectionCount() >= 0) {
                String name = Labels.pair("gc", gc.getName());
                into.add(Family.JVM_GC_COLLECTION, name, Samples.COUNT, gc.getCollectionCount());
                into.add(Family.JVM_GC_COLLECTION, name, Samples.SUM, Math.max(0, gc.getCollectionTime()));
            }
        }
        var threads = ManagementFactory.getThreadMXBean();
        into.add(Family.JVM_THREADS_CURRENT, "", threads.getThreadCount());
        into.add(Family.JVM_THREADS_STARTED, "", threads.getTotalStartedThreadCount());
        virtualThreadScheduler().ifPresent(scheduler -> {
            into.add(Family.JVM_VIRTUAL_THREADS_MOUNTED, "", scheduler.getMountedVirtualThreadCount());
            into.add(Family.JVM_VIRTUAL_THREADS_QUEUED, "", scheduler.getQueuedVirtualThreadCount());
        });
    }

    /**
     * @return the JDK's virtual-thread scheduler bean (JDK 24 on). The JDK counts no virtual threads started, only
     *         those mounted and queued now, so that is what is shown.
     */
    private static Optional<VirtualThreadSchedulerMXBean> virtualThreadScheduler() {
        try {
            return Optional.ofNullable(ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @return the resident set size from {@code VmRSS} of {@code /proc/self/status}, on Linux */
    private static Optional<Long> residentBytes() {
        if (!Files.isReadable(STATUS)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable or not the format expected: the value is left out.
        }
        return Optional.empty();
    }
}
