package io.gostats.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The relay's own properties: the cycle, its state directory, discovery, collection and container stats. Each sink
 * and reader has its own mapping beside its code ({@code relay.mackerel.*}, {@code relay.page.*}...). README.md has
 * the table.
 */
@ConfigMapping(prefix = "relay")
public interface RelayConfig {

    /** Time between cycles; cycles are aligned to multiples of it on the wall clock (60 s: second 0 of each minute). */
    @WithDefault("60s")
    Duration interval();

    /**
     * The relay's own state: the task slots ({@code slots.json}); the Mackerel sink's queue and host id too, unless
     * {@code relay.mackerel.state-dir} says otherwise.
     */
    @WithDefault("/var/lib/gostats-relay")
    Path stateDir();

    Discovery discovery();

    Collect collect();

    ContainerStats containerStats();

    interface ContainerStats {
        /** Read CPU, memory, network and block I/O of every watched container from the Docker API each cycle. */
        @WithDefault("true")
        boolean enabled();
    }

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

        /**
         * Keep each target's connection open from one cycle to the next; a GET that a kept connection loses before
         * any byte of the reply (the target closed it while idle) is sent once more on a new connection. False: a new
         * connection for every fetch, closed after the reply.
         */
        @WithDefault("true")
        @WithConverter(StrictBoolean.class)
        boolean keepAlive();
    }
}
