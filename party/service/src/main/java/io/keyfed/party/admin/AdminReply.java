package io.keyfed.party.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One admin answer: an HTTP status and its JSON body (insertion order kept). Error bodies are
 * {@code {"code","message"}}, the code being the gRPC status name that fits (as on the ledger's REST API),
 * plus any fields of the answer that still apply (e.g. {@code request_id}). Bodies never hold secret material.
 */
public record AdminReply(int status, Map<String, Object> body) {

    static AdminReply ok(Map<String, Object> body) {
        return new AdminReply(200, body);
    }

    static AdminReply error(int status, String code, String message) {
        return new AdminReply(status, errorBody(code, message));
    }

    static Map<String, Object> errorBody(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }
}
