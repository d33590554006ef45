package dev.pounce.tests.stamp;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.util.List;
import java.util.Optional;

/** The test plugin's settings: {@code --stamp-value TEXT}, off while empty. */
public final class StampSection implements ConfigSection<StampSection.Stamp> {

    /** The instance the provider reads with. */
    static final StampSection SECTION = new StampSection();

    /** The value stamped on responses. */
    static final Setting<String> VALUE = Setting.text("stamp.value", "", "printable ASCII without commas",
            v -> v.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != ',') ? Optional.empty()
                    : Optional.of("has a character outside printable ASCII, or a comma"))
            .describe("Stamp every response with x-stamp: VALUE; empty for off");

    /**
     * The frozen setting.
     *
     * @param value the stamp, empty for off
     */
    public record Stamp(String value) {
    }

    /** Called by {@link java.util.ServiceLoader}. */
    public StampSection() {
    }

    @Override
    public String name() {
        return "stamp";
    }

    @Override
    public String title() {
        return "Stamp (test plugin)";
    }

    @Override
    public Class<Stamp> type() {
        return Stamp.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(VALUE);
    }

    @Override
    public Stamp build(SectionValues values) {
        return new Stamp(values.get(VALUE));
    }
}
