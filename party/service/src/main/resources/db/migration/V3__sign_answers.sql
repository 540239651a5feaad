-- The party's signed answers to sign requests: one row per sign request this party answered, written once and
-- never updated or deleted, so that a repeated Sign call gets the same answer and no second signing session runs
-- for a request already answered. Only the answer is kept (its signatures are public once sent): nonces and
-- unsealed shares never reach the database.
create table party_sign_answer (
    sign_request_id bigint      primary key,
    -- The key (its key request id) the request signs with.
    key_id          bigint      not null,
    -- The signing session id (api SignSessionId) the answer was made for.
    session_id      bytea       not null,
    -- SignRequestStatus number of the answer: 3 FULFILLED, 4 REJECTED.
    status          smallint    not null,
    -- The signed PartySignResponse, exactly as first returned.
    response        bytea       not null,
    created_at      timestamptz not null default now(),
    constraint party_sign_answer_session_id_length check (octet_length(session_id) = 32),
    constraint party_sign_answer_status check (status in (3, 4))
);

create function party_sign_answer_guard() returns trigger language plpgsql as $$
begin
    raise exception 'party_sign_answer rows are written once (sign request %)', old.sign_request_id;
end;
$$;
create trigger party_sign_answer_guard before update or delete on party_sign_answer
    for each row execute function party_sign_answer_guard();
