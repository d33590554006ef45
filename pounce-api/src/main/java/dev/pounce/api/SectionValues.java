package dev.pounce.api;

/** The values of one {@link ConfigSection}'s settings, as {@link ConfigSection#build} reads them. */
public interface SectionValues {

    /**
     * @param setting one of the section's settings
     * @param <T>     its value type
     * @return the value given for it, parsed and checked, or its default
     * @throws IllegalArgumentException if the setting is not the section's
     */
    <T> T get(Setting<T> setting);

    /**
     * @param setting one of the section's settings
     * @return whether a value was given, rather than the default taken
     */
    boolean given(Setting<?> setting);
}
