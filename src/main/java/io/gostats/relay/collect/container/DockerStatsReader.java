package io.gostats.relay.collect.container;

import java.io.IOException;
import java.io.InputStream;

import com.github.dockerjava.transport.DockerHttpClient;
import io.gostats.relay.model.container.ContainerStats;

/**
 * Reads {@code GET /v1.41/containers/{id}/stats?stream=false&one-shot=true} through docker-java's raw HTTP client:
 * its typed {@code StatsCmd} has no one-shot (a plain read waits 1-2 s on Docker for a second sample) and drops the
 * cgroup v2 memory fields. API 1.41 (Docker 20.10, podman 3) is needed for one-shot. Blocking: call it off the
 * event loop.
 */
public final class DockerStatsReader implements ContainerStatsSource {

    static final String API_VERSION = "v1.41";
    /**
     * How a read that never reached the engine begins (its socket gone, refused, a connection it closed): Docker
     * discovery lists through the same socket and says so, once.
     */
    public static final String UNREACHABLE = "the engine cannot be reached";

    private final DockerHttpClient http;
    private final long maxBodyBytes;

    /** {@code http}: the engine's raw client, owned (and closed) by {@code DockerConnection}. */
    public DockerStatsReader(DockerHttpClient http, long maxBodyBytes) {
        this.http = http;
        this.maxBodyBytes = maxBodyBytes;
    }

    static String path(String containerId) {
        if (!containerId.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("not a container id: '" + containerId + "'");
        }
        return "/" + API_VERSION + "/containers/" + containerId + "/stats?stream=false&one-shot=true";
    }

    /**
     * Each read on a connection of its own ({@code Connection: close}): a pooled connection would outlive a dockerd
     * restart and fail the first reads after it ("Broken pipe"); a unix socket connect costs microseconds.
     */
    @Override
    public ContainerStats read(String containerId) throws IOException {
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path(path(containerId)).putHeader("Connection", "close").build();
        DockerHttpClient.Response answer;
        try {
            answer = http.execute(request);
        } catch (RuntimeException e) {
            // docker-java wraps the transport's IOException; a timeout is not the engine being away
            if (e.getCause() instanceof IOException io && !(io instanceof java.io.InterruptedIOException)) {
                throw new IOException(UNREACHABLE + " (" + io + ")", io);
            }
            throw e;
        }
        try (DockerHttpClient.Response response = answer; InputStream body = response.getBody()) {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (response.getStatusCode() != 200) {
                throw new IOException("HTTP " + response.getStatusCode() + (response.getStatusCode() == 404
                        ? " (container gone)" : ""));
            }
            if (bytes.length > maxBodyBytes) {
                throw new IOException("stats reply larger than " + maxBodyBytes + " bytes");
            }
            return ContainerStatsParser.parse(bytes);
        }
    }
}
