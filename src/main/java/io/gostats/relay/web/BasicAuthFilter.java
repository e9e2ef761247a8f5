package io.gostats.relay.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * HTTP basic auth on the {@link PagePrivate} endpoints when {@code relay.page.basic-auth.username} is set: a missing
 * or wrong password gets 401 and a challenge.
 */
@Provider
@PagePrivate
public class BasicAuthFilter implements ContainerRequestFilter {

    private static final String CHALLENGE = "Basic realm=\"gostats-relay\", charset=\"UTF-8\"";

    // a client proxy: the filter is made before the configuration is available
    @Inject
    PageCredentials credentials;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!credentials.accept(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
        }
    }
}
