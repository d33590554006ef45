package dev.pounce.runtime.internal.plugins;

import dev.pounce.api.ConfigSection;
import dev.pounce.api.SectionValues;
import dev.pounce.api.ServerConfig;
import dev.pounce.api.Setting;
import dev.pounce.spi.ConnectionContext;
import dev.pounce.spi.DatagramContext;
import dev.pounce.spi.DatagramProtocol;
import dev.pounce.spi.Detection;
import dev.pounce.spi.ProtocolHandler;
import dev.pounce.spi.StreamProtocol;
import dev.pounce.spi.UpgradeOffer;
import dev.pounce.spi.UpgradeProvider;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Protocols are switched on and ordered by what each says of itself; the runtime knows none by its id. */
class EnabledProtocolsTest {

    /** A plugin's own on/off setting, as HTTP/2's {@code --no-http2} is. */
    record Toggle(boolean on) { }

    static final class ToggleSection implements ConfigSection<Toggle> {
        static final Setting<Boolean> ON = Setting.toggle("acme.enabled", true);
        static final ToggleSection SECTION = new ToggleSection();

        @Override
        public String name() {
            return "acme";
        }

        @Override
        public String title() {
            return "Acme";
        }

        @Override
        public Class<Toggle> type() {
            return Toggle.class;
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(ON);
        }

        @Override
        public Toggle build(SectionValues values) {
            return new Toggle(values.get(ON));
        }
    }

    private record Stream(String name, List<String> alpnIds, int preference, boolean followsToggle)
            implements StreamProtocol {
        @Override
        public boolean enabled(ServerConfig config) {
            return !followsToggle || config.section(ToggleSection.SECTION).on();
        }

        @Override
        public Detection detect(ByteBuf prefix) {
            return Detection.NOT_RECOGNISED;
        }

        @Override
        public void initialize(Channel channel, ConnectionContext context) {
        }
    }

    private record Datagram(String name, List<String> alpnIds) implements DatagramProtocol {
        @Override
        public void bind(Channel channel, DatagramContext context) {
        }
    }

    private record Upgrade(String token, boolean followsToggle) implements UpgradeProvider {
        @Override
        public boolean enabled(ServerConfig config) {
            return !followsToggle || config.section(ToggleSection.SECTION).on();
        }

        @Override
        public boolean offer(UpgradeOffer offer) {
            return false;
        }
    }

    private static final Stream GENERAL = new Stream("general", List.of("general/1"), 0, false);
    private static final Stream FAST = new Stream("fast", List.of("fast"), 200, false);
    private static final Stream THIRD = new Stream("third", List.of("third/1"), 100, false);
    private static final Stream ACME = new Stream("acme", List.of("acme/2"), 150, true);
    private static final Datagram QUIC = new Datagram("q", List.of("q1"));

    private static ServerConfig config(String... settings) {
        var b = ServerConfig.builder().sections(List.of(ToggleSection.SECTION));
        for (int i = 0; i < settings.length; i += 2) {
            b.set(settings[i], settings[i + 1]);
        }
        return b.build();
    }

    @Test
    void offersAlpnIdsByEachProtocolsPreferenceWhateverTheLoadOrder() {
        List<ProtocolHandler> found = List.of(GENERAL, THIRD, QUIC, ACME, FAST);
        var enabled = EnabledProtocols.of(config(), found, List.of(), List.of());
        assertEquals(List.of("fast", "acme/2", "third/1", "general/1"), enabled.alpn());
        assertEquals(List.of(GENERAL, THIRD, ACME, FAST), enabled.stream());
        assertEquals(List.of(QUIC), enabled.datagram());
        assertEquals(List.of("q1"), enabled.datagramAlpn());
    }

    @Test
    void aProtocolItsOwnSettingSwitchesOffIsLeftOutEverywhere() {
        var enabled = EnabledProtocols.of(config("acme.enabled", "false"), List.of(ACME, GENERAL), List.of(),
                List.of());
        assertEquals(List.of("general/1"), enabled.alpn());
        assertEquals(List.of(GENERAL), enabled.stream());
    }

    /** An upgrade provider switched off by its own setting is not handed to connections, so HTTP/2 does not count it. */
    @Test
    void anUpgradeItsOwnSettingSwitchesOffIsLeftOut() {
        var acme = new Upgrade("acme", true);
        var other = new Upgrade("other", false);
        assertEquals(List.of(acme, other),
                EnabledProtocols.of(config(), List.of(GENERAL), List.of(acme, other), List.of()).upgrades());
        assertEquals(List.of(other), EnabledProtocols.of(config("acme.enabled", "false"), List.of(GENERAL),
                List.of(acme, other), List.of()).upgrades());
    }
}
