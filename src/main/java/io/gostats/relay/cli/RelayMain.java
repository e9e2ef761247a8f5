package io.gostats.relay.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Without arguments: the relay, until it is stopped. {@code dashboard Service:role}: create or update that role's
 * gostats dashboard in Mackerel and exit (no cycle runs).
 */
@QuarkusMain
public class RelayMain implements QuarkusApplication {

    private final DashboardCommand dashboard;

    public RelayMain(DashboardCommand dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        if (args[0].equals("dashboard")) {
            return dashboard.run(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        System.err.println("unknown command '" + args[0] + "'; commands: dashboard Service:role");
        return 2;
    }
}
