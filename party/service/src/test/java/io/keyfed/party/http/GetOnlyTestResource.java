package io.keyfed.party.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A REST resource that takes only GET and only answers JSON, for the tests: the party's REST resources are its
 * admin endpoints, which live elsewhere, so without it the main port has no 405 or 406 to show. (REST's
 * catch-all route answers every other path, so there 404 is all a method or media type mismatch could give.)
 */
@Path(GetOnlyTestResource.PATH)
public class GetOnlyTestResource {
    static final String PATH = "/test-only/get-json";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String get() {
        return "{}";
    }
}
