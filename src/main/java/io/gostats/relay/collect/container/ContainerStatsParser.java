package io.gostats.relay.collect.container;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gostats.relay.model.container.ContainerStats;

/**
 * Reads a stats reply of the Docker Engine API, in Docker's cgroup v1 and v2 shapes and podman's compat shape.
 * A reply with a zero {@code read} time is the engine's record of a container that is not running: no stats.
 */
public final class ContainerStatsParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Before this, a {@code read} time is Go's zero time: the container does not run. */
    private static final Instant NOT_RUNNING = Instant.parse("1970-01-02T00:00:00Z");
    /**
     * Why a reply has no stats of a container that stopped and is not removed yet (an ordinary task stop racing a
     * cycle): Docker 20.10 answers 200 with a zero {@code read} time, podman 4.3 answers 200 with an empty body.
     */
    public static final String DOES_NOT_RUN = "the container does not run (zero read time or empty reply)";

    private ContainerStatsParser() {
    }

    /** @throws IllegalArgumentException when the body is not a stats object or the container does not run */
    public static ContainerStats parse(byte[] body) {
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new IllegalArgumentException(DOES_NOT_RUN);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed stats reply: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("stats reply is not a JSON object");
        }
        Instant read = readTime(root.path("read"));
        if (read.isBefore(NOT_RUNNING)) {
            throw new IllegalArgumentException(DOES_NOT_RUN);
        }
        return new ContainerStats(read, cpu(root.path("cpu_stats")), memory(root.path("memory_stats")),
                network(root.path("networks")), blkio(root.path("blkio_stats")));
    }

    private static Instant readTime(JsonNode n) {
        try {
            return n.isTextual() ? Instant.parse(n.asText()) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad read time '" + n.asText() + "'");
        }
    }

    private static ContainerStats.Cpu cpu(JsonNode cpu) {
        JsonNode usage = cpu.path("cpu_usage");
        JsonNode t = cpu.path("throttling_data");
        Optional<ContainerStats.Throttling> throttling = t.isObject()
                ? Optional.of(new ContainerStats.Throttling(t.path("periods").asLong(),
                        t.path("throttled_periods").asLong(), t.path("throttled_time").asLong()))
                : Optional.empty();
        return new ContainerStats.Cpu(usage.path("total_usage").asLong(), number(usage, "usage_in_usermode"),
                number(usage, "usage_in_kernelmode"), throttling);
    }

    private static Optional<ContainerStats.Memory> memory(JsonNode m) {
        OptionalLong usage = number(m, "usage");
        OptionalLong limit = number(m, "limit");
        Map<String, Long> stats = new HashMap<>();
        m.path("stats").fields().forEachRemaining(e -> {
            if (e.getValue().canConvertToLong()) {
                stats.put(e.getKey(), e.getValue().asLong());
            }
        });
        if (usage.isEmpty() && limit.isEmpty() && stats.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ContainerStats.Memory(usage, limit, stats));
    }

    private static Optional<ContainerStats.Network> network(JsonNode networks) {
        if (!networks.isObject() || networks.isEmpty()) {
            return Optional.empty();
        }
        long rx = 0;
        long tx = 0;
        for (JsonNode n : networks) {
            rx += n.path("rx_bytes").asLong();
            tx += n.path("tx_bytes").asLong();
        }
        return Optional.of(new ContainerStats.Network(rx, tx));
    }

    private static ContainerStats.Blkio blkio(JsonNode b) {
        return new ContainerStats.Blkio(byOp(b.path("io_service_bytes_recursive")),
                byOp(b.path("io_serviced_recursive")), byOp(b.path("io_queue_recursive")));
    }

    private static Optional<Map<String, Long>> byOp(JsonNode entries) {
        if (!entries.isArray()) {
            return Optional.empty();
        }
        Map<String, Long> sums = new HashMap<>();
        for (JsonNode e : entries) {
            sums.merge(e.path("op").asText().toLowerCase(Locale.ROOT), e.path("value").asLong(), Long::sum);
        }
        return Optional.of(Map.copyOf(sums));
    }

    private static OptionalLong number(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && n.isNumber() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
    }
}
