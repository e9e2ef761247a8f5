package io.gostats.relay.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * A Docker API client whose every call, from the request to the closing of its answer, ends within a deadline.
 * docker-java's response timeout is a socket read timeout, which a unix socket channel ignores: an engine that
 * accepts a call and never answers held discovery (and so every cycle) for good. Here a call still running at its
 * deadline has its thread interrupted, which closes the channel under a blocked read (a socket channel is
 * interruptible); the caller sees an I/O error naming the deadline, and its interrupt flag is cleared again.
 */
final class DeadlineHttpClient implements DockerHttpClient {

    private final DockerHttpClient delegate;
    private final Duration deadline;
    private final ScheduledExecutorService alarms;

    DeadlineHttpClient(DockerHttpClient delegate, Duration deadline, ScheduledExecutorService alarms) {
        this.delegate = delegate;
        this.deadline = deadline;
        this.alarms = alarms;
    }

    @Override
    public Response execute(Request request) {
        Alarm alarm = new Alarm(Thread.currentThread());
        alarm.future = alarms.schedule(alarm::ring, deadline.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return new Bounded(delegate.execute(request), alarm);
        } catch (RuntimeException e) {
            if (alarm.disarm()) {
                throw new UncheckedIOException(new SocketTimeoutException("no answer from the Docker API within "
                        + deadline.toMillis() + " ms (" + request.method() + " " + request.path() + ")"));
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    /** Interrupts its thread once at the deadline, unless disarmed first. */
    private static final class Alarm {
        final Thread caller;
        ScheduledFuture<?> future;
        private boolean armed = true;
        private boolean rang;

        Alarm(Thread caller) {
            this.caller = caller;
        }

        synchronized void ring() {
            if (armed) {
                rang = true;
                caller.interrupt();
            }
        }

        /** On the caller's thread: no interrupt after this; true when it rang (then the flag is cleared). */
        synchronized boolean disarm() {
            armed = false;
            if (future != null) {
                future.cancel(false);
            }
            if (rang) {
                Thread.interrupted();
            }
            return rang;
        }
    }

    /** The answer, the deadline running until it is closed (its body is read after {@code execute} returns). */
    private record Bounded(Response response, Alarm alarm) implements Response {

        @Override
        public int getStatusCode() {
            return response.getStatusCode();
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return response.getHeaders();
        }

        @Override
        public String getHeader(String name) {
            return response.getHeader(name);
        }

        @Override
        public InputStream getBody() {
            return response.getBody();
        }

        @Override
        public void close() {
            try {
                response.close();
            } finally {
                alarm.disarm();
            }
        }
    }
}
