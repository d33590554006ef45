package dev.pounce.example.echo;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.Setting;

import java.util.List;
import java.util.Optional;

/** The echo tunnel's settings section, {@code echo}: found by ServiceLoader, shown by {@code pounce --help}. */
public final class EchoSection implements ConfigSection<EchoConfig> {

    /** The one path tunnels are offered on. */
    public static final Setting<String> PATH = Setting.text("echo.path", "/echo", "a path starting with /",
            p -> p.startsWith("/") && p.indexOf('?') < 0 ? Optional.empty()
                    : Optional.of("'" + p + "' does not start with / or has a query"))
            .describe("The request path echo tunnels are offered on; other paths are denied with 404");

    /** The instance the provider reads its settings with. */
    public static final EchoSection SECTION = new EchoSection();

    /** Made by ServiceLoader. */
    public EchoSection() {
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String title() {
        return "Echo tunnel (dev.pounce.example.echo)";
    }

    @Override
    public Class<EchoConfig> type() {
        return EchoConfig.class;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(PATH);
    }

    @Override
    public EchoConfig build(SectionValues values) {
        return new EchoConfig(values.get(PATH));
    }
}
