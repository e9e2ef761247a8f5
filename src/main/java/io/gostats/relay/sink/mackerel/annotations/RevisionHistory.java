package io.gostats.relay.sink.mackerel.annotations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.model.Snapshot;
import io.gostats.relay.model.TargetReport;
import io.gostats.relay.model.TaskIdentity;
import io.gostats.relay.util.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The newest ECS task definition revision this host has seen of each family, kept in {@value #FILE} in the state
 * directory so that a relay restart does not take the revisions it finds running for a deploy. A family seen for the
 * first time (a fresh host of a scale-out, a relay whose state is gone, a family new to this host) is recorded
 * without a deploy: only a revision newer than one this host has seen is one.
 * <p>
 * A file that cannot be read starts afresh (no deploy until each family is seen again); one that cannot be written
 * keeps the revisions in memory, logged once: losing them costs an annotation at worst.
 */
public final class RevisionHistory {

    public static final String FILE = "revisions.json";

    private static final Logger LOG = Logger.getLogger(RevisionHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The layout of {@value #FILE}: family → newest revision seen. */
    @RegisterForReflection
    record StateFile(Map<String, Long> families) {
    }

    private final Path file;
    private final Map<String, Long> newest;
    private boolean saveFailed;

    public RevisionHistory(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        this.newest = load(file);
    }

    /** The deploys this snapshot shows: families running a revision newer than the newest seen before. */
    public synchronized List<Deploy> sighted(Snapshot snapshot) {
        Map<String, TaskIdentity> newestNow = new TreeMap<>();
        for (TargetReport t : snapshot.targets()) {
            TaskIdentity id = t.target().identity();
            if (revision(id) >= 0) {
                newestNow.merge(id.family(), id, (a, b) -> revision(b) > revision(a) ? b : a);
            }
        }
        List<Deploy> deploys = new ArrayList<>();
        boolean changed = false;
        for (TaskIdentity id : newestNow.values()) {
            long now = revision(id);
            Long before = newest.get(id.family());
            if (before == null || now > before) {
                if (before != null) {
                    deploys.add(new Deploy(id.family(), before, now, id.cluster(), snapshot.cycleTime()));
                }
                newest.put(id.family(), now);
                changed = true;
            }
        }
        if (changed) {
            save();
        }
        return deploys;
    }

    /** The revision of an ECS task, -1 for a container ECS did not start (no family, no numeric revision). */
    static long revision(TaskIdentity id) {
        if (id.family().isEmpty() || id.revision().isEmpty() || id.revision().length() > 18
                || !id.revision().chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(id.revision());
    }

    private static Map<String, Long> load(Path file) {
        try {
            StateFile state = JSON.readValue(Files.readAllBytes(file), StateFile.class);
            Map<String, Long> out = new TreeMap<>();
            state.families().forEach((family, revision) -> {
                if (family == null || revision == null || revision < 0) {
                    throw new IllegalArgumentException("invalid entry " + family + "=" + revision);
                }
                out.put(family, revision);
            });
            return out;
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            LOG.warnf("ignoring unreadable %s (%s); deploys are annotated again once each family has been seen",
                    file, why);
            return new TreeMap<>();
        }
    }

    private void save() {
        try {
            StateFile state = new StateFile(new TreeMap<>(newest));
            AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, state));
            saveFailed = false;
        } catch (IOException e) {
            if (!saveFailed) {
                LOG.warnf("cannot save the task revisions seen to %s (%s); after a relay restart the first sighting "
                        + "of each family is recorded again, not annotated", file, e);
            }
            saveFailed = true;
        }
    }
}
