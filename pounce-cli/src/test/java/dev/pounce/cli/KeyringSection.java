package dev.pounce.cli;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.util.List;
import java.util.Optional;

/**
 * A plugin's config section with a secret setting, for the tests of {@code pounce config show}: its name holds none
 * of the words that make a key secret by name, so only {@link Setting#secret()} can hide its value.
 */
public final class KeyringSection implements ConfigSection<KeyringSection.Values> {

    static final Setting<String> PASSPHRASE = Setting.text("keyring.passphrase", "", "any text",
            t -> Optional.empty()).describe("Unlocks the keyring").secret();

    /**
     * The frozen values.
     *
     * @param passphrase see {@link #PASSPHRASE}
     */
    public record Values(String passphrase) {
    }

    @Override
    public String name() {
        return "keyring";
    }

    @Override
    public String title() {
        return "Keyring plugin (test only)";
    }

    @Override
    public Class<Values> type() {
        return Values.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(PASSPHRASE);
    }

    @Override
    public Values build(SectionValues values) {
        return new Values(values.get(PASSPHRASE));
    }
}
