package io.gostats.relay.sink.otlp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.gostats.relay.it.StaticTargetsResource;
import io.gostats.relay.sink.otlp.FakeOtlpReceiver.Point;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The whole relay with two static targets (one serving the churn sample, one failing) and its OTLP sink on,
 * over OTLP/HTTP with a header: what the receiver decodes matches what each target served, and the sink's status and
 * meters show on health, /api/targets and /q/metrics with no other code naming the sink.
 */
@QuarkusTest
@WithTestResource(value = StaticTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = OtlpReceiverResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(OtlpEndToEndTest.Profile.class)
class OtlpEndToEndTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "otlp-e2e";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.interval", "1s", "relay.otlp.interval", "1s", "relay.discovery.docker.enabled",
                    "false", "relay.otlp.protocol", "http/protobuf", "relay.otlp.headers",
                    "authorization=Bearer%20t0ken", "relay.otlp.resource-attributes",
                    "deployment.environment.name=test");
        }
    }

    @ConfigProperty(name = "test.stats.port")
    int statsPort;

    @ConfigProperty(name = "test.broken.port")
    int brokenPort;

    @Test
    void whatEachTargetServedArrivesAsOtlp() throws Exception {
        FakeOtlpReceiver receiver = OtlpReceiverResource.receiver;
        receiver.await(2, 30_000);
        assertEquals(List.of(), receiver.violations);
        assertEquals("Bearer t0ken", receiver.received.get(0).headers().get("authorization"));

        Map<String, Double> up = receiver.points("gostats.up").stream().filter(p -> p.point().getTimeUnixNano()
                == receiver.points("gostats.up").get(0).point().getTimeUnixNano())
                .collect(Collectors.toMap(p -> p.resource().get("service.instance.id"), Point::value));
        assertEquals(Map.of("static:127.0.0.1:" + statsPort + "/stats", 1.0,
                "static:127.0.0.1:" + brokenPort + "/broken", 0.0), up);
        Point goroutines = receiver.points("go.goroutine.count").get(0);
        assertEquals(4, goroutines.value(), "goroutine_num of the sample");
        assertEquals("test", goroutines.resource().get("deployment.environment.name"));
        assertEquals("unknown_service:gostats", goroutines.resource().get("service.name"));
        assertEquals(1_643_132_424, receiver.points("go.memory.allocated").get(0).value());
        assertEquals("http_status", receiver.points("gostats.fetch.errors").get(0).attribute("error.type"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.matches("(?s).*relay_otlp_exports_total\\{outcome=\"ok\"} [1-9].*"), metrics);
        assertTrue(metrics.matches("(?s).*relay_otlp_series [1-9].*"), metrics);
        JsonPath api = new JsonPath(given().get("/api/targets").then().statusCode(200).extract().asString());
        assertTrue(api.getBoolean("sinks.otlp.up"), api.prettify());
        assertTrue(api.getString("sinks.otlp.state").contains(" series to " + receiver.endpoint()), api.prettify());
        String ready = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(ready.contains("\"sink otlp\":"), ready);
        assertTrue(!ready.contains("t0ken") && !api.prettify().contains("t0ken"), "no header value shown");
    }
}
