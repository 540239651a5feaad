package io.keyfed.ledger.rest;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.ListKeyRequestsRequest;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.ListSignRequestsRequest;
import io.keyfed.ledger.mapping.ProtoJson;
import io.keyfed.ledger.service.QueryService;
import io.keyfed.ledger.service.SignRequestQueries;
import io.smallrye.mutiny.Uni;

/** Keys (with derived wallet addresses), key requests and sign requests. */
@Path("/v1/treasury")
@Produces(MediaType.APPLICATION_JSON)
public class TreasuryResource {
    private final QueryService queries;
    private final SignRequestQueries signQueries;

    public TreasuryResource(QueryService queries, SignRequestQueries signQueries) {
        this.queries = queries;
        this.signQueries = signQueries;
    }

    private static int size(String v) {
        return (int) Math.min(Params.number(v, "page_size"), Integer.MAX_VALUE);
    }

    @GET
    @Path("keys/{id}")
    public Uni<Map<String, Object>> key(@PathParam("id") String id, @QueryParam("wallet_type") String walletType,
            @QueryParam("prefixes") String prefixes) {
        KeyByIdRequest r = KeyByIdRequest.newBuilder()
                .setId(Params.number(id, "id"))
                .setWalletType(Params.walletType(walletType))
                .addAllPrefixes(Params.prefixes(prefixes))
                .build();
        return queries.key(r).map(ProtoJson::toMap);
    }

    @GET
    @Path("keys")
    public Uni<Map<String, Object>> keys(@QueryParam("workspace_addr") String workspace,
            @QueryParam("wallet_type") String walletType, @QueryParam("prefixes") String prefixes,
            @QueryParam("page_size") String pageSize, @QueryParam("page_token") String pageToken) {
        ListKeysRequest r = ListKeysRequest.newBuilder()
                .setWorkspaceAddr(Params.str(workspace))
                .setWalletType(Params.walletType(walletType))
                .addAllPrefixes(Params.prefixes(prefixes))
                .setPageSize(size(pageSize))
                .setPageToken(Params.str(pageToken))
                .build();
        return queries.keys(r).map(ProtoJson::toMap);
    }

    @GET
    @Path("key-requests/{id}")
    public Uni<Map<String, Object>> keyRequest(@PathParam("id") String id) {
        return queries.keyRequest(Params.number(id, "id")).map(ProtoJson::toMap);
    }

    @GET
    @Path("key-requests")
    public Uni<Map<String, Object>> keyRequests(@QueryParam("keyring_addr") String keyring,
            @QueryParam("workspace_addr") String workspace, @QueryParam("status") String status,
            @QueryParam("page_size") String pageSize, @QueryParam("page_token") String pageToken) {
        ListKeyRequestsRequest r = ListKeyRequestsRequest.newBuilder()
                .setKeyringAddr(Params.str(keyring))
                .setWorkspaceAddr(Params.str(workspace))
                .setStatus(Params.status(status))
                .setPageSize(size(pageSize))
                .setPageToken(Params.str(pageToken))
                .build();
        return queries.keyRequests(r).map(ProtoJson::toMap);
    }

    @GET
    @Path("sign-requests/{id}")
    public Uni<Map<String, Object>> signRequest(@PathParam("id") String id) {
        return signQueries.signRequest(Params.number(id, "id")).map(ProtoJson::toMap);
    }

    @GET
    @Path("sign-requests")
    public Uni<Map<String, Object>> signRequests(@QueryParam("key_id") String keyId,
            @QueryParam("workspace_addr") String workspace, @QueryParam("keyring_addr") String keyring,
            @QueryParam("status") String status, @QueryParam("page_size") String pageSize,
            @QueryParam("page_token") String pageToken) {
        ListSignRequestsRequest r = ListSignRequestsRequest.newBuilder()
                .setKeyId(Params.number(keyId, "key_id"))
                .setWorkspaceAddr(Params.str(workspace))
                .setKeyringAddr(Params.str(keyring))
                .setStatus(Params.signStatus(status))
                .setPageSize(size(pageSize))
                .setPageToken(Params.str(pageToken))
                .build();
        return signQueries.signRequests(r).map(ProtoJson::toMap);
    }
}
