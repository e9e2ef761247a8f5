package io.gostats.relay.sink.mackerel.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.gostats.relay.model.Target;
import io.gostats.relay.util.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code {slot}} numbers: per (family, container port), from 1, the lowest number no present target holds goes
 * to each new target (in target id order), and a target keeps its number for its whole life. When tasks are
 * replaced, the new ones take the numbers of the gone ones, so a redeploy draws the same Mackerel lines; the numbers
 * only grow past the most tasks of one family that ever ran at once.
 * <p>
 * A gone target's entry is kept until its number is handed out again: a target that comes back (a relay that started
 * before Docker answered saw no targets at all) gets its number back if no new target took it. This bounds the
 * entries by the highest number of each (family, port).
 * <p>
 * The entries live in {@value #FILE} in the state directory, rewritten atomically whenever they change, so a relay
 * restart does not reshuffle them. A state file that cannot be read or written is logged and the numbers kept in
 * memory: losing them only starts new series, which is no reason to stop posting.
 */
public final class KeySlots {

    public static final String FILE = "slots.json";

    private static final Logger LOG = Logger.getLogger(KeySlots.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One target's number, as stored. */
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

    private final Path file;
    private Map<String, Entry> byTarget;

    /** Loads the numbers kept in {@code stateDir}, creating the directory when missing. */
    public KeySlots(Path stateDir) {
        this.file = stateDir.resolve(FILE);
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            LOG.warnf("cannot create the state directory %s (%s); Mackerel key slots are kept in memory only",
                    stateDir, e);
        }
        this.byTarget = load(file);
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
            LOG.warnf("ignoring unreadable %s (%s); Mackerel key slots start afresh", file, why);
            return new TreeMap<>();
        }
    }

    private void save() {
        try {
            StateFile state = new StateFile(List.copyOf(byTarget.values()));
            AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, state));
        } catch (IOException e) {
            LOG.warnf("cannot save Mackerel key slots to %s (%s); a relay restart may renumber them", file, e);
        }
    }
}
