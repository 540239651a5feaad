package io.keyfed.ledger.grpc;

import java.util.function.Supplier;

import io.keyfed.api.ledger.v1.Account;
import io.keyfed.api.ledger.v1.Balance;
import io.keyfed.api.ledger.v1.BroadcastTxRequest;
import io.keyfed.api.ledger.v1.GetAccountRequest;
import io.keyfed.api.ledger.v1.GetBalanceRequest;
import io.keyfed.api.ledger.v1.GetKeyringRequest;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.api.ledger.v1.GetWorkspaceRequest;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyResponse;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListKeyRequestsRequest;
import io.keyfed.api.ledger.v1.ListKeyRequestsResponse;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.ListKeysResponse;
import io.keyfed.api.ledger.v1.ListWorkspacesRequest;
import io.keyfed.api.ledger.v1.ListWorkspacesResponse;
import io.keyfed.api.ledger.v1.Params;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.TxRecord;
import io.keyfed.api.ledger.v1.TxResult;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.ledger.v1.ListSignRequestsRequest;
import io.keyfed.api.ledger.v1.ListSignRequestsResponse;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import io.keyfed.api.ledger.v1.Workspace;
import io.keyfed.ledger.service.KeyRequestService;
import io.keyfed.ledger.service.QueryService;
import io.keyfed.ledger.service.SignAnswers;
import io.keyfed.ledger.service.SignRequestService;
import io.keyfed.ledger.service.SignRequestQueries;
import io.keyfed.ledger.service.TxService;
import io.keyfed.ledger.stream.KeyRequestWatchServer;
import io.keyfed.ledger.stream.SignRequestWatchServer;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The gRPC face of the ledger; all logic lives in the services. */
@GrpcService
public class LedgerGrpcService implements Ledger {
    private final TxService txs;
    private final KeyRequestService keyRequests;
    private final SignAnswers signAnswers;
    private final QueryService queries;
    private final KeyRequestWatchServer watcher;
    private final SignRequestQueries signQueries;
    private final SignRequestWatchServer signWatcher;

    public LedgerGrpcService(TxService txs, KeyRequestService keyRequests, SignAnswers signAnswers,
            QueryService queries, KeyRequestWatchServer watcher, SignRequestQueries signQueries,
            SignRequestWatchServer signWatcher) {
        this.txs = txs;
        this.keyRequests = keyRequests;
        this.signAnswers = signAnswers;
        this.queries = queries;
        this.watcher = watcher;
        this.signQueries = signQueries;
        this.signWatcher = signWatcher;
    }

    private static <T> Uni<T> call(Supplier<Uni<? extends T>> s) {
        return Uni.createFrom().<T>deferred(s).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<TxResult> broadcastTx(BroadcastTxRequest request) {
        return call(() -> txs.broadcast(request.getTxBytes().toByteArray()));
    }

    @Override
    public Uni<KeyRequest> fulfilKeyRequest(PartyResponse request) {
        return call(() -> keyRequests.fulfil(request).map(KeyRequestService.Fulfilment::request));
    }

    @Override
    public Uni<Params> getParams(GetParamsRequest request) {
        return call(() -> Uni.createFrom().item(queries.params()));
    }

    @Override
    public Uni<Account> getAccount(GetAccountRequest request) {
        return call(() -> queries.account(request.getAddress()));
    }

    @Override
    public Uni<Balance> getBalance(GetBalanceRequest request) {
        return call(() -> queries.balance(request.getAddress()));
    }

    @Override
    public Uni<Workspace> getWorkspace(GetWorkspaceRequest request) {
        return call(() -> queries.workspace(request.getAddress()));
    }

    @Override
    public Uni<ListWorkspacesResponse> listWorkspaces(ListWorkspacesRequest request) {
        return call(() -> queries.workspaces(request));
    }

    @Override
    public Uni<Keyring> getKeyring(GetKeyringRequest request) {
        return call(() -> queries.keyring(request.getAddress()));
    }

    @Override
    public Uni<KeyRequest> getKeyRequest(KeyRequestByIdRequest request) {
        return call(() -> queries.keyRequest(request.getId()));
    }

    @Override
    public Uni<ListKeyRequestsResponse> listKeyRequests(ListKeyRequestsRequest request) {
        return call(() -> queries.keyRequests(request));
    }

    @Override
    public Uni<KeyResponse> getKey(KeyByIdRequest request) {
        return call(() -> queries.key(request));
    }

    @Override
    public Uni<ListKeysResponse> listKeys(ListKeysRequest request) {
        return call(() -> queries.keys(request));
    }

    @Override
    public Uni<TxRecord> getTx(GetTxRequest request) {
        return call(() -> queries.tx(request));
    }

    @Override
    public Multi<KeyRequestEvent> watchKeyRequests(WatchKeyRequestsRequest request) {
        return Multi.createFrom().deferred(() -> watcher.watch(request)).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<SignRequest> fulfilSignatureRequest(PartySignResponse request) {
        return call(() -> signAnswers.fulfil(request).map(SignRequestService.Change::request));
    }

    @Override
    public Uni<SignRequest> getSignRequest(SignRequestByIdRequest request) {
        return call(() -> signQueries.signRequest(request.getId()));
    }

    @Override
    public Uni<ListSignRequestsResponse> listSignRequests(ListSignRequestsRequest request) {
        return call(() -> signQueries.signRequests(request));
    }

    @Override
    public Multi<SignRequestEvent> watchSignRequests(WatchSignRequestsRequest request) {
        return Multi.createFrom().deferred(() -> signWatcher.watch(request)).onFailure().transform(GrpcErrors::toStatus);
    }
}
