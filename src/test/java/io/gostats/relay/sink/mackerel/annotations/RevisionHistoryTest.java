package io.gostats.relay.sink.mackerel.annotations;

import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.T0;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.at;
import static io.gostats.relay.sink.mackerel.annotations.EcsSnapshots.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gostats.relay.LogCapture;
import io.gostats.relay.model.TargetReport;

class RevisionHistoryTest {

    @TempDir
    Path state;

    static final TargetReport API_7 = task("c1", "api", "7", "prod");
    static final TargetReport API_8 = task("c2", "api", "8", "prod");

    @Test
    void theFirstSightingOfAFamilyIsRecordedNotADeploy() {
        RevisionHistory h = new RevisionHistory(state);
        assertEquals(List.of(), h.sighted(at(T0, API_7, task("c3", "worker", "3", "prod"))),
                "a fresh host (a scale-out, a relay without state) sees no deploy");
        assertEquals(List.of(), h.sighted(at(T0 + 60, API_7)), "the same revision again");
    }

    @Test
    void aNewerRevisionIsADeployOnceWithTheOldAndTheNewAndTheCluster() {
        RevisionHistory h = new RevisionHistory(state);
        h.sighted(at(T0, API_7));
        // a rolling deploy on this host: old and new tasks side by side
        assertEquals(List.of(new Deploy("api", 7, 8, "prod", Instant.ofEpochSecond(T0 + 60))),
                h.sighted(at(T0 + 60, API_7, API_8)));
        assertEquals(List.of(), h.sighted(at(T0 + 120, API_8)), "each revision once");
        assertEquals(List.of(), h.sighted(at(T0 + 180, API_7)), "a rollback to an older revision is not newer");
        assertEquals(List.of(), h.sighted(at(T0 + 240, API_8)));
    }

    @Test
    void aRelayRestartKeepsWhatItHadSeen() {
        new RevisionHistory(state).sighted(at(T0, API_7));
        RevisionHistory restarted = new RevisionHistory(state);
        assertEquals(List.of(), restarted.sighted(at(T0 + 60, API_7)), "a restart is no deploy");
        assertEquals(1, restarted.sighted(at(T0 + 120, API_8)).size(), "but a deploy while it was down is");
    }

    @Test
    void revisionsCompareAsNumbersAndNonEcsContainersAreLeftOut() {
        RevisionHistory h = new RevisionHistory(state);
        h.sighted(at(T0, task("c1", "api", "9", "prod"), task("c9", "", "", ""), task("c8", "odd", "x1", "")));
        List<Deploy> d = h.sighted(at(T0 + 60, task("c2", "api", "10", "prod"), task("c8", "odd", "x2", "")));
        assertEquals(1, d.size(), d.toString());
        assertEquals(10, d.get(0).toRevision(), "10 after 9, not before it");
    }

    @Test
    void anUnreadableFileStartsAfresh() throws IOException {
        Files.writeString(state.resolve(RevisionHistory.FILE), "{\"families\":{\"api\":-1}}");
        try (LogCapture log = LogCapture.of(RevisionHistory.class)) {
            RevisionHistory h = new RevisionHistory(state);
            assertEquals(List.of(), h.sighted(at(T0, API_8)));
            assertEquals(1, log.warnings().size(), log.warnings().toString());
        }
        assertTrue(Files.readString(state.resolve(RevisionHistory.FILE)).contains("\"api\" : 8"));
    }

    @Test
    void anUnwritableDirectoryKeepsTheRevisionsInMemoryWithOneWarning() throws IOException {
        Path file = state.resolve("not-a-dir");
        Files.writeString(file, "x");
        try (LogCapture log = LogCapture.of(RevisionHistory.class)) {
            RevisionHistory h = new RevisionHistory(file);
            h.sighted(at(T0, API_7));
            assertEquals(1, h.sighted(at(T0 + 60, API_8)).size());
            h.sighted(at(T0 + 120, task("c3", "api", "9", "prod")));
            assertEquals(1, log.warnings().stream().filter(w -> w.startsWith("cannot save")).count(),
                    log.warnings().toString());
        }
    }
}
