package io.gostats.relay.e2e;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import io.gostats.relay.it.Exposition;

/** /q/metrics of the relay running in-process ({@code @QuarkusTest}), and waiting on it. */
final class Scrapes {

    private Scrapes() {
    }

    static Exposition scrape() {
        return Exposition.parse(given().header("Accept", "text/plain").get("/q/metrics").then().statusCode(200)
                .extract().asString());
    }

    /** Scrapes every 100 ms until {@code done} holds; fails after {@code max} with {@code why} of the last scrape. */
    static Exposition await(String what, Duration max, Predicate<Exposition> done,
            java.util.function.Function<Exposition, String> why) {
        long deadline = System.nanoTime() + max.toNanos();
        Exposition e;
        do {
            e = scrape();
            if (done.test(e)) {
                return e;
            }
            Task.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not within " + max + ": " + what + "; last: " + why.apply(e));
    }

    static double cycleTime(Exposition e) {
        return e.value("relay_last_cycle_timestamp_seconds", Map.of())
                .orElseThrow(() -> new AssertionError("no relay_last_cycle_timestamp_seconds"));
    }

    static double discoveryUp(Exposition e, String dockerHost) {
        return e.value("relay_discovery_up", Map.of("source", "docker " + dockerHost)).orElse(Double.NaN);
    }

    static double discoveryTargets(Exposition e, String dockerHost) {
        return e.value("relay_discovery_targets", Map.of("source", "docker " + dockerHost)).orElse(Double.NaN);
    }

    /** gostats_up of {@code t} at its current address, or NaN when the relay shows no such series. */
    static double up(Exposition e, Task t) {
        return e.value("gostats_up", t.seriesLabels()).orElse(Double.NaN);
    }

    /** Waits until {@code n} more cycles have completed; returns the last scrape. */
    static Exposition cycles(int n, Duration interval) {
        double start = cycleTime(scrape());
        Duration max = interval.multipliedBy(n + 2).plusSeconds(3);
        return await(n + " more cycles after " + start, max,
                e -> cycleTime(e) >= start + n * interval.toSeconds(), e -> "cycle " + cycleTime(e));
    }
}
