package io.keyfed.ledger.mapping;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.Workspace;
import io.keyfed.ledger.model.KeyEntity;
import io.keyfed.ledger.model.KeyRequestEntity;
import io.keyfed.ledger.model.KeyringEntity;
import io.keyfed.ledger.model.WorkspaceEntity;

/** Stored records to protobuf messages. The stored bytes were written by the ledger itself. */
public final class Protos {
    private Protos() {
    }

    public static <T extends Message> T parse(Parser<T> parser, byte[] data) {
        try {
            return parser.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt stored record", e);
        }
    }

    public static Workspace workspace(WorkspaceEntity e) {
        return parse(Workspace.parser(), e.data);
    }

    public static Keyring keyring(KeyringEntity e) {
        return parse(Keyring.parser(), e.data);
    }

    public static KeyRequest keyRequest(KeyRequestEntity e) {
        return parse(KeyRequest.parser(), e.data);
    }

    public static Key key(KeyEntity e) {
        return parse(Key.parser(), e.data);
    }
}
