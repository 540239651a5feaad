package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyringEntity;
import io.keyfed.ledger.model.WorkspaceEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Workspaces and keyrings read in plain prepared SQL on a reactive-client connection, as plain values. */
@ApplicationScoped
public class DirectorySql {
    private static final String WORKSPACE = "select creator, created_height, data from workspaces where address = $1";
    private static final String KEYRING = "select creator, created_height, data from keyrings where address = $1";

    /** The workspace's row, or null. */
    public Uni<WorkspaceEntity> workspace(SqlConnection c, String address) {
        return SqlRows.byKey(c, WORKSPACE, address, row -> {
            WorkspaceEntity e = new WorkspaceEntity();
            e.address = address;
            e.creator = row.getString("creator");
            e.createdHeight = row.getLong("created_height");
            e.data = SqlRows.data(row);
            return e;
        });
    }

    /** The keyring's row, or null. */
    public Uni<KeyringEntity> keyring(SqlConnection c, String address) {
        return SqlRows.byKey(c, KEYRING, address, row -> {
            KeyringEntity e = new KeyringEntity();
            e.address = address;
            e.creator = row.getString("creator");
            e.createdHeight = row.getLong("created_height");
            e.data = SqlRows.data(row);
            return e;
        });
    }
}
