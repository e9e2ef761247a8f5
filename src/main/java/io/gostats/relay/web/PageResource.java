package io.gostats.relay.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The targets page ({@code /}, its script) and its data ({@code /api/targets}). The page renders everything with
 * {@code textContent}, and its content security policy allows no inline script: container names and labels come
 * from outside.
 */
@Path("/")
@PagePrivate
public class PageResource {

    private static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final byte[] HTML = resource("page/targets.html");
    private static final byte[] SCRIPT = resource("page/targets.js");

    private final TargetsPage page;

    public PageResource(TargetsPage page) {
        this.page = page;
    }

    @GET
    @Produces(MediaType.TEXT_HTML + ";charset=utf-8")
    public Response html() {
        return hardened(Response.ok(HTML));
    }

    @GET
    @Path("targets.js")
    @Produces("text/javascript;charset=utf-8")
    public Response script() {
        return hardened(Response.ok(SCRIPT));
    }

    @GET
    @Path("api/targets")
    @Produces(MediaType.APPLICATION_JSON)
    public Response targets() {
        return hardened(Response.ok(page.view()));
    }

    private static Response hardened(Response.ResponseBuilder b) {
        return b.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    private static byte[] resource(String name) {
        try (InputStream in = PageResource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
