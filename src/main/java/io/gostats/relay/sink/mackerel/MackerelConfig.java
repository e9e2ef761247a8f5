package io.gostats.relay.sink.mackerel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gostats.relay.sink.mackerel.graphs.GraphGroup;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Mackerel sink's properties, under {@code relay.mackerel.}: the sink owns them, and {@link MackerelChecks} checks
 * them at start. README.md has the table.
 */
@ConfigMapping(prefix = "relay.mackerel")
public interface MackerelConfig {

    /** Post to Mackerel; defaults to whether an API key is given. */
    Optional<Boolean> enabled();

    /** Organisation API key with Write permission; also read from MACKEREL_APIKEY. Never logged. */
    Optional<String> apiKey();

    @WithDefault("https://api.mackerelio.com")
    String apiBase();

    /** First segment after {@code custom.}: {@code custom.<prefix>.<key>.<graph>.<metric>}. */
    @WithDefault("gostats")
    String prefix();

    /** Template of the key segment; empty: {@code {family}-{slot}} (or with {@code {cport}}, see README). */
    Optional<String> key();

    /** Reproduce mackerel-plugin-gostats exactly, including its Diff of heap_released. */
    @WithDefault("false")
    boolean gostatsCompat();

    /** The Mackerel host the metrics belong to; else read from {@code host-id-file}. */
    Optional<String> hostId();

    /** Written by a mackerel-agent on the same instance. */
    @WithDefault("/var/lib/mackerel-agent/id")
    Path hostIdFile();

    /** Register a host through the API when there is no id (billed as a standard host). */
    @WithDefault("false")
    boolean registerHost();

    Optional<String> customIdentifier();

    /** {@code Service:role}, comma-separated, for a host the relay registers. */
    Optional<List<String>> roles();

    /** Retire on shutdown a host the relay registered itself. */
    @WithDefault("false")
    boolean autoRetire();

    /**
     * A registered host's id and the on-disk queue live here; {@code relay.state-dir} unless set (before the slot
     * moved to derive, the key slots lived here too: a {@code slots.json} found here is read once on upgrade).
     */
    @WithDefault("${relay.state-dir}")
    Path stateDir();

    /**
     * What goes to Mackerel, by graph group: {@code gostats}, {@code process}, {@code container}, {@code docker},
     * {@code host-sums} ({@code GraphGroup}). Per-container groups are off by default: README's cost table says why.
     */
    @WithDefault(GraphGroup.DEFAULT)
    List<String> graphs();

    /** Metrics a Mackerel host includes before overage: 200 for a standard host (one the API registers). */
    @WithDefault("200")
    int hostMetricAllowance();

    /**
     * What else posts to the host, taken off the allowance: mackerel-agent's own ~20 metrics plus 2 per disk, per
     * network interface and per filesystem (about 30 on a typical ECS instance), and its plugins' metrics.
     */
    @WithDefault("30")
    int hostMetricReserve();

    /** Tasks posted per host at most (0: no cap); each task adds 15 metrics. */
    @WithDefault("0")
    int maxTasks();

    /** How often graph definitions are posted again, well inside Mackerel's 6-8 h expiry of unused ones. */
    @WithDefault("3h")
    Duration graphDefsEvery();

    /** Minute batches kept while Mackerel cannot be reached (360: 6 hours). */
    @WithDefault("360")
    int queueCapacity();

    /** Body size of one post; a backlog is drained in requests of at most this. */
    @WithDefault("100K")
    MemorySize maxRequestSize();

    /** Least time between two posts, on average (each wait is randomized ±25 %): see DeliveryPacer for why 2 s. */
    @WithDefault("2s")
    Duration minRequestInterval();

    Dashboard dashboard();

    Annotations annotations();

    /** Deploy annotations: off unless a service is given. */
    interface Annotations {
        /** The Mackerel service whose graphs show the deploys this host sees. */
        Optional<String> service();

        /** Role names of that service to draw them on; none: every graph of the service. */
        Optional<List<String>> roles();

        /** The longest random wait before looking for another relay's annotation of the same deploy. */
        @WithDefault("30s")
        Duration maxWait();
    }

    interface Dashboard {
        /** {@code Service:role}: create or update at start the gostats dashboard of that role. */
        Optional<String> role();
    }
}
