package io.keyfed.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny in-test HTTP server answering canned JSON by "METHOD /path" (query string ignored for matching,
 * but recorded). Unrouted requests get 404 {"code":"NOT_FOUND"}.
 */
public final class FakeLedger implements AutoCloseable {
    /** A recorded request. */
    public record Request(String method, String path, String query, String body) {
    }

    /** A canned answer. */
    public record Answer(int status, String body) {
        public static Answer ok(String json) {
            return new Answer(200, json);
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeLedger() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeLedger on(String method, String path, Function<Request, Answer> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    public FakeLedger json(String method, String path, String json) {
        return on(method, path, r -> Answer.ok(json));
    }

    public FakeLedger error(String method, String path, int status, String body) {
        return on(method, path, r -> new Answer(status, body));
    }

    public List<Request> requests() {
        return requests;
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery(), body);
        requests.add(req);
        Function<Request, Answer> h = routes.get(req.method() + " " + req.path());
        Answer a = h == null
                ? new Answer(404, "{\"code\":\"NOT_FOUND\",\"message\":\"no route " + req.path() + "\"}")
                : h.apply(req);
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
