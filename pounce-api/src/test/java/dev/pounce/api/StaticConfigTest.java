package dev.pounce.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --static} and {@code --static-cache-control} as the builder reads and checks them. */
class StaticConfigTest {

    @TempDir
    static Path dir;

    private static ConfigException invalid(List<String> mounts, List<String> caching) {
        return assertThrows(ConfigException.class,
                () -> ServerConfig.builder().staticFiles(mounts).staticCacheControl(caching).build());
    }

    @Test
    void noFoldersByDefault() {
        assertEquals(List.of(), ServerConfig.defaults().staticFiles());
    }

    @Test
    void mountsAreRealPathsLongestPrefixFirstWithTheirCacheControl() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path link = dir.resolve("link-to-a");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, a);
        }
        var c = ServerConfig.builder().staticFiles(List.of("/=" + dir, "/assets/img/=" + link, "/assets=" + a))
                .staticCacheControl(List.of("/assets/img=max-age=31536000, immutable")).build();
        assertEquals(List.of(
                new StaticMount("/assets/img", a.toRealPath(), Optional.of("max-age=31536000, immutable")),
                new StaticMount("/assets", a.toRealPath(), Optional.empty()),
                new StaticMount("/", dir.toRealPath(), Optional.empty())), c.staticFiles());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void aMissingFolderOrAFileIsRefusedNamingTheFolder() throws IOException {
        var missing = invalid(List.of("/s=" + dir.resolve("nope")), List.of());
        assertEquals("staticFiles", missing.field());
        assertEquals("staticFiles folder '" + dir.resolve("nope") + "' for /s does not exist or cannot be read",
                missing.getMessage());
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        var notFolder = invalid(List.of("/s=" + file), List.of());
        assertEquals("staticFiles folder '" + file + "' for /s is not a folder", notFolder.getMessage());
        assertTrue(invalid(List.of("/s="), List.of()).getMessage().startsWith("staticFiles needs a folder"));
        assertTrue(invalid(List.of("/s"), List.of()).getMessage().startsWith("staticFiles takes /prefix=DIR"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"s", "", "/a b", "/a?b", "/a#b", "/a%2e", "/a\\b", "//", "/a//b", "/a/./b", "/a/../b",
            "/..", "/\u00e9"})
    void aBadPrefixIsRefused(String prefix) {
        var e = invalid(List.of(prefix + "=" + dir), List.of());
        assertEquals("staticFiles", e.field());
        assertTrue(e.getMessage().startsWith("staticFiles prefix must be / or a path such as /assets"),
                e.getMessage());
    }

    @Test
    void aPrefixMayBeMountedOnce() {
        assertEquals("staticFiles mounts /s twice",
                invalid(List.of("/s=" + dir, "/s/=" + dir), List.of()).getMessage());
    }

    @Test
    void atMost64Folders() {
        List<String> mounts = new ArrayList<>();
        for (int i = 0; i < StaticRules.MAX_MOUNTS; i++) {
            mounts.add("/m" + i + "=" + dir);
        }
        assertEquals(64, ServerConfig.builder().staticFiles(mounts).build().staticFiles().size());
        mounts.add("/m64=" + dir);
        assertEquals("staticFiles takes at most 64 folders, got 65", invalid(mounts, List.of()).getMessage());
    }

    @Test
    void cacheControlMustNameAMountedPrefixOnceWithAPrintableValue() {
        List<String> mounts = List.of("/s=" + dir);
        var unknown = invalid(mounts, List.of("/t=no-cache"));
        assertEquals("staticCacheControl", unknown.field());
        assertEquals("staticCacheControl names /t, which no staticFiles folder is mounted at", unknown.getMessage());
        assertEquals("staticCacheControl sets /s twice",
                invalid(mounts, List.of("/s=no-cache", "/s=max-age=1")).getMessage());
        assertTrue(invalid(mounts, List.of("/s=")).getMessage().contains("must be printable ASCII and not empty"));
        assertTrue(invalid(mounts, List.of("/s=a\r\nb")).getMessage().contains("must be printable ASCII"));
        assertTrue(invalid(mounts, List.of("no-cache")).getMessage().startsWith("staticCacheControl takes"));
    }
}
