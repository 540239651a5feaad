package io.keyfed.api.http;

import io.keyfed.api.crypto.Addresses;
import io.vertx.core.json.JsonObject;

/**
 * The one HTTP error body of every KeyFed service: {@code {"code": "<gRPC-style code>", "message": "..."}}, with
 * the code chosen from the HTTP status the same way everywhere (see {@link #code(int)}).
 */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /**
     * The code for an HTTP status: 400, 406, 413, 414, 415 and other 4xx INVALID_ARGUMENT; 401 UNAUTHENTICATED;
     * 403 PERMISSION_DENIED; 404 NOT_FOUND; 405 and 501 UNIMPLEMENTED; 409 FAILED_PRECONDITION; 429
     * RESOURCE_EXHAUSTED; 503 UNAVAILABLE; 504 DEADLINE_EXCEEDED; other 5xx INTERNAL.
     */
    public static String code(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405, 501 -> "UNIMPLEMENTED";
            case 409 -> "FAILED_PRECONDITION";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    /** A message for an HTTP status the framework produced (no handler of ours ran), naming the request. */
    public static String message(int status, String method, String path) {
        String p = Addresses.printable(path);
        return switch (status) {
            case 404 -> "no such resource: " + p;
            case 405 -> "method " + Addresses.printable(method) + " is not allowed on " + p;
            case 406 -> "cannot answer " + p + " in an accepted media type; accept application/json";
            case 413 -> "request body too large for " + p;
            case 414 -> "request URI too long";
            case 415 -> "unsupported content type for " + p + "; send application/json";
            default -> status >= 500 ? "internal error" : "request refused (HTTP " + status + ")";
        };
    }

    /** The JSON text of an error body. */
    public static String json(String code, String message) {
        return new JsonObject().put("code", code).put("message", message).encode();
    }

    public static String json(int status, String message) {
        return json(code(status), message);
    }
}
