package io.gostats.relay.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.gostats.relay.ConfigProperty;
import io.gostats.relay.RelayConfig;
import io.gostats.relay.collect.Collector;
import io.gostats.relay.collect.FetchResult;
import io.gostats.relay.discovery.Discovery;
import io.gostats.relay.discovery.Target;
import io.gostats.relay.sink.mackerel.KeyTemplate;
import io.gostats.relay.sink.mackerel.PluginOutput;
import io.gostats.relay.sink.mackerel.PluginRun;
import io.gostats.relay.sink.mackerel.PluginState;
import io.gostats.relay.sink.mackerel.TaskKeys;

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

    private final RelayConfig config;
    private final Discovery discovery;
    private final Collector collector;

    public PluginCommand(RelayConfig config, Discovery discovery, Collector collector) {
        this.config = config;
        this.discovery = discovery;
        this.collector = collector;
        ConfigProperty.parse("relay.plugin.key", () -> KeyTemplate.parse(config.plugin().key()));
    }

    public int run(String... args) {
        if (args.length != 0) {
            System.err.println("usage: plugin (no arguments; configure with relay.* properties)");
            return 2;
        }
        String prefix = config.mackerel().prefix(); // checked by MackerelSink at start
        String meta = System.getenv("MACKEREL_AGENT_PLUGIN_META");
        if (meta != null && !meta.isEmpty()) {
            return print(PluginOutput.meta(prefix));
        }
        long now = Clock.systemUTC().instant().getEpochSecond();
        RelayConfig.Plugin p = config.plugin();
        Path workdir = workdir(p.workdir(), System.getenv("MACKEREL_PLUGIN_WORKDIR"));
        TaskKeys keys = ConfigProperty.parse("relay.plugin.key", () -> new TaskKeys(p.key(), workdir));
        List<Target> targets = discovery.discover();
        discovery.statuses().stream().filter(s -> !s.up())
                .forEach(s -> LOG.warnf("%s is down: %s", s.source(), s.error()));
        List<FetchResult> results = collector.collect(targets).await().indefinitely();
        Map<String, String> keyOf = keys.keys(targets);
        PluginState state = PluginState.load(workdir.resolve(String.format(STATE_FILE, prefix)));
        int code = print(PluginRun.lines(prefix, p.gostatsCompat(), keyOf, results, state, now));
        try {
            state.save(now);
        } catch (IOException e) {
            LOG.errorf("cannot save the plugin state in %s: %s", workdir, e);
            code = 1;
        }
        boolean failed = results.stream().anyMatch(r -> r instanceof FetchResult.Failure)
                || discovery.statuses().stream().anyMatch(s -> !s.up());
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
