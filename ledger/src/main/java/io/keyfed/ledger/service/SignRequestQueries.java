package io.keyfed.ledger.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.ListSignRequestsRequest;
import io.keyfed.api.ledger.v1.ListSignRequestsResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.model.SignRequestEntity;
import io.keyfed.ledger.repository.SignRequestRepository;
import io.keyfed.ledger.repository.SignRequestSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** Read side of sign requests, shared by gRPC and REST. Each query validates its input first. */
@ApplicationScoped
public class SignRequestQueries {
    private static final String TOKEN_KIND = "sr";

    private final SignRequestRepository requests;
    private final SignRequestSql requestSql;
    private final Pool pool;

    public SignRequestQueries(SignRequestRepository requests, SignRequestSql requestSql, Pool pool) {
        this.requests = requests;
        this.requestSql = requestSql;
        this.pool = pool;
    }

    private static SignRequest proto(SignRequestEntity e) {
        return Protos.parse(SignRequest.parser(), e.data);
    }

    /** One request, read in plain SQL: each party reads every request it is asked to sign. */
    public Uni<SignRequest> signRequest(long id) {
        return requestSql.committedData(pool, id).map(data -> {
            if (data == null) {
                throw LedgerException.notFound("sign request " + Long.toUnsignedString(id) + " not found");
            }
            return Protos.parse(SignRequest.parser(), data);
        });
    }

    public Uni<ListSignRequestsResponse> signRequests(ListSignRequestsRequest r) {
        if (!r.getWorkspaceAddr().isEmpty()) {
            Inputs.address(r.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        }
        if (!r.getKeyringAddr().isEmpty()) {
            Inputs.address(r.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        }
        SignRequestStatus status = SignRequestStatus.forNumber(r.getStatusValue());
        if (status == null) {
            throw LedgerException.invalid("status " + r.getStatusValue() + " is not a SignRequestStatus");
        }
        int size = PageTokens.size(Integer.toUnsignedLong(r.getPageSize()));
        long after = PageTokens.decodeId(TOKEN_KIND, r.getPageToken());
        return Panache.withSession(() -> requests.page(r.getKeyId(), r.getWorkspaceAddr(), r.getKeyringAddr(),
                r.getStatusValue(), after, size + 1)).map(list -> {
                    ListSignRequestsResponse.Builder b = ListSignRequestsResponse.newBuilder();
                    List<SignRequestEntity> page = list.size() > size ? list.subList(0, size) : list;
                    page.forEach(e -> b.addRequests(proto(e)));
                    if (list.size() > size) {
                        b.setNextPageToken(PageTokens.encode(TOKEN_KIND, Long.toString(page.get(size - 1).id)));
                    }
                    return b.build();
                });
    }
}
