package io.gostats.relay.instance;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.gostats.relay.util.Causes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The EC2 instance metadata service, IMDSv2: a session token ({@code PUT /latest/api/token}), then the instance id
 * with it ({@code GET /latest/meta-data/instance-id}). Each call is bounded by {@code timeout}; the whole lookup is
 * tried {@code attempts} times with Mutiny's exponential backoff and jitter, as the AWS SDKs retry IMDS calls
 * (a few tries, 1 s timeouts), except on an answer that will not change (403: the service is turned off for the
 * instance; 404).
 * <p>
 * On Vert.x's HTTP client, the one the collect stage fetches with: two small non-blocking calls need neither the REST
 * client (a typed interface and the Quarkus runtime, for two lines of text) nor java.net.http's thread pool of its
 * own. Proxies are never used, as mackerel-agent asks the metadata service directly.
 */
public final class Imds implements AutoCloseable {

    static final String TOKEN_PATH = "/latest/api/token";
    static final String INSTANCE_ID_PATH = "/latest/meta-data/instance-id";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    /** The token is used once, right away: a minute is plenty (IMDS takes 1 to 21600 s). */
    static final String TOKEN_TTL_SECONDS = "60";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final int attempts;

    public Imds(Vertx vertx, URI base, Duration timeout, int attempts) {
        this.base = base;
        this.timeout = timeout;
        this.attempts = attempts;
        this.http = vertx.createHttpClient(new HttpClientOptions().setName("gostats-relay-imds")
                .setConnectTimeout((int) timeout.toMillis()).setKeepAlive(false));
    }

    /** The instance id; fails with {@link ImdsException} (or the network's failure) once every attempt failed. */
    public Uni<String> instanceId() {
        return once().onFailure(Imds::worthRetrying).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.2)
                .atMost(attempts - 1L);
    }

    private Uni<String> once() {
        return call(HttpMethod.PUT, TOKEN_PATH, TTL_HEADER, TOKEN_TTL_SECONDS)
                .chain(token -> call(HttpMethod.GET, INSTANCE_ID_PATH, TOKEN_HEADER, token.strip()))
                .map(String::strip)
                .invoke(id -> {
                    if (!id.matches("i-[0-9a-f]{8,17}")) {
                        throw new ImdsException(0, "not an EC2 instance id: '" + clip(id) + "'");
                    }
                });
    }

    private Uni<String> call(HttpMethod method, String path, String header, String value) {
        RequestOptions request = new RequestOptions().setMethod(method).setAbsoluteURI(base.resolve(path).toString())
                .putHeader(header, value).setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
        return Uni.createFrom().completionStage(() -> http.request(request)
                .compose(r -> r.send())
                .compose(response -> response.body().compose(body -> response.statusCode() == 200
                        ? Future.succeededFuture(body.toString())
                        : Future.failedFuture(new ImdsException(response.statusCode(), method + " " + path
                                + " answered HTTP " + response.statusCode()))))
                .toCompletionStage())
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException(
                        method + " " + path + ": no answer within " + timeout.toMillis() + " ms"));
    }

    /** 403 (IMDS turned off for the instance) and 404 stay as they are; 401 (a refused token) gets a new one. */
    private static boolean worthRetrying(Throwable e) {
        return !(e instanceof ImdsException i) || i.status() == 401 || i.status() >= 500;
    }

    /** What the log says of a failed lookup: the cause, and for a timeout the usual reason in a container. */
    static String describe(Throwable e) {
        String message = Causes.rootMessage(e);
        return Causes.isTimeout(e) ? message + "; expected off EC2, but on EC2 in a container on bridge networking"
                + " the instance's metadata hop limit (HttpPutResponseHopLimit) must be at least 2" : message;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    @Override
    public void close() {
        http.close();
    }

    /** The metadata service answered, but not with the instance id. */
    public static final class ImdsException extends RuntimeException {

        private final int status;

        ImdsException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** The HTTP status; 0 for an answer that is not an instance id. */
        public int status() {
            return status;
        }
    }
}
