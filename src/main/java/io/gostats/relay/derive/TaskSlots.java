package io.gostats.relay.derive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskFamily;
import io.gostats.relay.util.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The task's slot: per (family, container port), from 1, the lowest number no present target holds goes to each new
 * target (in target id order), and a target keeps its number for its whole life. When tasks are replaced, the new
 * ones take the numbers of the gone ones, so a redeploy continues the same Mackerel lines and Prometheus series; the
 * numbers only grow past the most tasks of one family that ever ran at once.
 * <p>
 * A gone target's entry is kept until its number is handed out again: a target that comes back (a relay that started
 * before Docker answered saw no targets at all) gets its number back if no new target took it. This bounds the
 * entries by the highest number of each (family, port).
 * <p>
 * The entries live in {@value #FILE} in the state directory, rewritten atomically whenever they change, so a relay
 * restart does not reshuffle them. A state file that cannot be read, or a directory that cannot be written, is logged
 * once and the numbers kept in memory: losing them only starts new series, which is no reason to stop.
 */
public final class TaskSlots {

    public static final String FILE = "slots.json";

    private static final Logger LOG = Logger.getLogger(TaskSlots.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One target's number, as stored (the layout the Mackerel sink wrote before the slot moved to derive). */
    @RegisterForReflection
    record Entry(String family, int containerPort, String target, int slot) {
        Group group() {
            return new Group(family, containerPort);
        }
    }

    /** The layout of {@value #FILE}. */
    @RegisterForReflection
    record StateFile(List<Entry> slots) {
    }

    record Group(String family, int containerPort) {
        static Group of(Target t) {
            return new Group(TaskFamily.of(t.identity()), t.containerPort());
        }
    }

    /** Empty: numbers kept in memory only. */
    private final Optional<Path> file;
    private Map<String, Entry> byTarget;
    private boolean saveFailed;

    private TaskSlots(Optional<Path> file, Map<String, Entry> entries) {
        this.file = file;
        this.byTarget = entries;
    }

    /** Numbers for this process alone: nothing read, nothing written. */
    public static TaskSlots inMemory() {
        return new TaskSlots(Optional.empty(), new TreeMap<>());
    }

    /** The numbers kept in {@code stateDir}, read but never written (a command beside a running relay). */
    public static TaskSlots readOnly(Path stateDir) {
        return new TaskSlots(Optional.empty(), load(stateDir.resolve(FILE)));
    }

    /**
     * The numbers kept in {@code stateDir}, created when missing. When it has no {@value #FILE} yet and
     * {@code earlierDir} has one (where an earlier version kept them), that one is read and written here at once,
     * so that an upgrade renumbers no task; the earlier file is left as it was.
     */
    public static TaskSlots kept(Path stateDir, Optional<Path> earlierDir) {
        Path file = stateDir.resolve(FILE);
        Optional<Path> earlier = earlierDir.map(d -> d.resolve(FILE))
                .filter(f -> !same(f, file) && Files.notExists(file) && Files.isRegularFile(f));
        TaskSlots slots = new TaskSlots(Optional.of(file), load(earlier.orElse(file)));
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            slots.saveFailed = true;
            LOG.warnf("cannot create the state directory %s (%s); task slots are kept in memory only, so a relay "
                    + "restart may renumber them (relay.state-dir)", stateDir, e);
        }
        earlier.ifPresent(f -> {
            LOG.infof("task slots read from %s, where an earlier version kept them; kept in %s from now on", f, file);
            slots.save();
        });
        return slots;
    }

    private static boolean same(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** The number of each target by target id; remembers them, and saves them when they changed. */
    public synchronized Map<String, Integer> assign(List<Target> targets) {
        List<Target> sorted = targets.stream().sorted(Comparator.comparing(Target::id)).toList();
        Map<String, Integer> assigned = new HashMap<>();
        Map<Group, Set<Integer>> held = new HashMap<>();
        Map<String, Entry> next = new TreeMap<>(byTarget);
        for (Target t : sorted) {
            Entry e = byTarget.get(t.id());
            if (e != null && e.group().equals(Group.of(t))) {
                held.computeIfAbsent(e.group(), g -> new HashSet<>()).add(e.slot());
                assigned.put(t.id(), e.slot());
            }
        }
        for (Target t : sorted) {
            if (assigned.containsKey(t.id())) {
                continue;
            }
            Group g = Group.of(t);
            Set<Integer> taken = held.computeIfAbsent(g, x -> new HashSet<>());
            int slot = 1;
            while (taken.contains(slot)) {
                slot++;
            }
            taken.add(slot);
            int s = slot;
            next.values().removeIf(e -> e.group().equals(g) && e.slot() == s);
            next.put(t.id(), new Entry(g.family(), g.containerPort(), t.id(), slot));
            assigned.put(t.id(), slot);
        }
        if (!next.equals(byTarget)) {
            byTarget = next;
            save();
        }
        return assigned;
    }

    private static Map<String, Entry> load(Path file) {
        Map<String, Entry> entries = new TreeMap<>();
        if (!Files.exists(file)) {
            return entries; // also below a directory that cannot be made: that is warned about, once
        }
        try {
            StateFile state = JSON.readValue(Files.readAllBytes(file), StateFile.class);
            Map<Group, Set<Integer>> held = new HashMap<>();
            for (Entry e : state.slots()) {
                if (e.family() == null || e.target() == null || e.slot() < 1
                        || !held.computeIfAbsent(e.group(), g -> new HashSet<>()).add(e.slot())
                        || entries.put(e.target(), e) != null) {
                    throw new IOException("invalid or duplicate entry " + e);
                }
            }
            return entries;
        } catch (NoSuchFileException e) {
            return entries;
        } catch (IOException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            LOG.warnf("ignoring unreadable %s (%s); task slots start afresh", file, why);
            return new TreeMap<>();
        }
    }

    /** A failed write is logged once: the numbers stay in memory, and every later change would fail the same way. */
    private void save() {
        if (file.isEmpty()) {
            return;
        }
        try {
            StateFile state = new StateFile(List.copyOf(byTarget.values()));
            AtomicFiles.write(file.get(), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, state));
            if (saveFailed) {
                LOG.infof("task slots saved to %s again", file.get());
            }
            saveFailed = false;
        } catch (IOException e) {
            if (!saveFailed) {
                LOG.warnf("cannot save task slots to %s (%s); they are kept in memory, so a relay restart may "
                        + "renumber them (relay.state-dir)", file.get(), e);
            }
            saveFailed = true;
        }
    }
}
