package io.gostats.relay.sink.mackerel.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
