package dev.pounce.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code pounce --version}: our version and the Java that runs us. */
final class VersionText implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[]{
                "pounce " + pounceVersion(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ", "
                        + System.getProperty("java.vm.name", "unknown VM") + ") on "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }

    /** @return the version Maven built us as, from the module descriptor or else version.properties */
    static String pounceVersion() {
        var descriptor = VersionText.class.getModule().getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        try (InputStream in = VersionText.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
