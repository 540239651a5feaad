package io.keyfed.cli.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.keyfed.cli.tls.TlsFileException;
import io.keyfed.cli.tls.TlsFiles;
import io.keyfed.cli.tls.TlsProblem;

/**
 * Minimal JSON-over-HTTP client for the ledger's REST API. An {@code https://} URL uses the {@link TlsFiles}: the
 * CA certificates to trust (else the JDK's) and the client certificate to show when the ledger asks; the JDK
 * checks the chain and that the certificate names the URL's host.
 */
public final class LedgerClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final HttpClient http;
    private final TlsFiles tls;
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** A client with the JDK's default trust for {@code https://} and no client certificate. */
    public LedgerClient(String baseUrl) {
        this(baseUrl, TlsFiles.none(), null);
    }

    /**
     * A client whose {@code https://} connections use {@code tls}; for {@code http://} the files are not read.
     *
     * @throws TlsFileException when a file is missing, unreadable or not what it should be
     */
    public LedgerClient(String baseUrl, TlsFiles tls) throws TlsFileException {
        this(baseUrl, tls, isHttps(baseUrl) && !tls.equals(TlsFiles.none()) ? tls.sslContext() : null);
    }

    private LedgerClient(String baseUrl, TlsFiles tls, SSLContext ssl) {
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        URI u = URI.create(b);
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null) {
            throw new IllegalArgumentException("ledger URL must be http(s)://host[:port], got '" + baseUrl + "'");
        }
        this.base = b;
        this.tls = tls;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            hb.sslContext(ssl);
        }
        this.http = hb.build();
    }

    private static boolean isHttps(String url) {
        return url.strip().regionMatches(true, 0, "https:", 0, 6);
    }

    public String baseUrl() {
        return base;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** GET path?query; null or empty query values are left out. */
    public JsonNode get(String path, Map<String, String> query) throws LedgerClientException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path + queryString(query)))
                .timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET().build();
        return send(req);
    }

    public JsonNode get(String path) throws LedgerClientException {
        return get(path, Map.of());
    }

    /** POST with a {@code traceparent} header of a new trace (or of {@code TRACEPARENT}, see {@link TraceParent}). */
    public JsonNode post(String path, JsonNode body) throws LedgerClientException {
        return post(path, body, TraceParent.forSubmit());
    }

    /** POST with the given {@code traceparent} header (W3C trace context; left out when not valid). */
    public JsonNode post(String path, JsonNode body, String traceparent) throws LedgerClientException {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise request", e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (TraceParent.valid(traceparent)) {
            req.header("traceparent", traceparent);
        }
        return send(req.build());
    }

    /** Percent-encodes one path segment. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                j.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return j.toString();
    }

    private JsonNode send(HttpRequest req) throws LedgerClientException {
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new LedgerClientException(0, "UNAVAILABLE", "ledger at " + base + " did not answer in time");
        } catch (ConnectException e) {
            throw new LedgerClientException(0, "UNAVAILABLE", "cannot reach the ledger at " + base);
        } catch (SSLException e) {
            throw new LedgerClientException(0, "UNAVAILABLE", "TLS with the ledger at " + base + " failed: "
                    + TlsProblem.explain(e, tls));
        } catch (IOException e) {
            throw new LedgerClientException(0, "UNAVAILABLE", "cannot reach the ledger at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerClientException(0, "CANCELLED", "interrupted");
        }
        int status = resp.statusCode();
        String body = resp.body() == null ? "" : resp.body();
        JsonNode json = null;
        if (!body.isBlank()) {
            try {
                json = mapper.readTree(body);
            } catch (IOException e) {
                json = null;
            }
        }
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new LedgerClientException(status, "BAD_RESPONSE", "ledger answered HTTP " + status
                        + " with a body that is not JSON: " + snippet(body));
            }
            return json;
        }
        String code = json == null ? null : LedgerJson.text(json, LedgerJson.ERROR_CODE);
        String message = json == null ? null : LedgerJson.text(json, LedgerJson.ERROR_MESSAGE);
        if (code == null || code.isEmpty()) {
            code = "HTTP_" + status;
        }
        if (message == null || message.isEmpty()) {
            message = body.isBlank() ? "HTTP " + status + " from " + req.uri().getPath() : snippet(body);
        }
        throw new LedgerClientException(status, code, message);
    }

    private static String snippet(String s) {
        String t = s.strip().replaceAll("\\p{Cntrl}", " ");
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
