package io.keyfed.ledger.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.ByteString;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.Account;
import io.keyfed.api.ledger.v1.Balance;
import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyResponse;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.ListKeyRequestsRequest;
import io.keyfed.api.ledger.v1.ListKeyRequestsResponse;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.ListKeysResponse;
import io.keyfed.api.ledger.v1.ListWorkspacesRequest;
import io.keyfed.api.ledger.v1.ListWorkspacesResponse;
import io.keyfed.api.ledger.v1.Params;
import io.keyfed.api.ledger.v1.TxRecord;
import io.keyfed.api.ledger.v1.WalletType;
import io.keyfed.api.ledger.v1.Workspace;
import io.keyfed.api.wallet.Wallets;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.KeyEntity;
import io.keyfed.ledger.model.KeyRequestEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.keyfed.ledger.model.WorkspaceEntity;
import io.keyfed.ledger.repository.AccountRepository;
import io.keyfed.ledger.repository.ChainHeadRepository;
import io.keyfed.ledger.repository.KeyRepository;
import io.keyfed.ledger.repository.KeyRequestRepository;
import io.keyfed.ledger.repository.KeyRequestSql;
import io.keyfed.ledger.repository.KeyringRepository;
import io.keyfed.ledger.repository.TxLogRepository;
import io.keyfed.ledger.repository.WorkspaceRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Read side of the ledger, shared by gRPC and REST. Each query validates its input first. */
@ApplicationScoped
public class QueryService {
    private final GenesisService genesis;
    private final AccountRepository accounts;
    private final WorkspaceRepository workspaces;
    private final KeyringRepository keyrings;
    private final KeyRequestRepository requests;
    private final KeyRepository keys;
    private final TxLogRepository txs;
    private final ChainHeadRepository heads;
    private final KeyRequestSql requestSql;
    private final Pool pool;

    public QueryService(ChainHeadRepository heads, GenesisService genesis, AccountRepository accounts, WorkspaceRepository workspaces,
            KeyringRepository keyrings, KeyRequestRepository requests, KeyRepository keys, TxLogRepository txs,
            KeyRequestSql requestSql, Pool pool) {
        this.heads = heads;
        this.genesis = genesis;
        this.accounts = accounts;
        this.workspaces = workspaces;
        this.keyrings = keyrings;
        this.requests = requests;
        this.keys = keys;
        this.txs = txs;
        this.requestSql = requestSql;
        this.pool = pool;
    }

    private String prefix() {
        return genesis.params().addressPrefix();
    }

    public Params params() {
        return genesis.params().toProto();
    }

    public Uni<Account> account(String address) {
        Inputs.address(address, prefix(), "address");
        return Panache.withSession(() -> accounts.findById(address)).map(a -> {
            Account.Builder b = Account.newBuilder().setAddress(address).setBalance("0");
            if (a != null) {
                b.setSequence(a.sequence).setBalance(Long.toString(a.balance));
                if (a.publicKey != null) {
                    b.setPublicKey(ByteString.copyFrom(a.publicKey));
                }
            }
            return b.build();
        });
    }

    /** Balance of an account, of the escrow address or of a keyring (which receives released fees). */
    public Uni<Balance> balance(String address) {
        if (address != null && address.startsWith(Addresses.KEYRING_PREFIX + "1")) {
            Inputs.address(address, Addresses.KEYRING_PREFIX, "address");
        } else {
            Inputs.address(address, prefix(), "address");
        }
        return Panache.withSession(() -> accounts.findById(address)).map(a -> Balance.newBuilder().setAddress(address)
                .setDenom(GenesisService.DENOM).setAmount(a == null ? "0" : Long.toString(a.balance)).build());
    }

    /** Height and hash of the log head. */
    public Uni<ChainHeadEntity> head() {
        return Panache.withSession(() -> heads.findById(ChainHeadEntity.ID));
    }

    public Uni<Long> totalSupply() {
        return Panache.withSession(accounts::totalBalance);
    }

    public Uni<Workspace> workspace(String address) {
        Inputs.address(address, Addresses.WORKSPACE_PREFIX, "address");
        return Panache.withSession(() -> workspaces.findById(address)).map(e -> {
            if (e == null) {
                throw LedgerException.notFound("workspace " + address + " not found");
            }
            return Protos.workspace(e);
        });
    }

    public Uni<ListWorkspacesResponse> workspaces(ListWorkspacesRequest r) {
        if (!r.getOwner().isEmpty()) {
            Inputs.address(r.getOwner(), prefix(), "owner");
        }
        if (!r.getCreator().isEmpty()) {
            Inputs.address(r.getCreator(), prefix(), "creator");
        }
        int size = PageTokens.size(Integer.toUnsignedLong(r.getPageSize()));
        String after = PageTokens.decode("ws", r.getPageToken(), "");
        return Panache.withSession(() -> workspaces.page(r.getOwner(), r.getCreator(), after, size + 1)).map(list -> {
            ListWorkspacesResponse.Builder b = ListWorkspacesResponse.newBuilder();
            List<WorkspaceEntity> page = list.size() > size ? list.subList(0, size) : list;
            page.forEach(e -> b.addWorkspaces(Protos.workspace(e)));
            if (list.size() > size) {
                b.setNextPageToken(PageTokens.encode("ws", page.get(size - 1).address));
            }
            return b.build();
        });
    }

    public Uni<Keyring> keyring(String address) {
        Inputs.address(address, Addresses.KEYRING_PREFIX, "address");
        return Panache.withSession(() -> keyrings.findById(address)).map(e -> {
            if (e == null) {
                throw LedgerException.notFound("keyring " + address + " not found");
            }
            return Protos.keyring(e);
        });
    }

    /** One request, read in plain SQL: each party reads every request it is asked to answer. */
    public Uni<KeyRequest> keyRequest(long id) {
        return requestSql.committedData(pool, id).map(data -> {
            if (data == null) {
                throw LedgerException.notFound("key request " + Long.toUnsignedString(id) + " not found");
            }
            return HolderView.shown(Protos.parse(KeyRequest.parser(), data), System.currentTimeMillis());
        });
    }

    public Uni<ListKeyRequestsResponse> keyRequests(ListKeyRequestsRequest r) {
        if (!r.getKeyringAddr().isEmpty()) {
            Inputs.address(r.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        }
        if (!r.getWorkspaceAddr().isEmpty()) {
            Inputs.address(r.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        }
        if (r.getStatusValue() < 0 || r.getStatusValue() > 4) {
            throw LedgerException.invalid("status " + r.getStatusValue() + " is not a KeyRequestStatus");
        }
        int size = PageTokens.size(Integer.toUnsignedLong(r.getPageSize()));
        long after = PageTokens.decodeId("kr", r.getPageToken());
        return Panache.withSession(() -> requests.page(r.getKeyringAddr(), r.getWorkspaceAddr(), r.getStatusValue(),
                after, size + 1)).map(list -> {
                    ListKeyRequestsResponse.Builder b = ListKeyRequestsResponse.newBuilder();
                    List<KeyRequestEntity> page = list.size() > size ? list.subList(0, size) : list;
                    long now = System.currentTimeMillis();
                    page.forEach(e -> b.addRequests(HolderView.shown(Protos.keyRequest(e), now)));
                    if (list.size() > size) {
                        b.setNextPageToken(PageTokens.encode("kr", Long.toString(page.get(size - 1).id)));
                    }
                    return b.build();
                });
    }

    public Uni<KeyResponse> key(KeyByIdRequest r) {
        checkWallet(r.getWalletTypeValue());
        return Panache.withSession(() -> keys.findById(r.getId()).chain(e -> {
            if (e == null) {
                throw LedgerException.notFound("key " + Long.toUnsignedString(r.getId()) + " not found");
            }
            requireFits(Protos.key(e).getType(), r.getWalletType(), r.getId());
            return requests.findById(e.id).map(req -> withWallets(e, req == null ? null : Protos.keyRequest(req),
                    r.getWalletType(), r.getPrefixesList()));
        }));
    }

    public Uni<ListKeysResponse> keys(ListKeysRequest r) {
        if (!r.getWorkspaceAddr().isEmpty()) {
            Inputs.address(r.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        }
        checkWallet(r.getWalletTypeValue());
        int size = PageTokens.size(Integer.toUnsignedLong(r.getPageSize()));
        long after = PageTokens.decodeId("key", r.getPageToken());
        return Panache.withSession(() -> keys.page(r.getWorkspaceAddr(), after, size + 1).chain(list -> {
            List<KeyEntity> page = list.size() > size ? list.subList(0, size) : list;
            return requests.byIds(page.stream().map(e -> e.id).toList()).map(reqs -> {
                Map<Long, KeyRequest> byId = new HashMap<>();
                reqs.forEach(q -> byId.put(q.id, Protos.keyRequest(q)));
                ListKeysResponse.Builder b = ListKeysResponse.newBuilder();
                page.forEach(e -> b.addKeys(withWallets(e, byId.get(e.id), r.getWalletType(), r.getPrefixesList())));
                if (list.size() > size) {
                    b.setNextPageToken(PageTokens.encode("key", Long.toString(page.get(size - 1).id)));
                }
                return b.build();
            });
        }));
    }

    /** A wallet asked for by name must fit the key's type (UNSPECIFIED asks for every one that fits). */
    private static void requireFits(KeyType type, WalletType wanted, long id) {
        if (wanted != WalletType.WALLET_TYPE_UNSPECIFIED && !Wallets.fitting(type).contains(wanted)) {
            throw LedgerException.invalid("wallet_type " + wanted.name() + " does not fit key " + Long.toUnsignedString(id)
                    + " of type " + type.name() + "; it fits " + Wallets.fitting(type));
        }
    }

    private static void checkWallet(int value) {
        if (WalletType.forNumber(value) == null) {
            throw LedgerException.invalid("wallet_type " + value + " is not a WalletType");
        }
    }

    /** The key with its request's holders and degraded flag, its verifying key, and the wallets asked for. */
    private KeyResponse withWallets(KeyEntity e, KeyRequest req, WalletType wanted, List<String> prefixes) {
        Key k = HolderView.shown(Protos.key(e), req, System.currentTimeMillis());
        Inputs.listSize(prefixes.size(), 16, "prefixes");
        KeyResponse.Builder b = KeyResponse.newBuilder();
        try {
            b.setKey(withVerifyingKey(k));
            b.addAllWallets(Wallets.derive(k.getType(), k.getPublicKey().toByteArray(), wanted, prefixes, prefix()));
        } catch (IllegalArgumentException ex) {
            throw LedgerException.invalid(ex.getMessage());
        }
        return b.build();
    }

    /** Sets verifying_key: x(Q) (BIP-86 output key) for a taproot key, the public key itself otherwise. */
    static Key withVerifyingKey(Key k) {
        byte[] vk = Wallets.verifyingKey(k.getType(), k.getPublicKey().toByteArray());
        return k.toBuilder().setVerifyingKey(ByteString.copyFrom(vk)).build();
    }

    public Uni<TxRecord> tx(GetTxRequest r) {
        return switch (r.getByCase()) {
            case HASH -> {
                byte[] h = Inputs.parseHex(Inputs.bounded(r.getHash(), 64, "hash"), "hash");
                if (h.length != 32) {
                    throw LedgerException.invalid("hash must be 32 bytes (64 hex characters)");
                }
                yield Panache.withSession(() -> txs.findByHash(h)).map(e -> record(e, "tx " + r.getHash()));
            }
            case HEIGHT -> Panache.withSession(() -> txs.findById(r.getHeight()))
                    .map(e -> record(e, "tx at height " + Long.toUnsignedString(r.getHeight())));
            default -> throw LedgerException.invalid("hash or height is required");
        };
    }

    public Uni<List<TxRecord>> txs(long fromHeight, int size) {
        return Panache.withSession(() -> txs.fromHeight(fromHeight, size)).map(l -> l.stream().map(QueryService::toRecord)
                .toList());
    }

    private static TxRecord record(TxLogEntity e, String what) {
        if (e == null) {
            throw LedgerException.notFound(what + " not found");
        }
        return toRecord(e);
    }

    static TxRecord toRecord(TxLogEntity e) {
        return TxRecord.newBuilder()
                .setHeight(e.height)
                .setHash(Inputs.hex(e.hash))
                .setPrevHash(Inputs.hex(e.prevHash))
                .setKind(e.kind)
                .setTxBytes(ByteString.copyFrom(e.txBytes))
                .setOutcome(e.outcome)
                .setSender(e.sender)
                .setTimeUnixMs(e.timeUnixMs)
                .build();
    }
}
