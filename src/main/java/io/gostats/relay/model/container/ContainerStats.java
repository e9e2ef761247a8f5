package io.gostats.relay.model.container;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One read of {@code GET /containers/{id}/stats}, as the engine gave it, reduced to what the relay uses. Whatever the
 * engine leaves out stays empty (never 0): podman has no memory {@code stats} map, cgroup v2 no {@code io_serviced}.
 * Block I/O is summed over devices per operation, the operation lower-cased ({@code read}, {@code write},
 * {@code sync}, {@code async}; cgroup v1 spells them {@code Read}..., v2 only has {@code read} and {@code write}).
 */
public record ContainerStats(Instant read, Cpu cpu, Optional<Memory> memory, Optional<Network> network, Blkio blkio) {

    /** CPU times in nanoseconds since the container started. */
    public record Cpu(long total, OptionalLong user, OptionalLong kernel, Optional<Throttling> throttling) {
    }

    /** CFS throttling counters; {@code throttledTime} in nanoseconds. */
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
    }

    /** {@code stats} is the engine's raw memory.stat map (empty when the engine sends none, as podman does). */
    public record Memory(OptionalLong usage, OptionalLong limit, Map<String, Long> stats) {
        public Memory {
            stats = Map.copyOf(stats);
        }
    }

    /** Summed over every interface of the container's network namespace. */
    public record Network(long rxBytes, long txBytes) {
    }

    /** Per lower-cased operation, summed over devices; a list the engine sends as null is empty here. */
    public record Blkio(Optional<Map<String, Long>> serviceBytes, Optional<Map<String, Long>> serviced,
            Optional<Map<String, Long>> queued) {
    }
}
