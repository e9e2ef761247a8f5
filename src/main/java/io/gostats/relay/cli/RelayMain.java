package io.gostats.relay.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Without arguments: the relay, until it is stopped. {@code dashboard Service:role}: create or update that role's
 * gostats dashboard in Mackerel and exit (no cycle runs). {@code plugin}: mackerel-agent plugin mode; {@code once}:
 * one discovery and fetch, as a table.
 */
@QuarkusMain
public class RelayMain implements QuarkusApplication {

    static final String COMMANDS = "dashboard Service:role, plugin, once";

    /**
     * Set for the commands that only poll and print: no HTTP server, no Mackerel sink (so no host registration,
     * no queue), logs on stderr so that stdout carries the command's output alone. System properties win over
     * every other configuration source.
     */
    static final Map<String, String> POLLING_COMMAND_CONFIG = Map.of(
            "quarkus.http.host-enabled", "false",
            "relay.mackerel.enabled", "false",
            "relay.container-stats.enabled", "false",
            "quarkus.log.console.stderr", "true");
    static final Set<String> POLLING_COMMANDS = Set.of("plugin", "once");

    private final DashboardCommand dashboard;
    private final PluginCommand plugin;
    private final OnceCommand once;

    public RelayMain(DashboardCommand dashboard, PluginCommand plugin, OnceCommand once) {
        this.dashboard = dashboard;
        this.plugin = plugin;
        this.once = once;
    }

    /** Set by jvm.options; every way we ship the relay (README, image, task definition, cloud-init) uses the file. */
    static final String JVM_OPTIONS_MARK = "gostats.jvm-options";

    /** One line at start when the JVM was not sized by jvm.options: its defaults take about twice the memory. */
    static boolean warnWithoutJvmOptions(String mark) {
        if ("true".equals(mark)) {
            return false;
        }
        org.jboss.logging.Logger.getLogger(RelayMain.class).warn("started without jvm.options: the JVM's defaults "
                + "size the heap for the machine, not for the relay (about 2x the memory at 1,000 targets); start it "
                + "with 'java @jvm.options -jar quarkus-run.jar' (README, \"Run it\")");
        return true;
    }

    public static void main(String... args) {
        boolean polling = args.length > 0 && POLLING_COMMANDS.contains(args[0]);
        Map<String, String> before = new java.util.HashMap<>();
        if (polling) {
            POLLING_COMMAND_CONFIG.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
        }
        try {
            Quarkus.run(RelayMain.class, args);
        } finally {
            // in tests the JVM goes on after the command
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            warnWithoutJvmOptions(System.getProperty(JVM_OPTIONS_MARK));
            Quarkus.waitForExit();
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "dashboard":
                return dashboard.run(rest);
            case "plugin":
                return plugin.run(rest);
            case "once":
                return once.run(rest);
            default:
                System.err.println("unknown command '" + args[0] + "'; commands: " + COMMANDS);
                return 2;
        }
    }
}
