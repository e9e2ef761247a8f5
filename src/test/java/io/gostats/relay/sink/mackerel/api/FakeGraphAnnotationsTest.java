package io.gostats.relay.sink.mackerel.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The fake's graph annotations, each documented rule (mackerel-api.md section 10 and the API page) a branch. */
class FakeGraphAnnotationsTest {

    static final String KEY = "fakeKey0123456789";
    static final String PATH = "/api/v0/graph-annotations";

    FakeMackerel fake;

    @BeforeEach
    void start() {
        fake = FakeMackerel.start(KEY);
        fake.addHost("web-1", null, "Shop:web");
        fake.addService("Billing");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    RequestSpecification api() {
        return given().baseUri(fake.baseUri().toString()).header("X-Api-Key", KEY).contentType("application/json");
    }

    ValidatableResponse post(String body) {
        return api().body(body).post(PATH).then();
    }

    static String annotation(String title, long from, long to, String service, String rolesJson) {
        return "{\"title\":\"" + title + "\",\"description\":\"d\",\"from\":" + from + ",\"to\":" + to
                + ",\"service\":\"" + service + "\"" + (rolesJson == null ? "" : ",\"roles\":" + rolesJson) + "}";
    }

    @Test
    void aPostedAnnotationIsAnsweredWithItsIdAndListedWhereItsIntervalMeetsTheOneAsked() {
        post(annotation("deploy api:7", 1000, 1030, "Shop", "[\"web\"]")).statusCode(200)
                .body("id", notNullValue()).body("title", equalTo("deploy api:7")).body("roles", contains("web"));
        post(annotation("whole service", 2000, 2000, "Billing", null)).statusCode(200);
        api().get(PATH + "?service=Shop&from=1030&to=1100").then().statusCode(200)
                .body("graphAnnotations.title", contains("deploy api:7"));
        api().get(PATH + "?service=Shop&from=900&to=999").then().statusCode(200).body("graphAnnotations", empty());
        api().get(PATH + "?service=Shop&from=1031&to=5000").then().statusCode(200).body("graphAnnotations", empty());
        api().get(PATH + "?service=Billing&from=0&to=5000").then().statusCode(200)
                .body("graphAnnotations.title", contains("whole service"));
        assertEquals(2, fake.graphAnnotations().size());
        assertEquals("Shop", fake.graphAnnotations().get(0).service());
    }

    @Test
    void aTitleOver250OrADescriptionOver1024CharactersIs400() {
        post(annotation("t".repeat(251), 1, 1, "Shop", null)).statusCode(400)
                .body("error.message", containsString("250"));
        post(annotation("t".repeat(250), 1, 1, "Shop", null)).statusCode(200);
        post("{\"title\":\"t\",\"description\":\"" + "d".repeat(1025) + "\",\"from\":1,\"to\":1,\"service\":\"Shop\"}")
                .statusCode(400).body("error.message", containsString("1024"));
        assertEquals(1, fake.graphAnnotations().size());
    }

    @Test
    void fromAfterToIs400() {
        post(annotation("t", 2, 1, "Shop", null)).statusCode(400).body("error.message", containsString("after"));
        assertTrue(fake.graphAnnotations().isEmpty());
    }

    @Test
    void anUnknownServiceOrRoleIs404() {
        post(annotation("t", 1, 1, "Nope", null)).statusCode(404).body("error.message", containsString("Nope"));
        post(annotation("t", 1, 1, "Shop", "[\"db\"]")).statusCode(404).body("error.message", containsString("db"));
        post(annotation("t", 1, 1, "Billing", "[\"web\"]")).statusCode(404);
        api().get(PATH + "?service=Nope&from=0&to=1").then().statusCode(404);
        assertTrue(fake.graphAnnotations().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"title\":\"t\",\"from\":1,\"to\":1,\"service\":\"Shop\",\"id\":\"x\"}",
            "{\"from\":1,\"to\":1,\"service\":\"Shop\"}",
            "{\"title\":\"t\",\"from\":1.5,\"to\":2,\"service\":\"Shop\"}",
            "{\"title\":\"t\",\"from\":\"1\",\"to\":2,\"service\":\"Shop\"}", "{\"title\":\"t\",\"from\":1,\"to\":2}",
            "{\"title\":\"t\",\"from\":1,\"to\":2,\"service\":\"Shop\",\"roles\":\"web\"}", "[]" })
    void aMalformedBodyIs400(String body) {
        post(body).statusCode(400);
        assertTrue(fake.graphAnnotations().isEmpty());
    }

    @Test
    void theListNeedsServiceFromAndTo() {
        api().get(PATH + "?service=Shop&from=1").then().statusCode(400);
        api().get(PATH + "?service=Shop&from=a&to=2").then().statusCode(400);
        api().get(PATH + "?from=1&to=2").then().statusCode(400);
    }

    @Test
    void theKeyIsRequired() {
        given().baseUri(fake.baseUri().toString()).contentType("application/json")
                .body(annotation("t", 1, 1, "Shop", null)).post(PATH).then().statusCode(403);
        assertTrue(fake.graphAnnotations().isEmpty());
    }
}
