package io.keyfed.party.store;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.party.session.PartyException;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The SQL of the {@code party_sign_answer} table (schema V3) and its row mapping, for {@link DbResultStore}. */
final class SignAnswerRows {
    static final String INSERT = "INSERT INTO party_sign_answer (sign_request_id, key_id, session_id, status,"
            + " response) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sign_request_id) DO NOTHING";
    static final String SELECT = "SELECT sign_request_id, key_id, session_id, response FROM party_sign_answer"
            + " WHERE sign_request_id = $1";

    private SignAnswerRows() {
    }

    static Tuple values(StoredSignAnswer a) {
        return Tuple.tuple()
                .addLong(a.signRequestId())
                .addLong(a.keyId())
                .addBuffer(Buffer.buffer(a.sessionId()))
                .addShort((short) a.response().getStatusValue())
                .addBuffer(Buffer.buffer(a.response().toByteArray()));
    }

    static StoredSignAnswer toAnswer(long signRequestId, Row r) {
        try {
            return new StoredSignAnswer(r.getLong(0), r.getLong(1), r.getBuffer(2).getBytes(),
                    PartySignResponse.parseFrom(r.getBuffer(3).getBytes()));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new PartyException(Status.Code.INTERNAL, "the stored answer of sign request "
                    + Long.toUnsignedString(signRequestId) + " is corrupt; it is kept as is and not signed again");
        }
    }
}
