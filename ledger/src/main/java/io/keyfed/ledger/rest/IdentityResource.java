package io.keyfed.ledger.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.keyfed.api.ledger.v1.ListWorkspacesRequest;
import io.keyfed.ledger.mapping.ProtoJson;
import io.keyfed.ledger.service.QueryService;
import io.smallrye.mutiny.Uni;

/** Workspaces and keyrings. */
@Path("/v1/identity")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityResource {
    private final QueryService queries;

    public IdentityResource(QueryService queries) {
        this.queries = queries;
    }

    @GET
    @Path("workspaces/{address}")
    public Uni<Map<String, Object>> workspace(@PathParam("address") String address) {
        return queries.workspace(address).map(ProtoJson::toMap);
    }

    @GET
    @Path("workspaces")
    public Uni<Map<String, Object>> workspaces(@QueryParam("owner") String owner, @QueryParam("creator") String creator,
            @QueryParam("page_size") String pageSize, @QueryParam("page_token") String pageToken) {
        ListWorkspacesRequest r = ListWorkspacesRequest.newBuilder()
                .setOwner(Params.str(owner))
                .setCreator(Params.str(creator))
                .setPageSize((int) Math.min(Params.number(pageSize, "page_size"), Integer.MAX_VALUE))
                .setPageToken(Params.str(pageToken))
                .build();
        return queries.workspaces(r).map(ProtoJson::toMap);
    }

    @GET
    @Path("keyrings/{address}")
    public Uni<Map<String, Object>> keyring(@PathParam("address") String address) {
        return queries.keyring(address).map(ProtoJson::toMap);
    }
}
