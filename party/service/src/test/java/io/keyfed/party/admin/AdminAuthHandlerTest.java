package io.keyfed.party.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The admin credential check in front of a route, on a real Vert.x HTTP server: refused calls never reach the
 * route (its counter stays put), with the documented status, {@code {"code","message"}} and, for a missing token,
 * {@code WWW-Authenticate: Bearer}. The disabled case (no token file) is here because the running party of the
 * {@code @QuarkusTest}s has one.
 */
class AdminAuthHandlerTest {
    private static final String TOKEN = "fedcba9876543210-token";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger reached = new AtomicInteger();
    private Vertx vertx;
    private int port;

    private void serve(AdminCredential credential) throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/admin/*").handler(new AdminAuthHandler(credential));
        router.post("/admin/sealing-key/rotate").handler(ctx -> {
            reached.incrementAndGet();
            ctx.response().end("{}");
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void close() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private HttpResponse<String> rotate(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/sealing-key/rotate"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenFileAdminIsDisabledWhateverIsPresented() throws Exception {
        serve(new AdminCredential(Optional.empty()));
        for (String auth : new String[] { null, "Bearer " + TOKEN }) {
            HttpResponse<String> r = rotate(auth);
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("{\"code\":\"PERMISSION_DENIED\",\"message\":\"admin disabled: no token file configured"
                    + " (keyfed.party.admin.token-file)\"}", r.body());
        }
        assertEquals(0, reached.get());
    }

    @Test
    void noTokenIs401WithAChallengeAndAWrongOneIs403AndNeitherReachesTheRoute() throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, TOKEN + "\n");
        serve(new AdminCredential(Optional.of(file)));

        HttpResponse<String> none = rotate(null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"keyfed-party-admin\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(none.body().startsWith("{\"code\":\"UNAUTHENTICATED\",\"message\":"), none.body());
        HttpResponse<String> wrong = rotate("Bearer " + TOKEN.toUpperCase());
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertEquals("{\"code\":\"PERMISSION_DENIED\",\"message\":\"wrong admin token\"}", wrong.body());
        assertEquals(0, reached.get(), "refused calls never reach the route");

        assertEquals(200, rotate("Bearer " + TOKEN).statusCode());
        assertEquals(1, reached.get());
    }
}
