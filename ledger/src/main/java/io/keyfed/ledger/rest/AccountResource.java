package io.keyfed.ledger.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.keyfed.ledger.mapping.ProtoJson;
import io.keyfed.ledger.service.GenesisService;
import io.keyfed.ledger.service.QueryService;
import io.smallrye.mutiny.Uni;

/** Parameters, accounts, balances and the supply audit. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final QueryService queries;

    public AccountResource(QueryService queries) {
        this.queries = queries;
    }

    @GET
    @Path("params")
    public Map<String, Object> params() {
        return ProtoJson.toMap(queries.params());
    }

    @GET
    @Path("auth/accounts/{address}")
    public Uni<Map<String, Object>> account(@PathParam("address") String address) {
        return queries.account(address).map(ProtoJson::toMap);
    }

    @GET
    @Path("bank/balances/{address}")
    public Uni<Map<String, Object>> balance(@PathParam("address") String address) {
        return queries.balance(address).map(ProtoJson::toMap);
    }

    /** Chain id and the head of the tx log: {"chain_id","height","hash"}. */
    @GET
    @Path("status")
    public Uni<Map<String, Object>> status() {
        return queries.head().map(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("chain_id", queries.params().getChainId());
            m.put("height", h.height);
            m.put("hash", io.keyfed.ledger.service.Inputs.hex(h.hash));
            return m;
        });
    }

    /** Sum of every balance row next to the genesis supply; they are always equal. */
    @GET
    @Path("bank/supply")
    public Uni<Map<String, Object>> supply() {
        return queries.totalSupply().map(total -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("denom", GenesisService.DENOM);
            m.put("genesis_supply", queries.params().getGenesisSupply());
            m.put("total_balances", Long.toString(total));
            return m;
        });
    }
}
