package io.gostats.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The relay's own properties: the cycle, discovery, collection and container stats. Each sink and reader has its
 * own mapping beside its code ({@code relay.mackerel.*}, {@code relay.page.*}...). README.md has the table.
 */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    /** Time between cycles; cycles are aligned to multiples of it on the wall clock (60 s: second 0 of each minute). */
    @WithDefault("60s")
    Duration interval();

    Discovery discovery();

    Collect collect();

    Mackerel mackerel();

    ContainerStats containerStats();

    interface ContainerStats {
        /** Read CPU, memory, network and block I/O of every watched container from the Docker API each cycle. */
        @WithDefault("true")
        boolean enabled();
    }

    Plugin plugin();

    interface Discovery {
        /** The port a watched container serves /stats on, {@code 8080/tcp}; labels {@code gostats.port} override it. */
        @WithDefault("8080/tcp")
        String containerPort();

        /** {@code host:port[/path]}, comma-separated: targets watched without Docker. */
        Optional<List<String>> staticTargets();

        Docker docker();
    }

    interface Docker {
        @WithDefault("true")
        boolean enabled();

        /** Docker endpoint; else the DOCKER_HOST environment variable, else unix:///var/run/docker.sock. */
        Optional<String> host();

        /** Regex matched anywhere in the container name (without its leading slash). */
        Optional<String> name();

        /** Each {@code key} or {@code key=value}; all must match. */
        Optional<List<String>> labels();

        /** Image reference the container must run (exact, or without tag when none is given here). */
        Optional<String> image();

        /** Address the published host ports of bridge containers are reached on. */
        @WithDefault("127.0.0.1")
        String hostAddress();

        /** Follow Docker's event stream so that new tasks are known within seconds. */
        @WithDefault("true")
        boolean events();

        @WithDefault("5s")
        Duration timeout();
    }

    interface Collect {
        /** The path of targets without {@code gostats.path}: {@code /stats}, {@code /metrics}, {@code /debug/vars}. */
        @WithDefault("/stats")
        String path();

        /**
         * How replies are read: {@code auto} (each reply tells: Content-Type, then the body), {@code gostats},
         * {@code prometheus} or {@code expvar}; the label {@code gostats.format} overrides it per container.
         */
        @WithDefault("auto")
        String format();

        @WithDefault("64")
        int concurrency();

        /** Overall deadline of one fetch, from connect to the last byte. */
        @WithDefault("5s")
        Duration timeout();

        @WithDefault("1M")
        MemorySize maxBodySize();
    }

    interface Mackerel {
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
        java.nio.file.Path hostIdFile();

        /** Register a host through the API when there is no id (billed as a standard host). */
        @WithDefault("false")
        boolean registerHost();

        Optional<String> customIdentifier();

        /** {@code Service:role}, comma-separated, for a host the relay registers. */
        Optional<List<String>> roles();

        /** Retire on shutdown a host the relay registered itself. */
        @WithDefault("false")
        boolean autoRetire();

        /** Key slots, a registered host's id and the on-disk queue live here. */
        @WithDefault("/var/lib/gostats-relay")
        java.nio.file.Path stateDir();

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

        /** Least time between two posts while draining a backlog. */
        @WithDefault("1s")
        Duration minRequestInterval();

        Dashboard dashboard();
    }

    interface Dashboard {
        /** {@code Service:role}: create or update at start the gostats dashboard of that role. */
        Optional<String> role();
    }

    /** The {@code plugin} command (mackerel-agent plugin mode): the old shell loop's names and numbers by default. */
    interface Plugin {
        /** Key template of the printed names {@code <prefix>.<key>.<graph>.<metric>}, as relay.mackerel.key. */
        @WithDefault("{port}")
        String key();

        /** The plugin's numbers exactly (Diff of heap_released). */
        @WithDefault("true")
        boolean gostatsCompat();

        /** The state file (and key slots) live here; else MACKEREL_PLUGIN_WORKDIR, else the temp directory. */
        Optional<java.nio.file.Path> workdir();
    }
}
