package io.keyfed.ledger.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.keyfed.ledger.service.LedgerException;

/** Error bodies: {"code":"INVALID_ARGUMENT","message":"..."} with 400/403/409/404. */
public class RestErrors {
    private static final Logger LOG = Logger.getLogger(RestErrors.class);

    public static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    @ServerExceptionMapper
    public Response ledger(LedgerException e) {
        return Response.status(e.code().httpStatus).type(MediaType.APPLICATION_JSON)
                .entity(body(e.code().name(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "FAILED_PRECONDITION";
            default -> "HTTP_" + status;
        };
        String message = status == 404 ? "no such resource" : status == 415 ? "unsupported content type; send application/json"
                : "request refused (HTTP " + status + ")";
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(code, message)).build();
    }

    @ServerExceptionMapper
    public Response internal(RuntimeException e) {
        LOG.error("internal error serving a REST call", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON).entity(body("INTERNAL", "internal error")).build();
    }
}
