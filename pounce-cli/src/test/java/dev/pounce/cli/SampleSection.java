package dev.pounce.cli;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A plugin's config section for the command's tests, found by {@link java.util.ServiceLoader} on the test class path
 * as a third party's would be: one setting of each kind that has its own look on the command line.
 */
public final class SampleSection implements ConfigSection<SampleSection.Values> {

    static final Setting<Boolean> ENABLED = Setting.toggle("sample.enabled", true)
            .describe("Serve the sample protocol");
    static final Setting<Integer> MAX_ITEMS = Setting.integer("sample.max-items", 16, 1, 1000)
            .describe("Items a client may ask for at once").unit("items").reference("RFC 0000 section 1");
    static final Setting<Duration> GRACE = Setting.seconds("sample.grace", Duration.ofSeconds(2), Duration.ZERO,
            Duration.ofMinutes(1)).describe("Time a client gets to finish, 100% of it");
    static final Setting<String> MODE = Setting.choice("sample.mode", "fast", "fast", "safe")
            .describe("How items are served");
    static final Setting<List<String>> ALLOW = Setting.list("sample.allow", List.of(), "a lower-case word",
            w -> w.matches("[a-z]+") ? Optional.empty() : Optional.of("is not a lower-case word"))
            .describe("Words to allow");

    /**
     * The frozen values.
     *
     * @param enabled  see {@link #ENABLED}
     * @param maxItems see {@link #MAX_ITEMS}
     * @param grace    see {@link #GRACE}
     * @param mode     see {@link #MODE}
     * @param allow    see {@link #ALLOW}
     */
    public record Values(boolean enabled, int maxItems, Duration grace, String mode, List<String> allow) {
    }

    @Override
    public String name() {
        return "sample";
    }

    @Override
    public String title() {
        return "Sample plugin (test only)";
    }

    @Override
    public Class<Values> type() {
        return Values.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(ENABLED, MAX_ITEMS, GRACE, MODE, ALLOW);
    }

    @Override
    public Values build(SectionValues values) {
        return new Values(values.get(ENABLED), values.get(MAX_ITEMS), values.get(GRACE), values.get(MODE),
                values.get(ALLOW));
    }
}
