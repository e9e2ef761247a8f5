package io.gostats.relay.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.gostats.relay.it.PageTargetsResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The targets page in headless Chromium (Debian's {@code chromium}, installed by .ci/setup-e2e): it renders the
 * running tasks as up, the refusing static target as down, and a hostile container name and label as text. Keeps a
 * screenshot in target/targets-page.png.
 */
@Tag("e2e")
@QuarkusTest
@WithTestResource(value = PageTargetsResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestProfile(TargetsPageBrowserTest.Profile.class)
class TargetsPageBrowserTest {

    /** A profile of its own keeps this class (and its test.* properties) out of other tests' applications. */
    public static class Profile implements QuarkusTestProfile {
    }

    static final List<String> CHROMIUM = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions", "--no-first-run",
            "--no-default-browser-check", "--metrics-recording-only", "--mute-audio", "--disable-breakpad",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--safebrowsing-disable-auto-update",
            "--window-size=1600,900", "--virtual-time-budget=5000");
    static final Pattern ROW = Pattern.compile("<tr data-state=\"(up|down)\" data-id=\"([^\"]*)\">(.*?)</tr>",
            Pattern.DOTALL);

    @TestHTTPResource("/")
    URL page;

    @ConfigProperty(name = "test.refused.port")
    int refusedPort;

    @Test
    void showsTasksBrokenTargetsAndHostileNamesAsText() throws Exception {
        waitForFirstCycles();
        Path profile = Files.createTempDirectory("gostats-chromium");
        String dom = "";
        List<String[]> targetRows = List.of();
        // a fetch can fail now and then on a loaded machine (the page then rightly shows it down): look again
        for (int attempt = 0; attempt < 3 && upCount(targetRows) != 2; attempt++) {
            dom = chromium(profile, "--dump-dom", page.toString());
            targetRows = targetRows(dom);
        }
        assertEquals(3, targetRows.size(), dom);
        assertEquals(2, upCount(targetRows), dom);
        String[] down = targetRows.stream().filter(r -> r[0].equals("down")).findFirst().orElseThrow();
        assertTrue(down[2].contains("down: refused"), down[2]);
        assertTrue(down[2].contains("127.0.0.1:" + refusedPort + "/stats"), down[2]);
        assertTrue(dom.contains(PageTargetsResource.TASK_ARN), dom);
        assertTrue(dom.contains("<td class=\"format\">gostats</td>"), "an up target's format: " + dom);
        assertTrue(dom.contains("<td class=\"format\">auto</td>"), "a down target's configured one: " + dom);
        assertTrue(dom.contains(PageTargetsResource.HOSTILE_TASK_ARN), dom);

        assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;"), "the hostile name shown as text: " + dom);
        assertTrue(dom.contains("&lt;script&gt;alert(2)&lt;/script&gt;"), "the hostile label shown as text: " + dom);
        assertFalse(dom.contains("<img"), "no element made from a container name: " + dom);
        assertEquals(1, dom.split("<script", -1).length - 1, "only the page's own script: " + dom);
        assertTrue(dom.contains("data-sink=\"mackerel\""), dom);
        assertTrue(dom.matches("(?s).*<tr data-sink=\"prometheus\" data-state=\"up\"><td class=\"name\">prometheus</td>"
                + "<td class=\"state\">\\d+ series on /q/metrics</td></tr>.*"), dom);
        assertTrue(dom.contains("data-state=\"up\"><td class=\"source\">docker tcp://"), dom);

        Path shot = Path.of("target", "targets-page.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(profile, "--screenshot=" + shot, page.toString());
        byte[] png = Files.readAllBytes(shot);
        assertTrue(png.length > 1000, "a screenshot of some size: " + png.length);
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, Arrays.copyOf(png, 8));
    }

    static List<String[]> targetRows(String dom) {
        List<String[]> rows = new ArrayList<>();
        Matcher m = ROW.matcher(dom);
        while (m.find()) {
            rows.add(new String[] { m.group(1), m.group(2), m.group(3) });
        }
        return rows.stream().filter(r -> !r[1].isEmpty()).toList();
    }

    static long upCount(List<String[]> rows) {
        return rows.stream().filter(r -> r[0].equals("up")).count();
    }

    /** Until the relay has seen all three targets (the page shows the last cycle). */
    static void waitForFirstCycles() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String body = io.restassured.RestAssured.get("/api/targets").asString();
            if (body.contains("\"up\":2") && body.contains("\"targets\":3")) {
                return;
            }
            Thread.sleep(200);
        }
    }

    static String chromium(Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(CHROMIUM);
        cmd.add("--user-data-dir=" + profile);
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("chromium", ".out");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return stdout;
    }
}
