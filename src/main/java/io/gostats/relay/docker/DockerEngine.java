package io.gostats.relay.docker;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.jboss.logging.Logger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import io.gostats.relay.util.DaemonThreads;

/**
 * The one connection to a Docker Engine (or podman's Docker-compatible API): the endpoint and the docker-java
 * clients that discovery and container stats share. Three clients because their connections differ: API calls
 * (list, inspect) with a response timeout, the event stream with none (it stays quiet for hours), and raw reads
 * (container stats, one per watched container per cycle, several at once). Creating a client connects to nothing.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DockerEngine.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final String host;
    private final DockerClient api;
    private final DockerClient events;
    private final DockerHttpClient raw;
    /** Ends a call of {@link #api()} or {@link #raw()} still running at its timeout ({@link DeadlineHttpClient}). */
    private final ScheduledThreadPoolExecutor alarms;

    /**
     * @param timeout          response timeout of API calls and raw reads
     * @param rawConnections   raw reads that may be in flight at once
     */
    public DockerEngine(String host, Duration timeout, int rawConnections) {
        this.host = host;
        this.alarms = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("docker-deadline"));
        alarms.setRemoveOnCancelPolicy(true);
        this.api = DockerClientImpl.getInstance(config(host),
                new DeadlineHttpClient(http(host, timeout, 4), timeout, alarms));
        this.events = DockerClientImpl.getInstance(config(host), http(host, Duration.ZERO, 1));
        this.raw = new DeadlineHttpClient(http(host, timeout, rawConnections), timeout, alarms);
    }

    /** Which Docker endpoint to use: the property, else DOCKER_HOST, else the default socket. */
    public static String resolveHost(Optional<String> configured, String dockerHostEnv) {
        String host = configured.filter(h -> !h.isBlank())
                .orElse(dockerHostEnv == null || dockerHostEnv.isBlank() ? "unix:///var/run/docker.sock" : dockerHostEnv);
        String scheme = URI.create(host).getScheme();
        if (scheme == null || !Set.of("unix", "tcp", "npipe").contains(scheme)) {
            throw new IllegalArgumentException("'" + host + "' is not unix://, tcp:// or npipe://");
        }
        return host;
    }

    private static DefaultDockerClientConfig config(String host) {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    }

    private static DockerHttpClient http(String host, Duration responseTimeout, int connections) {
        DefaultDockerClientConfig config = config(host);
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(connections)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(responseTimeout)
                .build();
    }

    public String host() {
        return host;
    }

    /** List and inspect, each call ended at the timeout. */
    public DockerClient api() {
        return api;
    }

    /** The event stream: no response timeout. */
    public DockerClient events() {
        return events;
    }

    /** Raw HTTP to the engine, for what docker-java's typed commands cannot ask (one-shot stats); ended likewise. */
    public DockerHttpClient raw() {
        return raw;
    }

    @Override
    public void close() {
        alarms.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] { api, events, raw }) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debugf("closing a Docker client: %s", e.getMessage());
            } catch (Exception e) {
                LOG.debugf("closing a Docker client: %s", e);
            }
        }
    }
}
