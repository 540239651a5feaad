-- Shares are stored before they are confirmed. A DKG session seals its verified share and stores it, marked
-- 'pending', before it sends its CONFIRM; the row has no answer yet (response null). The pending share then
-- becomes 'active' (FULFILLED: every peer confirmed, or the ledger shows the request FULFILLED with this
-- party's key) or 'retired' (the ledger shows the request REJECTED), and only then gets its signed answer.
-- A share is never deleted: retiring marks it. Rows of REJECTED answers given before any share existed
-- have no share and no state.
alter table party_key_record add column share_state text;
update party_key_record set share_state = 'active' where octet_length(sealed_share) > 0;
alter table party_key_record alter column response drop not null;
-- When the pending share was resolved (active or retired).
alter table party_key_record add column resolved_at timestamptz;
-- The ledger recorded the request FULFILLED with another key than the one this party verified: that key,
-- and when it was seen. The share stays pending (not attested) and is listed by the admin view.
alter table party_key_record add column ledger_public_key bytea;
alter table party_key_record add column mismatch_at timestamptz;

alter table party_key_record add constraint party_key_record_share_state
    check (share_state in ('pending', 'active', 'retired'));
alter table party_key_record add constraint party_key_record_state_with_share
    check ((share_state is null) = (octet_length(sealed_share) = 0));
alter table party_key_record add constraint party_key_record_answered
    check ((response is null) = (share_state is not distinct from 'pending'));
create index party_key_record_pending on party_key_record (request_id) where share_state = 'pending';

-- Rows are never deleted, and a resolved share never changes state again.
create function party_key_record_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'party_key_record rows are never deleted (request %)', old.request_id;
    end if;
    if old.share_state is distinct from 'pending' and new.share_state is distinct from old.share_state then
        raise exception 'the share of request % is % and cannot change state', old.request_id, old.share_state;
    end if;
    return new;
end;
$$;
create trigger party_key_record_guard before update or delete on party_key_record
    for each row execute function party_key_record_guard();
