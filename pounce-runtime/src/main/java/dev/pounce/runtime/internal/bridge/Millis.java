package dev.pounce.runtime.internal.bridge;

/**
 * Durations as milliseconds with a fixed number of decimals, rounded half up, for the access log and
 * {@code Server-Timing}: what {@code String.format("%.3f")} writes, without its cost on every response.
 */
final class Millis {

    private static final long[] NANOS_PER_UNIT = {1_000_000, 100_000, 10_000, 1_000};

    private Millis() {
    }

    /**
     * @param nanos    a duration in nanoseconds; below 0 counts as 0
     * @param decimals 0 to 3
     * @return the milliseconds, such as {@code 12.345}
     */
    static String of(long nanos, int decimals) {
        long unit = NANOS_PER_UNIT[decimals];
        long units = (Math.max(0, nanos) + unit / 2) / unit;
        if (decimals == 0) {
            return Long.toString(units);
        }
        long scale = NANOS_PER_UNIT[0] / unit;
        String fraction = Long.toString(units % scale);
        var out = new StringBuilder(24).append(units / scale).append('.');
        for (int i = fraction.length(); i < decimals; i++) {
            out.append('0');
        }
        return out.append(fraction).toString();
    }
}
