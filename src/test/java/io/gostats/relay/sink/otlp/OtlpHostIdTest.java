package io.gostats.relay.sink.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.gostats.relay.instance.InstanceId;
import io.gostats.relay.instance.InstanceIdentity;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Point;

/**
 * {@code host.id} of each task's resource:
 * the EC2 instance id from the relay's instance identity, else the host name.
 */
class OtlpHostIdTest {

    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    static final String HOST_NAME = "ip-10-0-12-34.eu-west-1.compute.internal";
    /** What one export on {@code instance} carries: the goroutine points of two tasks. */
    private static List<Point> exportOn(InstanceIdentity instance) throws Exception {
        try (FakeOtlpReceiver receiver = FakeOtlpReceiver.http()) {
            OtlpSink sink = Sinks.started(receiver, instance, Map.of(), Duration.ofMillis(50), "relay.otlp.protocol",
                    "http/protobuf");
            try {
                sink.accept(Snapshots.of(1, T0, 2, 1));
                receiver.await(1, 10_000);
            } finally {
                sink.stop(Duration.ofSeconds(2));
            }
            assertEquals(List.of(), receiver.violations);
            List<Point> points = receiver.points("go.goroutine.count");
            assertEquals(2, points.size(), points.toString());
            return points;
        }
    }

    @Test
    void onEc2TheHostIdIsTheInstanceId() throws Exception {
        for (Point p : exportOn(InstanceIdentity.of(new InstanceId.Known("i-0123456789abcdef0"), HOST_NAME))) {
            assertEquals("i-0123456789abcdef0", p.resource().get("host.id"));
            assertEquals(HOST_NAME, p.resource().get("host.name"));
        }
    }

    @Test
    void offEc2TheHostIdIsTheHostName() throws Exception {
        for (Point p : exportOn(InstanceIdentity.of(new InstanceId.Unavailable("not on EC2"), HOST_NAME))) {
            assertEquals(HOST_NAME, p.resource().get("host.id"));
            assertEquals(HOST_NAME, p.resource().get("host.name"));
        }
    }

    @Test
    void withTheLookupOffTheHostIdIsTheOsHostName() throws Exception {
        InstanceIdentity off = new InstanceIdentity(java.util.Optional.empty());
        for (Point p : exportOn(off)) {
            assertEquals(off.hostName(), p.resource().get("host.id"));
            assertFalse(p.resource().get("host.id").isEmpty());
        }
    }
}
