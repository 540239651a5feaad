package io.keyfed.party.rotation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.keyfed.party.hsm.HsmToken;

/**
 * Operator endpoints for the sealing key, on the party's HTTP port:
 * <ul>
 * <li>{@code GET /admin/sealing-key}: {@code {"current_key_id", "generations":[{"key_id","generation","current"}]}};</li>
 * <li>{@code POST /admin/sealing-key/rotate}: runs {@link SealingKeyRotation}. 200 with
 * {@code {"old_key_id","new_key_id","resumed","resealed","verified","retired":true,"retired_key_ids","key_ids"}};
 * 409 when a share could not be moved (then {@code "retired":false} and {@code "failed_request_ids"} with the
 * reason for each) or another rotation is running; 500 when the rotation stopped for another reason
 * ({@code "error"}). Bodies never contain secret material.</li>
 * </ul>
 */
@Path("/admin/sealing-key")
@Produces(MediaType.APPLICATION_JSON)
public class SealingKeyResource {
    private static final Logger LOG = Logger.getLogger(SealingKeyResource.class);

    private final SealingKeyRotation rotation;

    @Inject
    public SealingKeyResource(SealingKeyRotation rotation) {
        this.rotation = rotation;
    }

    /** Runs on a worker thread (blocking signature): lists the generations in the token. */
    @GET
    public Response generations() {
        try {
            List<Map<String, Object>> gens = new ArrayList<>();
            String current = null;
            for (HsmToken.SealingGeneration g : rotation.generations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", g.keyId());
                m.put("generation", g.generation());
                m.put("current", g.current());
                gens.add(m);
                if (g.current()) {
                    current = g.keyId();
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("current_key_id", current);
            body.put("generations", gens);
            return Response.ok(body).build();
        } catch (RuntimeException e) {
            LOG.errorf("cannot list the sealing keys: %s", e.getMessage());
            return Response.serverError().entity(Map.of("error", "cannot list the sealing keys: " + e.getMessage()))
                    .build();
        }
    }

    /** Completes from the rotation thread; never blocks the event loop. */
    @POST
    @Path("/rotate")
    public CompletionStage<Response> rotate() {
        return rotation.rotateAsync().handle((r, err) -> {
            if (err != null) {
                Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err;
                if (c instanceof SealingKeyRotation.BusyException) {
                    return Response.status(Response.Status.CONFLICT).entity(Map.of("error", c.getMessage())).build();
                }
                LOG.errorf("sealing-key rotation failed: %s", c.toString());
                return Response.serverError().entity(Map.of("error", "sealing-key rotation failed: internal error"))
                        .build();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("old_key_id", r.oldKeyId());
            body.put("new_key_id", r.newKeyId());
            body.put("resumed", r.resumed());
            body.put("resealed", r.resealed());
            body.put("verified", r.verified());
            body.put("retired", r.retired());
            body.put("retired_key_ids", r.retiredKeyIds());
            body.put("key_ids", r.remainingKeyIds());
            if (!r.failed().isEmpty()) {
                body.put("failed_request_ids", new ArrayList<>(r.failed().keySet()));
                body.put("failures", r.failed());
            }
            if (r.error() != null) {
                body.put("error", r.error());
            }
            Response.Status status = r.ok() ? Response.Status.OK
                    : r.error() != null ? Response.Status.INTERNAL_SERVER_ERROR : Response.Status.CONFLICT;
            return Response.status(status).entity(body).build();
        });
    }
}
