package io.keyfed.connector.fake;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.SigningAnswer;
import io.keyfed.api.party.v1.SigningCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stand-in for an MPC party that implements the published {@code keyfed.party.v1.Party} contract as far as
 * the connector uses it: GetIdentity, and Keygen answering with a party response for the asked request
 * (idempotent per request id: the same answer every time). It runs no DKG and its "signature" is filler; the
 * real party and the real ledger's signature check are exercised by the end-to-end test.
 * Tests can script failures, hold answers back (to observe concurrency) and have a request rejected.
 * Sign answers FULFILLED with one filler 64-byte signature per message of the call's request (idempotent per
 * request id); tests can script its failures, have it refuse, or have it return a given (wrong) answer.
 */
public final class FakeParty extends PartyGrpc.PartyImplBase {

    public static final String ADDRESS = "zen1fakeparty";

    private final List<KeygenRequest> keygenCalls = new ArrayList<>();
    private final List<Long> keygenArrivals = new ArrayList<>();
    private final Map<Long, List<Status>> scriptedFailures = new HashMap<>();
    private final Set<Long> held = new HashSet<>();
    private final Set<Long> rejecting = new HashSet<>();
    private final Map<Long, List<Runnable>> heldAnswers = new HashMap<>();
    private final Map<Long, PartyResponse> answers = new HashMap<>();
    private final List<SigningCall> signCalls = new ArrayList<>();
    private final Map<Long, List<Status>> scriptedSignFailures = new HashMap<>();
    private final Set<Long> rejectingSign = new HashSet<>();
    private final Set<Long> heldSign = new HashSet<>();
    private final List<Runnable> heldSignAnswers = new ArrayList<>();
    private final Map<Long, PartySignResponse> signAnswers = new HashMap<>();
    private int running;
    private int maxRunning;

    @Override
    public void getIdentity(GetIdentityRequest request, StreamObserver<PartyIdentity> response) {
        response.onNext(PartyIdentity.newBuilder().setAddress(ADDRESS)
                .setIdentityPublicKey(ByteString.copyFrom(new byte[33])).build());
        response.onCompleted();
    }

    @Override
    public void keygen(KeygenRequest request, StreamObserver<KeygenResponse> response) {
        long id = request.getRequest().getId();
        Runnable answer;
        synchronized (this) {
            keygenCalls.add(request);
            keygenArrivals.add(System.currentTimeMillis());
            List<Status> script = scriptedFailures.get(id);
            if (script != null && !script.isEmpty()) {
                response.onError(script.remove(0).asRuntimeException());
                return;
            }
            running++;
            maxRunning = Math.max(maxRunning, running);
            PartyResponse result = answers.computeIfAbsent(id, this::answerFor);
            answer = () -> {
                synchronized (this) {
                    running--;
                }
                response.onNext(KeygenResponse.newBuilder().setResponse(result).build());
                response.onCompleted();
            };
            if (held.contains(id)) {
                heldAnswers.computeIfAbsent(id, k -> new ArrayList<>()).add(answer);
                return;
            }
        }
        answer.run();
    }

    @Override
    public void sign(SigningCall call, StreamObserver<SigningAnswer> response) {
        long id = call.getRequest().getId();
        PartySignResponse result;
        synchronized (this) {
            signCalls.add(call);
            List<Status> script = scriptedSignFailures.get(id);
            if (script != null && !script.isEmpty()) {
                response.onError(script.remove(0).asRuntimeException());
                return;
            }
            result = signAnswers.computeIfAbsent(id, k -> signAnswerFor(call));
            if (heldSign.contains(id)) {
                heldSignAnswers.add(() -> answerSign(response, result));
                return;
            }
        }
        answerSign(response, result);
    }

    private static void answerSign(StreamObserver<SigningAnswer> response, PartySignResponse result) {
        response.onNext(SigningAnswer.newBuilder().setResponse(result).build());
        response.onCompleted();
    }

    private PartySignResponse signAnswerFor(SigningCall call) {
        long id = call.getRequest().getId();
        PartySignResponse.Builder answer = PartySignResponse.newBuilder().setRequestId(id).setPartyAddr(ADDRESS)
                .setSignature(ByteString.copyFrom(filler(64, (byte) id)));
        if (rejectingSign.contains(id)) {
            return answer.setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED)
                    .setRejectReason("test: no share for the key").build();
        }
        for (int i = 0; i < call.getRequest().getMessagesCount(); i++) {
            answer.addSignatures(ByteString.copyFrom(filler(64, (byte) (id + i))));
        }
        return answer.setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED).build();
    }

    private PartyResponse answerFor(long id) {
        PartyResponse.Builder answer = PartyResponse.newBuilder().setRequestId(id).setPartyAddr(ADDRESS)
                .setSignature(ByteString.copyFrom(filler(64, (byte) id)));
        if (rejecting.contains(id)) {
            return answer.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED)
                    .setRejectReason("test: party refuses").build();
        }
        return answer.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(ByteString.copyFrom(filler(33, (byte) (id + 1)))).build();
    }

    private static byte[] filler(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        bytes[0] = 2;
        return bytes;
    }

    /** The next Keygen calls for this request fail with these statuses, in order. */
    public synchronized void fail(long requestId, Status... statuses) {
        scriptedFailures.computeIfAbsent(requestId, id -> new ArrayList<>()).addAll(List.of(statuses));
    }

    /** Keygen for these requests does not answer until {@link #release} is called. */
    public synchronized void hold(long... requestIds) {
        for (long id : requestIds) {
            held.add(id);
        }
    }

    /** This request is answered REJECTED. */
    public synchronized void reject(long requestId) {
        rejecting.add(requestId);
    }

    /** The next Sign calls for this sign request fail with these statuses, in order. */
    public synchronized void failSign(long requestId, Status... statuses) {
        scriptedSignFailures.computeIfAbsent(requestId, id -> new ArrayList<>()).addAll(List.of(statuses));
    }

    /** Sign for these requests does not answer until {@link #releaseAll} is called. */
    public synchronized void holdSign(long... requestIds) {
        for (long id : requestIds) {
            heldSign.add(id);
        }
    }

    /** This sign request is answered REJECTED. */
    public synchronized void rejectSign(long requestId) {
        rejectingSign.add(requestId);
    }

    /** Sign for this request returns this answer (e.g. one naming another request or party). */
    public synchronized void answerSign(long requestId, PartySignResponse answer) {
        signAnswers.put(requestId, answer);
    }

    public synchronized List<SigningCall> signCalls(long requestId) {
        return signCalls.stream().filter(c -> c.getRequest().getId() == requestId).toList();
    }

    public synchronized PartySignResponse signAnswer(long requestId) {
        return signAnswers.get(requestId);
    }

    public void releaseAll() {
        List<Runnable> toRun = new ArrayList<>();
        synchronized (this) {
            held.clear();
            heldAnswers.values().forEach(toRun::addAll);
            heldAnswers.clear();
            heldSign.clear();
            toRun.addAll(heldSignAnswers);
            heldSignAnswers.clear();
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int maxRunning() {
        return maxRunning;
    }

    public synchronized List<KeygenRequest> keygenCalls(long requestId) {
        return keygenCalls.stream().filter(r -> r.getRequest().getId() == requestId).toList();
    }

    /** When each Keygen call for this request arrived (epoch milliseconds), in order. */
    public synchronized List<Long> keygenArrivals(long requestId) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < keygenCalls.size(); i++) {
            if (keygenCalls.get(i).getRequest().getId() == requestId) {
                times.add(keygenArrivals.get(i));
            }
        }
        return times;
    }

    public synchronized PartyResponse answer(long requestId) {
        return answers.get(requestId);
    }
}
