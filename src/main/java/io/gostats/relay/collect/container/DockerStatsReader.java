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

    @Override
    public ContainerStats read(String containerId) throws IOException {
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
                .path(path(containerId)).build();
        try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
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
