-- The party's own results: one row per answered request, written once and never updated.
-- sealed_share is the secret share sealed with AES-256-GCM inside the party's token (HsmToken.seal,
-- associated data ShareSealing.aad); the share itself never reaches the database.
create table party_key_record (
    request_id         bigint      primary key,
    key_type           integer     not null,
    session_id         bytea       not null,
    participant_id     integer     not null,
    public_key_package bytea       not null,
    sealed_share       bytea       not null,
    response           bytea       not null,
    created_at         timestamptz not null default now(),
    constraint party_key_record_session_id_length check (octet_length(session_id) = 32),
    constraint party_key_record_participant check (participant_id between 1 and 255)
);
