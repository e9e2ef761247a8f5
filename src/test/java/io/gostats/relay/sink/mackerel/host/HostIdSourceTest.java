package io.gostats.relay.sink.mackerel.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostIdSourceTest {

    @TempDir
    Path dir;

    @Test
    void configuredIdWins() throws Exception {
        Files.writeString(dir.resolve("id"), "fromFile");
        assertEquals(Optional.of("abc123"), new HostIdSource(Optional.of(" abc123 "), dir.resolve("id")).current());
    }

    @Test
    void waitsForTheAgentsIdFile() throws Exception {
        HostIdSource ids = new HostIdSource(Optional.empty(), dir.resolve("id"));
        assertEquals(Optional.empty(), ids.current());
        Files.writeString(dir.resolve("id"), "3sm7GHJx3aN\n");
        assertEquals(Optional.of("3sm7GHJx3aN"), ids.current());
    }

    @Test
    void aGarbledFileIsNoId() throws Exception {
        Files.writeString(dir.resolve("id"), "<html>");
        assertEquals(Optional.empty(), new HostIdSource(Optional.empty(), dir.resolve("id")).current());
    }

    /** mackerel-agent registered again (a reinstall, a deleted id file, AUTO_RETIREMENT): its new id is used. */
    @Test
    void theAgentsIdFileIsReadAgainWhenItChanges() throws Exception {
        Path file = dir.resolve("id");
        Files.writeString(file, "hostA\n");
        HostIdSource ids = new HostIdSource(Optional.empty(), file);
        assertEquals(Optional.of("hostA"), ids.current());
        rewrite(file, "hostB\n");
        assertEquals(Optional.of("hostB"), ids.current());
    }

    @Test
    void aRejectedIdIsNotUsedUntilTheFileNamesAnotherHost() throws Exception {
        Path file = dir.resolve("id");
        Files.writeString(file, "hostA\n");
        HostIdSource ids = new HostIdSource(Optional.empty(), file);
        assertEquals(Optional.of("hostA"), ids.current());
        ids.rejected("hostA");
        assertEquals(Optional.empty(), ids.current(), "points wait rather than go to a retired host");
        assertTrue(ids.missing().startsWith("relay.mackerel.host-id-file"), ids.missing());
        rewrite(file, "hostA\n");
        assertEquals(Optional.empty(), ids.current(), "the same retired id, written again");
        rewrite(file, "hostB\n");
        assertEquals(Optional.of("hostB"), ids.current());
    }

    @Test
    void aRejectedConfiguredIdNamesTheProperty() {
        HostIdSource ids = new HostIdSource(Optional.of("hostA"), dir.resolve("id"));
        ids.rejected("hostA");
        assertEquals(Optional.empty(), ids.current());
        assertTrue(ids.missing().startsWith("relay.mackerel.host-id "), ids.missing());
    }

    /** New content with a modification time the file system surely tells apart. */
    private static void rewrite(Path file, String content) throws Exception {
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
    }
}
