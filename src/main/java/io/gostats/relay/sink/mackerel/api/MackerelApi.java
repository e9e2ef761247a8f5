package io.gostats.relay.sink.mackerel.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The calls of Mackerel's API this relay makes. Every call answers a raw {@link Response}, whatever its status, so
 * that {@link MackerelClient} reads the status first and only then the body: as the answer type on success, as
 * Mackerel's error object otherwise. The answer types are the records below.
 */
@Path("/api/v0")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface MackerelApi {

    @POST
    @Path("/tsdb")
    Uni<Response> postMetrics(List<MetricValue> values);

    @POST
    @Path("/graph-defs/create")
    Uni<Response> createGraphDefs(List<GraphDefinition> definitions);

    /** Answers {@link HostAnswer}. */
    @GET
    @Path("/hosts/{id}")
    Uni<Response> getHost(@PathParam("id") String id);

    /** Answers {@link HostIdAnswer}. */
    @POST
    @Path("/hosts")
    Uni<Response> registerHost(HostRegistration host);

    /**
     * Answers {@link HostsAnswer}: the live hosts with this customIdentifier, an empty list when there is none. The
     * lookup mackerel-agent and mackerel-container-agent use (the other one, {@code hosts-by-custom-identifier},
     * does not document its answer when nothing matches).
     */
    @GET
    @Path("/hosts")
    Uni<Response> findHosts(@QueryParam("customIdentifier") String customIdentifier,
            @QueryParam("status") List<String> statuses);

    /** Replaces the host's roles with these; 404 for an unknown or retired host. */
    @PUT
    @Path("/hosts/{id}/role-fullnames")
    Uni<Response> putRoleFullnames(@PathParam("id") String id, RoleFullnames roles);

    /** Takes an empty object. Irreversible. */
    @POST
    @Path("/hosts/{id}/retire")
    Uni<Response> retireHost(@PathParam("id") String id, Map<String, Object> empty);

    /** Answers {@link DashboardsAnswer}. */
    @GET
    @Path("/dashboards")
    Uni<Response> listDashboards();

    /** Answers the created {@link Dashboard}; 409 when its urlPath is taken. */
    @POST
    @Path("/dashboards")
    Uni<Response> createDashboard(Dashboard dashboard);

    /** Answers the updated {@link Dashboard}. */
    @PUT
    @Path("/dashboards/{id}")
    Uni<Response> updateDashboard(@PathParam("id") String id, Dashboard dashboard);

    record RoleFullnames(List<String> roleFullnames) {
    }

    /** Answers the annotation with its id; 404 when the service or a role does not exist. */
    @POST
    @Path("/graph-annotations")
    Uni<Response> createGraphAnnotation(GraphAnnotation annotation);

    /** Answers {@link GraphAnnotationsAnswer}: the service's annotations whose interval meets [from, to]. */
    @GET
    @Path("/graph-annotations")
    Uni<Response> findGraphAnnotations(@QueryParam("service") String service, @QueryParam("from") long from,
            @QueryParam("to") long to);

    record HostIdAnswer(String id) {
    }

    /** {@code host} null: a {@code 200 {"host": null}} answer, read as not found. */
    record HostAnswer(Host host) {
    }

    record HostsAnswer(List<Host> hosts) {
    }

    record DashboardsAnswer(List<Dashboard> dashboards) {
    }

    record GraphAnnotationsAnswer(List<GraphAnnotation> graphAnnotations) {
    }
}
