package io.gostats.relay.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.config.ConfigProperty;
import io.gostats.relay.cycle.Cycle;
import io.gostats.relay.model.Snapshot;
import io.gostats.relay.sink.mackerel.MackerelConfig;
import io.gostats.relay.sink.mackerel.keys.KeyTemplate;
import io.gostats.relay.sink.mackerel.keys.TaskKeys;
import io.gostats.relay.sink.mackerel.plugin.PluginOutput;
import io.gostats.relay.sink.mackerel.plugin.PluginRun;
import io.gostats.relay.sink.mackerel.plugin.PluginState;

/**
 * {@code plugin}: mackerel-agent plugin mode. Prints every discovered task's gostats lines as mackerel-plugin-gostats
 * does ({@code name\tvalue\tepoch}, no {@code custom.}), keeping the previous values in a state file in
 * {@code MACKEREL_PLUGIN_WORKDIR}; with {@code MACKEREL_AGENT_PLUGIN_META} set, the meta header and the wildcard
 * graphs instead. stdout carries nothing else.
 */
@ApplicationScoped
public class PluginCommand {

    private static final Logger LOG = Logger.getLogger(PluginCommand.class);
    static final String STATE_FILE = "gostats-relay-plugin-%s.json";

    private final PluginConfig config;
    private final MackerelConfig mackerel;
    private final Cycle cycle;

    public PluginCommand(PluginConfig config, MackerelConfig mackerel, Cycle cycle) {
        this.config = config;
        this.mackerel = mackerel;
        this.cycle = cycle;
        ConfigProperty.parse("relay.plugin.key", () -> KeyTemplate.parse(config.key()));
    }

    public int run(String... args) {
        if (args.length != 0) {
            System.err.println("usage: plugin (no arguments; configure with relay.* properties)");
            return 2;
        }
        String prefix = mackerel.prefix(); // checked by MackerelSink at start
        String meta = System.getenv("MACKEREL_AGENT_PLUGIN_META");
        if (meta != null && !meta.isEmpty()) {
            return print(PluginOutput.meta(prefix));
        }
        long now = Clock.systemUTC().instant().getEpochSecond();
        PluginConfig p = config;
        Path workdir = workdir(p.workdir(), System.getenv("MACKEREL_PLUGIN_WORKDIR"));
        TaskKeys keys = ConfigProperty.parse("relay.plugin.key", () -> new TaskKeys(p.key()));
        boolean slotted = KeyTemplate.parse(p.key()).usesSlot();
        cycle.keepSlotsIn(slotted ? Optional.of(workdir) : Optional.empty());
        Snapshot snapshot = cycle.run(Instant.ofEpochSecond(now));
        snapshot.discovery().stream().filter(s -> !s.up())
                .forEach(s -> LOG.warnf("%s is down: %s", s.source(), s.error()));
        Map<String, String> keyOf = keys.keys(snapshot.targets());
        PluginState state = PluginState.load(workdir.resolve(String.format(STATE_FILE, prefix)));
        int code = print(PluginRun.lines(prefix, p.gostatsCompat(), keyOf, snapshot.targets(), state, now));
        try {
            state.save(now);
        } catch (IOException e) {
            LOG.errorf("cannot save the plugin state in %s: %s", workdir, e);
            code = 1;
        }
        boolean failed = snapshot.targets().stream().anyMatch(r -> !r.up())
                || snapshot.discovery().stream().anyMatch(s -> !s.up());
        return failed ? 1 : code;
    }

    /** {@code relay.plugin.workdir}, else MACKEREL_PLUGIN_WORKDIR, else the temp directory, as plugins do. */
    static Path workdir(Optional<Path> configured, String env) {
        return configured.orElseGet(() -> Path.of(env == null || env.isBlank() ? System.getProperty("java.io.tmpdir")
                : env));
    }

    private static int print(String text) {
        PrintStream out = System.out;
        out.print(text);
        out.flush();
        return out.checkError() ? 1 : 0;
    }
}
