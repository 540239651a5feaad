package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.cli.http.TraceParent;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.e2e.OtlpReceiver.ReceivedSpan;

/**
 * One key request is one trace, across real processes: every service exports its spans over OTLP/HTTP to a
 * receiver inside this test, and writes JSON logs. The client submits with its own traceparent; the spans of the
 * ledger (commit, watch events, the parties' answers), of each connector (its forward, its Keygen and
 * FulfilKeyRequest calls) and of each party (its session, the peer messages it received) all carry the client's
 * trace id and chain up to the client's span. Each service writes one INFO outcome line for the request, with
 * the request id and trace id as JSON fields, and no log holds a PIN or the client's private key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {
    private static final long DEADLINE_SECONDS = 240;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OtlpReceiver receiver;
    private Federation fed;
    private Client client;
    private final byte[] aliceSecret = new byte[32];
    private SigningKey alice;
    private String workspace;
    private String keyring;

    @BeforeAll
    void startFederation() throws Exception {
        alice = SigningKey.generate("alice", new RecordingRandom(aliceSecret));
        SigningKey admin = Client.newKey("admin");
        receiver = OtlpReceiver.start();
        fed = new Federation("tracing");
        fed.extraJvmArgs.addAll(List.of("-Dquarkus.otel.sdk.disabled=false",
                "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + receiver.url(),
                "-Dquarkus.otel.bsp.schedule.delay=200ms",
                "-Dquarkus.log.console.json.enabled=true"));
        Path genesis = fed.writeGenesis(Map.of(alice, 1_000_000L, admin, 1_000_000L));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        workspace = client.newWorkspace(alice);
        keyring = client.newKeyring(admin, 2, 100, fed.parties);
        fed.startConnectors(keyring);
    }

    @AfterAll
    void stop() throws Exception {
        if (fed != null) {
            fed.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneKeyRequestIsOneTraceFromTheClientThroughEveryServiceAndBack() throws Exception {
        String traceparent = TraceParent.generate();
        String trace = TraceParent.traceId(traceparent);
        String clientSpan = traceparent.substring(36, 52);
        long id = client.requestKeyTx(alice, workspace, keyring, "ecdsa", 120, traceparent)
                .path("key_request_id").asLong();
        JsonNode done = client.awaitFinal(id, DEADLINE_SECONDS);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", done.path("status").asText(), done.toString());
        String rid = Long.toString(id);

        // Poll (no timing asserted) until every service's spans of the request have arrived, then check them.
        long until = System.nanoTime() + DEADLINE_SECONDS * 1_000_000_000L;
        while (!everyServiceReported(rid) && System.nanoTime() < until) {
            Thread.sleep(250);
        }
        List<ReceivedSpan> all = receiver.spans();
        String seen = all.stream().map(s -> s.service() + " " + s.name() + " " + s.traceId() + " "
                + s.attribute("keyfed.request_id") + " " + s.attribute("keyfed.party")).collect(Collectors.joining("\n"));
        assertTrue(everyServiceReported(rid), "spans of request " + rid + " missing; received:\n" + seen);
        assertEquals(0, receiver.malformed(), "malformed OTLP exports");

        // Every span about the request, from any service, is in the client's trace.
        List<ReceivedSpan> ofRequest = all.stream().filter(s -> s.attribute("keyfed.request_id").equals(rid)).toList();
        for (ReceivedSpan s : ofRequest) {
            assertEquals(trace, s.traceId(), "span " + s + " of request " + rid + " is in another trace");
        }
        List<ReceivedSpan> inTrace = all.stream().filter(s -> s.traceId().equals(trace)).toList();
        Map<String, ReceivedSpan> byId = inTrace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s,
                (a, b) -> a));
        assertEquals(Set.of("keyfed-ledger", "keyfed-connector", "keyfed-party"),
                inTrace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()));

        // The client's submit is the root: the ledger's server span is its child, the commit below it.
        ReceivedSpan commit = one(inTrace, s -> s.name().equals("keyfed.ledger.commit"), "the ledger's commit");
        assertEquals(clientSpan, root(commit, byId).parentSpanId(), "the commit's chain ends at the client's span");
        assertEquals("keyfed-ledger", root(commit, byId).service());

        for (Federation.Party p : fed.parties) {
            String who = " of party " + p.address;
            // The connector's forward continues a watch event of the ledger, under the commit.
            ReceivedSpan forward = one(inTrace, s -> s.name().equals("keyfed.connector.forward")
                    && s.attribute("keyfed.party").equals(p.address), "the connector's forward" + who);
            ReceivedSpan event = byId.get(forward.parentSpanId());
            assertTrue(event != null && event.name().equals("keyfed.ledger.watch-event"), "forward" + who
                    + " is not a child of a watch event: " + event);
            assertEquals(commit.spanId(), event.parentSpanId(), "watch event under the commit");
            // The party's session continues the forward; its peers' messages continue their sessions.
            ReceivedSpan session = one(inTrace, s -> s.name().equals("keyfed.party.session")
                    && s.attribute("keyfed.party").equals(p.address), "the party's session" + who);
            assertEquals(forward.spanId(), session.parentSpanId(), "session" + who + " under its connector");
            List<ReceivedSpan> received = inTrace.stream().filter(s -> s.name().equals("keyfed.party.peer-message")
                    && s.attribute("keyfed.party").equals(p.address)).toList();
            assertFalse(received.isEmpty(), "no peer message spans" + who);
            for (ReceivedSpan m : received) {
                ReceivedSpan sender = byId.get(m.parentSpanId());
                assertTrue(sender != null && sender.name().equals("keyfed.party.session")
                        && sender.attribute("keyfed.party").equals(m.attribute("keyfed.sender"))
                        && !m.attribute("keyfed.sender").equals(p.address), "peer message " + m
                        + " is not a child of its sender's session");
            }
            // The answer back: the connector's FulfilKeyRequest call, and the ledger's handling of it below it.
            // (A call retried after a transient failure shows as several client spans; each has its server span.
            // The ledger serves gRPC on its HTTP port, so its HTTP server span is a sibling of the gRPC one.)
            List<ReceivedSpan> calls = inTrace.stream().filter(s -> s.service().equals("keyfed-connector")
                    && s.parentSpanId().equals(forward.spanId()) && s.name().contains("FulfilKeyRequest")).toList();
            assertFalse(calls.isEmpty(), "no FulfilKeyRequest call under the forward" + who);
            for (ReceivedSpan call : calls) {
                one(inTrace, s -> s.service().equals("keyfed-ledger") && s.parentSpanId().equals(call.spanId())
                        && s.name().endsWith("Ledger/FulfilKeyRequest"), "the ledger's span of the answer" + who);
            }
        }
        assertOutcomeLinesAndNoSecrets(rid, trace);
    }

    private boolean everyServiceReported(String rid) {
        List<ReceivedSpan> all = receiver.spans();
        Predicate<String> ledger = name -> all.stream().anyMatch(s -> s.service().equals("keyfed-ledger")
                && s.name().equals(name) && s.attribute("keyfed.request_id").equals(rid));
        if (!ledger.test("keyfed.ledger.commit") || !ledger.test("keyfed.ledger.watch-event")) {
            return false;
        }
        for (Federation.Party p : fed.parties) {
            for (String name : List.of("keyfed.connector.forward", "keyfed.party.session", "keyfed.party.peer-message")) {
                if (all.stream().noneMatch(s -> s.name().equals(name) && s.attribute("keyfed.party").equals(p.address)
                        && s.attribute("keyfed.request_id").equals(rid))) {
                    return false;
                }
            }
        }
        long answers = all.stream().filter(s -> s.service().equals("keyfed-ledger")
                && s.name().contains("FulfilKeyRequest")).count();
        return answers >= fed.parties.size();
    }

    private static ReceivedSpan one(List<ReceivedSpan> spans, Predicate<ReceivedSpan> what, String name) {
        List<ReceivedSpan> found = spans.stream().filter(what).toList();
        assertEquals(1, found.size(), name + ": " + found);
        return found.get(0);
    }

    /** The span's highest ancestor among the received spans. */
    private static ReceivedSpan root(ReceivedSpan s, Map<String, ReceivedSpan> byId) {
        ReceivedSpan at = s;
        for (int i = 0; i < 32 && byId.containsKey(at.parentSpanId()); i++) {
            at = byId.get(at.parentSpanId());
        }
        return at;
    }

    /** Each service's log: one INFO JSON line for the request's outcome with its ids; no secret anywhere. */
    private void assertOutcomeLinesAndNoSecrets(String rid, String trace) throws Exception {
        List<String> secrets = new ArrayList<>();
        secrets.add(HexFormat.of().formatHex(aliceSecret));
        for (Federation.Party p : fed.parties) {
            secrets.add(Files.readString(p.dir.resolve("user.pin")).strip());
            secrets.add(Files.readString(p.dir.resolve("so.pin")).strip());
        }
        List<Path> logs = new ArrayList<>(List.of(fed.ledger().log()));
        fed.parties.forEach(p -> logs.add(p.process.log()));
        fed.connectors.forEach(c -> logs.add(c.log()));
        long until = System.nanoTime() + DEADLINE_SECONDS * 1_000_000_000L;
        for (Path log : logs) {
            Optional<JsonNode> line = outcomeLine(log, rid);
            while (line.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(250);
                line = outcomeLine(log, rid);
            }
            assertTrue(line.isPresent(), log + ": no JSON INFO outcome line for request " + rid);
            assertEquals(trace, line.get().path("mdc").path("traceId").asText(), log + ": " + line.get());
            assertTrue(line.get().path("message").asText().contains(trace), log + ": " + line.get());
            String text = Files.readString(log);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), log + " holds a secret (PIN or private key)");
            }
        }
    }

    private static Optional<JsonNode> outcomeLine(Path log, String rid) throws Exception {
        for (String l : Files.readAllLines(log)) {
            if (!l.startsWith("{")) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(l);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                continue;
            }
            if (n.path("level").asText().equals("INFO") && n.path("mdc").path("requestId").asText().equals(rid)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** A SecureRandom that also keeps the last 32 bytes it gave: the test's copy of a generated private key. */
    private static final class RecordingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final transient byte[] copy;

        RecordingRandom(byte[] copy) {
            this.copy = copy;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            super.nextBytes(bytes);
            if (bytes.length == copy.length) {
                System.arraycopy(bytes, 0, copy, 0, bytes.length);
            }
        }
    }
}
