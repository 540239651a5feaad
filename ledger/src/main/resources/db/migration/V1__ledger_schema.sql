-- KeyFed ledger schema. Records whose shape is a protobuf message (workspace, keyring, key request,
-- key) keep that message serialised in "data" next to the columns that queries filter on.

-- Singleton row holding the ledger parameters fixed at genesis.
create table params (
    id                      integer primary key check (id = 1),
    chain_id                varchar(64)  not null,
    address_prefix          varchar(32)  not null,
    denom                   varchar(16)  not null,
    genesis_supply          bigint       not null check (genesis_supply >= 0),
    escrow_address          varchar(90)  not null,
    default_timeout_seconds bigint       not null check (default_timeout_seconds > 0),
    max_timeout_seconds     bigint       not null check (max_timeout_seconds > 0)
);

-- Singleton row: the head of the tx log. Every state change locks it (select ... for update), which
-- serialises writers across ledger replicas and makes log heights and event cursors follow commit order.
create table chain_head (
    id              integer primary key check (id = 1),
    height          bigint  not null,
    hash            bytea   not null,
    next_request_id bigint  not null
);

create table accounts (
    address    varchar(90) primary key,
    public_key bytea,
    sequence   bigint not null default 0 check (sequence >= 0),
    balance    bigint not null default 0 check (balance >= 0)
);

create table tx_log (
    height       bigint primary key,
    hash         bytea  not null unique,
    prev_hash    bytea  not null,
    kind         varchar(16) not null,
    tx_bytes     bytea  not null,
    outcome      text   not null,
    sender       varchar(90) not null,
    time_unix_ms bigint not null
);

create table workspaces (
    address        varchar(90) primary key,
    creator        varchar(90) not null,
    created_height bigint not null,
    data           bytea  not null
);
create index workspaces_creator_idx on workspaces (creator);

create table workspace_owners (
    id             bigserial primary key,
    workspace_addr varchar(90) not null references workspaces (address),
    owner          varchar(90) not null,
    unique (workspace_addr, owner)
);
create index workspace_owners_owner_idx on workspace_owners (owner);

create table keyrings (
    address        varchar(90) primary key,
    creator        varchar(90) not null,
    created_height bigint not null,
    data           bytea  not null
);

create table key_requests (
    id                   bigint primary key,
    workspace_addr       varchar(90) not null,
    keyring_addr         varchar(90) not null,
    status               integer not null,
    deadline_unix_ms     bigint  not null,
    -- Public key reported by the first FULFILLED response; later ones must match it.
    candidate_public_key bytea,
    data                 bytea   not null
);
create index key_requests_keyring_idx on key_requests (keyring_addr, id);
create index key_requests_workspace_idx on key_requests (workspace_addr, id);
create index key_requests_open_deadline_idx on key_requests (deadline_unix_ms) where status in (1, 2);

create table keys (
    id             bigint primary key,
    workspace_addr varchar(90) not null,
    keyring_addr   varchar(90) not null,
    data           bytea  not null
);
create index keys_workspace_idx on keys (workspace_addr, id);

-- One row per transition of a key request, holding the request after it. The cursor is assigned
-- while the chain-head lock is held, so cursor order equals commit order.
create table key_request_events (
    cursor       bigserial primary key,
    request_id   bigint  not null,
    keyring_addr varchar(90) not null,
    status       integer not null,
    data         bytea   not null
);
create index key_request_events_keyring_idx on key_request_events (keyring_addr, cursor);
