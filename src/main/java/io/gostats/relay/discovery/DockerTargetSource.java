package io.gostats.relay.discovery;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.gostats.relay.docker.DockerEngine;
import io.gostats.relay.model.Target;
import io.gostats.relay.model.SourceStatus;
import io.gostats.relay.util.DaemonThreads;

/**
 * Lists running containers through the Docker Engine API (read-only: list and events) and maps them to targets.
 * The cycle relists; between cycles the event stream drops a stopped container at once and relists shortly after
 * a start, so a new task is known within seconds. While Docker cannot be reached the last known targets are kept.
 */
public final class DockerTargetSource implements TargetSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DockerTargetSource.class);
    private static final Set<String> GONE = Set.of("die", "stop", "destroy", "remove");
    private static final Duration RELIST_DELAY = Duration.ofMillis(300);

    private final String dockerHost;
    private final ContainerTargets mapper;
    private final boolean followEvents;
    private final DockerClient client;
    private final DockerClient eventsClient;
    private final SourceHealth health;
    private final AtomicReference<List<Target>> current = new AtomicReference<>(List.of());
    /** The bad-label warning given for each running container, so that it is given once, and forgotten with it. */
    private final Map<String, String> reportedBadLabels = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> networkModes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService relister;
    private volatile Closeable eventStream;
    private volatile ScheduledFuture<?> pendingRelist;

    public DockerTargetSource(DockerEngine engine, TargetMapping mapping, boolean followEvents, Clock clock) {
        this.dockerHost = engine.host();
        this.mapper = mapping.with(this::networkMode);
        this.followEvents = followEvents;
        this.client = engine.api();
        this.eventsClient = engine.events();
        this.health = new SourceHealth("docker " + dockerHost,
                "Set relay.discovery.docker.host (or DOCKER_HOST), or relay.discovery.docker.enabled=false.", clock);
        this.relister = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docker-relist"));
    }

    @Override
    public List<Target> discover() {
        relist();
        if (followEvents && eventStream == null && health.status().up()) {
            followEvents();
        }
        return current.get();
    }

    @Override
    public SourceStatus status() {
        return health.status();
    }

    public String host() {
        return dockerHost;
    }

    private synchronized void relist() {
        try {
            // all running containers, unfiltered: an awsvpc task's address sits on its pause container
            List<Container> running = client.listContainersCmd().withStatusFilter(List.of("running")).exec();
            Set<String> ids = running.stream().map(Container::getId).collect(Collectors.toSet());
            networkModes.keySet().retainAll(ids);
            reportedBadLabels.keySet().retainAll(ids);
            current.set(List.copyOf(mapper.targetsOf(running, this::reportBadLabel)));
            health.up();
        } catch (RuntimeException e) {
            health.down(e);
        }
    }

    /** A container's network mode never changes: inspected once, only where the list reply does not say. */
    private Optional<String> networkMode(String containerId) {
        return networkModes.computeIfAbsent(containerId, id -> {
            try {
                return Optional.ofNullable(client.inspectContainerCmd(id).exec().getHostConfig())
                        .map(h -> h.getNetworkMode());
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        });
    }

    private void reportBadLabel(ContainerTargets.BadLabelException e) {
        if (!e.getMessage().equals(reportedBadLabels.put(e.containerId(), e.getMessage()))) {
            LOG.warnf("skipping %s", e.getMessage());
        }
    }

    private void followEvents() {
        try {
            eventStream = eventsClient.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                    .exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event event) {
                            onEvent(event);
                        }

                        @Override
                        public void onError(Throwable t) {
                            LOG.debugf("docker event stream ended: %s", SourceHealth.describe(t));
                            eventStream = null;
                        }

                        @Override
                        public void onComplete() {
                            eventStream = null;
                        }
                    });
        } catch (RuntimeException e) {
            LOG.debugf("cannot follow docker events: %s", SourceHealth.describe(e));
            eventStream = null;
        }
    }

    void onEvent(Event event) {
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        String id = event.getId() != null ? event.getId() : event.getActor() == null ? null : event.getActor().getId();
        if (action == null || id == null) {
            return;
        }
        if (GONE.contains(action)) {
            current.updateAndGet(ts -> ts.stream().filter(t -> !t.identity().containerId().equals(id)).toList());
        } else if (action.equals("start")) {
            scheduleRelist();
        }
    }

    /** Several tasks often start together: one relist shortly after the first start covers them all. */
    private synchronized void scheduleRelist() {
        if (pendingRelist == null || pendingRelist.isDone()) {
            pendingRelist = relister.schedule(this::relist, RELIST_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Containers this source keeps something about (network modes, warnings given): for the churn tests. */
    int trackedContainers() {
        Set<String> ids = new java.util.HashSet<>(networkModes.keySet());
        ids.addAll(reportedBadLabels.keySet());
        return ids.size();
    }

    @Override
    public List<Target> known() {
        return current.get();
    }

    @Override
    public void close() {
        relister.shutdownNow();
        Closeable stream = eventStream;
        eventStream = null;
        try {
            if (stream != null) {
                stream.close(); // the clients belong to the DockerEngine, closed by its owner
            }
        } catch (IOException e) {
            LOG.debugf("closing the event stream: %s", e.getMessage());
        }
    }
}
