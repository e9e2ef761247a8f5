package io.gostats.relay.collect;

import jakarta.ws.rs.client.ClientResponseContext;

import org.jboss.resteasy.reactive.client.impl.ClientRequestContextImpl;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientRequestContext;
import org.jboss.resteasy.reactive.client.spi.ResteasyReactiveClientResponseFilter;

/**
 * Checks the status line and headers before any of the body is read: a non-200 status or a Content-Length over
 * the cap ends the fetch and closes its connection, so that nothing of that body is read or buffered.
 */
final class ResponseGate implements ResteasyReactiveClientResponseFilter {

    private final long maxBodyBytes;

    ResponseGate(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void filter(ResteasyReactiveClientRequestContext request, ClientResponseContext response) {
        if (response.getStatus() == 0) {
            return; // no response at all: the connection error itself is reported
        }
        if (response.getStatus() != 200) {
            close(request);
            throw new FetchException(FailureReason.HTTP_STATUS, "HTTP " + response.getStatus());
        }
        if (response.getLength() > maxBodyBytes) {
            close(request);
            throw new FetchException(FailureReason.TOO_LARGE,
                    "Content-Length " + response.getLength() + " over the cap of " + maxBodyBytes + " bytes");
        }
    }

    private static void close(ResteasyReactiveClientRequestContext request) {
        if (request instanceof ClientRequestContextImpl impl
                && impl.getRestClientRequestContext().getVertxClientResponse() != null) {
            impl.getRestClientRequestContext().getVertxClientResponse().request().connection().close();
        }
    }
}
