package dev.pounce.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives each option the default of the config field it sets, read from
 * {@link dev.pounce.api.ServerConfig#defaults()}, so that the help text and the values agree with the config
 * without repeating them. Fields unset by default ({@code --uds}, the TLS files) and the switches ({@code --no-...}, {@code --[no-]access-log}) get none:
 * picocli reads a switch's default as the value its negated form sets.
 */
final class ConfigDefaults implements IDefaultValueProvider {

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && !isSwitch(option)) {
            // Fields unset by default (--uds, the TLS files) get no default: an empty path would be a path.
            return ConfigFlag.ofFlag(option.longestName())
                    .flatMap(ConfigFlag::defaultText)
                    .orElse(null);
        }
        return null;
    }

    private static boolean isSwitch(OptionSpec option) {
        Class<?> type = option.type();
        return type == boolean.class || type == Boolean.class;
    }
}
