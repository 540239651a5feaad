package io.keyfed.party.grpc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.PartyNode;

/**
 * Operator checks on the party's HTTP port. {@code GET /admin/keys/{requestId}/verify} opens the stored
 * sealed share of a request inside the token, recomputes s_i·G and compares it with the stored
 * verification share: {@code 200 {"request_id","participant_id","verification_share_matches"}};
 * {@code 404} without a stored result; {@code 409} when the request was rejected or its sealed share
 * does not open. Bodies never contain secret material. Runs on the party's worker threads.
 */
@Path("/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private static final Logger LOG = Logger.getLogger(AdminResource.class);

    private final PartyNode node;

    @Inject
    public AdminResource(PartyNode node) {
        this.node = node;
    }

    @GET
    @Path("/{requestId}/verify")
    public CompletionStage<Response> verify(@PathParam("requestId") String requestId) {
        long id;
        try {
            id = Long.parseUnsignedLong(requestId);
        } catch (NumberFormatException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(error(Response.Status.BAD_REQUEST,
                    requestId.length() <= 20 ? requestId : "?", "request id must be an unsigned 64-bit integer"));
        }
        return node.verifyStoredShare(id).handle((check, err) -> {
            if (err == null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("request_id", Long.toUnsignedString(check.requestId()));
                body.put("participant_id", check.participantId());
                body.put("verification_share_matches", check.matches());
                return Response.ok(body).build();
            }
            Throwable cause = err;
            while (cause.getCause() != null && !(cause instanceof PartyException)) {
                cause = cause.getCause();
            }
            String rid = Long.toUnsignedString(id);
            if (cause instanceof PartyException pe) {
                Response.Status status = pe.code() == Status.Code.NOT_FOUND ? Response.Status.NOT_FOUND
                        : pe.code() == Status.Code.FAILED_PRECONDITION ? Response.Status.CONFLICT
                                : Response.Status.INTERNAL_SERVER_ERROR;
                return error(status, rid, pe.getMessage());
            }
            LOG.errorf("request %s: share check failed: %s", rid, cause.toString());
            return error(Response.Status.INTERNAL_SERVER_ERROR, rid, "internal error");
        });
    }

    private static Response error(Response.Status status, String requestId, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", requestId);
        body.put("error", message);
        return Response.status(status).entity(body).build();
    }
}
