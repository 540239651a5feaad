package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.MsgAddWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgRemoveWorkspaceOwner;
import io.keyfed.api.ledger.v1.Workspace;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.model.WorkspaceEntity;
import io.keyfed.ledger.model.WorkspaceOwnerEntity;
import io.keyfed.ledger.repository.DirectorySql;
import io.keyfed.ledger.repository.WorkspaceOwnerRepository;
import io.keyfed.ledger.repository.WorkspaceRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Workspace messages. Only owners act for a workspace; the last owner can never be removed. */
@ApplicationScoped
public class WorkspaceService {
    private final WorkspaceRepository workspaces;
    private final WorkspaceOwnerRepository owners;
    private final DirectorySql directory;

    public WorkspaceService(WorkspaceRepository workspaces, WorkspaceOwnerRepository owners, DirectorySql directory) {
        this.workspaces = workspaces;
        this.owners = owners;
        this.directory = directory;
    }

    public static void validate(MsgNewWorkspace m, String prefix) {
        Inputs.listSize(m.getAdditionalOwnersCount(), Inputs.MAX_OWNERS - 1, "additional_owners");
        for (String o : m.getAdditionalOwnersList()) {
            Inputs.address(o, prefix, "additional owner");
        }
    }

    public static void validate(MsgAddWorkspaceOwner m, String prefix) {
        Inputs.address(m.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        Inputs.address(m.getNewOwner(), prefix, "new_owner");
    }

    public static void validate(MsgRemoveWorkspaceOwner m, String prefix) {
        Inputs.address(m.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        Inputs.address(m.getOwner(), prefix, "owner");
    }

    public Uni<Void> create(TxContext ctx, MsgNewWorkspace m) {
        List<String> list = new ArrayList<>();
        list.add(ctx.sender);
        for (String o : m.getAdditionalOwnersList()) {
            if (list.contains(o)) {
                throw LedgerException.invalid("owner " + o + " is listed twice");
            }
            list.add(o);
        }
        String address = Addresses.workspace(ctx.sender, ctx.senderAccount.sequence);
        Workspace w = Workspace.newBuilder().setAddress(address).setCreator(ctx.sender).addAllOwners(list).build();
        WorkspaceEntity e = new WorkspaceEntity();
        e.address = address;
        e.creator = ctx.sender;
        e.createdHeight = ctx.height();
        e.data = w.toByteArray();
        ctx.createdAddress = address;
        ctx.outcome = "workspace " + address + " created with " + list.size() + " owner(s)";
        Uni<Void> chain = workspaces.persist(e).replaceWithVoid();
        for (String o : list) {
            chain = chain.chain(() -> owners.persist(ownerRow(address, o))).replaceWithVoid();
        }
        return chain;
    }

    public Uni<Void> addOwner(TxContext ctx, MsgAddWorkspaceOwner m) {
        return ownedBySender(ctx, m.getWorkspaceAddr()).chain(e -> {
            Workspace w = Protos.workspace(e);
            if (w.getOwnersList().contains(m.getNewOwner())) {
                throw LedgerException.precondition(m.getNewOwner() + " already owns workspace " + w.getAddress());
            }
            if (w.getOwnersCount() >= Inputs.MAX_OWNERS) {
                throw LedgerException.precondition("workspace " + w.getAddress() + " already has "
                        + Inputs.MAX_OWNERS + " owners");
            }
            e.data = w.toBuilder().addOwners(m.getNewOwner()).build().toByteArray();
            ctx.outcome = "owner " + m.getNewOwner() + " added to workspace " + w.getAddress();
            return owners.persist(ownerRow(w.getAddress(), m.getNewOwner())).replaceWithVoid();
        });
    }

    public Uni<Void> removeOwner(TxContext ctx, MsgRemoveWorkspaceOwner m) {
        return ownedBySender(ctx, m.getWorkspaceAddr()).chain(e -> {
            Workspace w = Protos.workspace(e);
            if (!w.getOwnersList().contains(m.getOwner())) {
                throw LedgerException.precondition(m.getOwner() + " does not own workspace " + w.getAddress());
            }
            if (w.getOwnersCount() == 1) {
                throw LedgerException.precondition("cannot remove " + m.getOwner() + ", the last owner of workspace "
                        + w.getAddress());
            }
            List<String> rest = new ArrayList<>(w.getOwnersList());
            rest.remove(m.getOwner());
            e.data = w.toBuilder().clearOwners().addAllOwners(rest).build().toByteArray();
            ctx.outcome = "owner " + m.getOwner() + " removed from workspace " + w.getAddress();
            return owners.deleteOwner(w.getAddress(), m.getOwner()).replaceWithVoid();
        });
    }

    /** The workspace, if it exists (NOT_FOUND) and the sender owns it (PERMISSION_DENIED). */
    public Uni<WorkspaceEntity> ownedBySender(TxContext ctx, String address) {
        return workspaces.findById(address).map(e -> requireOwner(ctx, address, e));
    }

    /** The same check on a reactive-client connection ({@link CommitSequencer.SqlChange}). */
    public Uni<WorkspaceEntity> ownedBySender(SqlConnection c, TxContext ctx, String address) {
        return directory.workspace(c, address).map(e -> requireOwner(ctx, address, e));
    }

    private static WorkspaceEntity requireOwner(TxContext ctx, String address, WorkspaceEntity e) {
        if (e == null) {
            throw LedgerException.notFound("workspace " + address + " not found");
        }
        if (!new HashSet<>(Protos.workspace(e).getOwnersList()).contains(ctx.sender)) {
            throw LedgerException.denied(ctx.sender + " is not an owner of workspace " + address);
        }
        return e;
    }

    private static WorkspaceOwnerEntity ownerRow(String workspace, String owner) {
        WorkspaceOwnerEntity o = new WorkspaceOwnerEntity();
        o.workspaceAddr = workspace;
        o.owner = owner;
        return o;
    }
}
