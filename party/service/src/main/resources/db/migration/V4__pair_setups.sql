-- The party's DKLs23 pairwise setups: at most one per other keyring party, sealed in the token (AES-256-GCM under
-- the sealing key, associated data binding this party's and the peer's addresses and identity keys and the setup
-- id; see pairing.PairSealing). A fresh setup with the peer replaces the row; a failed OT or multiplication check
-- deletes it. The encoded setup never reaches the database unsealed.
create table party_pair_setup (
    -- The other party's account address.
    peer_address text        primary key,
    -- The setup's public id (both parties hold the same).
    setup_id     bytea       not null,
    -- The sealed encoded setup (HsmToken.seal): base OTs in both directions and the pair's zero-sharing seed.
    sealed       bytea       not null,
    created_at   timestamptz not null default now(),
    constraint party_pair_setup_setup_id_length check (octet_length(setup_id) = 32)
);
