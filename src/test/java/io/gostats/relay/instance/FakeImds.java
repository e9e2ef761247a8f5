package io.gostats.relay.instance;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in for the EC2 instance metadata service on 127.0.0.1, strict as IMDSv2 is: a token only by
 * {@code PUT /latest/api/token} with a TTL header of 1-21600 s (else 400), and {@code GET} of metadata only with a
 * token it issued (missing or wrong: 401, as an instance that requires IMDSv2 answers).
 */
final class FakeImds implements AutoCloseable {

    /** One request as it arrived: method, path and the token it carried (null: none). */
    record Request(String method, String path, String token) {
    }

    private final HttpServer server;
    private final String instanceId;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Tokens issued before this many are revoked at once (their GET answers 401). */
    private final AtomicInteger revokeFirst = new AtomicInteger();
    private volatile int tokenStatus = 200;
    private volatile boolean silent;

    FakeImds(Vertx vertx, String instanceId) throws Exception {
        this.instanceId = instanceId;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next {@code n} tokens are refused when used, as an expired one is. */
    void revokeNextTokens(int n) {
        revokeFirst.set(n);
    }

    /** Every token request is answered with this status (403: IMDS turned off for the instance). */
    void tokenStatus(int status) {
        tokenStatus = status;
    }

    /** Never answer: what a container behind a hop limit of 1 sees of the real service. */
    void silent() {
        silent = true;
    }

    private void handle(HttpServerRequest r) {
        String token = r.getHeader(Imds.TOKEN_HEADER);
        requests.add(new Request(r.method().name(), r.path(), token));
        if (silent) {
            return;
        }
        if (r.path().equals(Imds.TOKEN_PATH)) {
            if (!r.method().name().equals("PUT")) {
                r.response().setStatusCode(405).end();
                return;
            }
            String ttl = r.getHeader(Imds.TTL_HEADER);
            if (ttl == null || !ttl.matches("\\d{1,5}") || Integer.parseInt(ttl) < 1 || Integer.parseInt(ttl) > 21600) {
                r.response().setStatusCode(400).end();
                return;
            }
            if (tokenStatus != 200) {
                r.response().setStatusCode(tokenStatus).end();
                return;
            }
            String issued = UUID.randomUUID().toString();
            if (revokeFirst.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                tokens.add(issued);
            }
            r.response().putHeader(Imds.TTL_HEADER, ttl).end(issued);
            return;
        }
        if (token == null || !tokens.contains(token)) {
            r.response().setStatusCode(401).end();
            return;
        }
        if (r.method().name().equals("GET") && r.path().equals(Imds.INSTANCE_ID_PATH)) {
            r.response().putHeader("Content-Type", "text/plain").end(instanceId);
            return;
        }
        r.response().setStatusCode(404).end();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
