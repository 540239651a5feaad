-- Sign requests (MsgNewSignatureRequest). Like key_requests, "data" holds the serialised SignRequest
-- message (the source of truth) next to the columns that queries filter on.
create table sign_requests (
    id               bigint primary key,
    key_id           bigint      not null references keys (id),
    workspace_addr   varchar(90) not null,
    keyring_addr     varchar(90) not null,
    status           integer     not null,
    deadline_unix_ms bigint      not null,
    -- W3C traceparent of the commit that created the request; the watch stream continues its trace.
    traceparent      varchar(64) not null default '',
    data             bytea       not null
);
create index sign_requests_keyring_idx on sign_requests (keyring_addr, id);
create index sign_requests_workspace_idx on sign_requests (workspace_addr, id);
create index sign_requests_key_idx on sign_requests (key_id, id);
create index sign_requests_open_deadline_idx on sign_requests (deadline_unix_ms) where status in (1, 2);

-- Sign requests have their own id sequence, assigned under the chain-head lock as key requests' is.
alter table chain_head add column next_sign_request_id bigint not null default 1;

-- One event table for both kinds of request, so that cursors of both streams follow commit order in one
-- sequence. kind: 1 key request, 2 sign request; request_id is the id within its kind.
alter table key_request_events rename to request_events;
alter table request_events add column kind smallint not null default 1 check (kind in (1, 2));
drop index key_request_events_keyring_idx;
create index request_events_keyring_idx on request_events (keyring_addr, kind, cursor);
create index request_events_request_idx on request_events (kind, request_id, cursor);
