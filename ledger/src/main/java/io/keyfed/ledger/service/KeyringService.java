package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgAddKeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgRemoveKeyringParty;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.model.KeyringEntity;
import io.keyfed.ledger.repository.KeyringRepository;
import io.smallrye.mutiny.Uni;

/** Keyring messages. Only admins may send them; 1 <= party_threshold <= parties always holds. */
@ApplicationScoped
public class KeyringService {
    private static final Comparator<KeyringParty> BY_ADDRESS = Comparator.comparing(KeyringParty::getAddress);

    private final KeyringRepository keyrings;

    public KeyringService(KeyringRepository keyrings) {
        this.keyrings = keyrings;
    }

    /** A party: a valid compressed key whose account address is the one given. */
    public static void validateParty(KeyringParty p, String prefix) {
        Inputs.address(p.getAddress(), prefix, "party address");
        Inputs.secp256k1Key(p.getPublicKey().toByteArray(), "public_key of party " + p.getAddress());
        String derived = Addresses.account(prefix, p.getPublicKey().toByteArray());
        if (!derived.equals(p.getAddress())) {
            throw LedgerException.invalid("party address " + p.getAddress() + " does not match its public key (which gives "
                    + derived + ")");
        }
    }

    public static void validate(MsgNewKeyring m, String prefix) {
        Inputs.text(m.getDescription(), Inputs.MAX_DESCRIPTION, "description");
        Inputs.amount(m.getKeyReqFee(), "key_req_fee");
        Inputs.amount(m.getSigReqFee(), "sig_req_fee");
        Inputs.listSize(m.getPartiesCount(), Inputs.MAX_PARTIES, "parties");
        Set<String> seen = new HashSet<>();
        for (KeyringParty p : m.getPartiesList()) {
            validateParty(p, prefix);
            if (!seen.add(p.getAddress())) {
                throw LedgerException.invalid("party " + p.getAddress() + " is listed twice");
            }
        }
        checkThreshold(m.getPartyThreshold(), m.getPartiesCount());
    }

    public static void validate(MsgAddKeyringParty m, String prefix) {
        Inputs.address(m.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        if (!m.hasParty()) {
            throw LedgerException.invalid("party is required");
        }
        validateParty(m.getParty(), prefix);
    }

    public static void validate(MsgRemoveKeyringParty m, String prefix) {
        Inputs.address(m.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        Inputs.address(m.getPartyAddr(), prefix, "party_addr");
    }

    public static void validate(MsgUpdateKeyring m) {
        Inputs.address(m.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        if (m.hasDescription()) {
            Inputs.text(m.getDescription(), Inputs.MAX_DESCRIPTION, "description");
        }
        if (m.hasKeyReqFee()) {
            Inputs.amount(m.getKeyReqFee(), "key_req_fee");
        }
        if (m.hasSigReqFee()) {
            Inputs.amount(m.getSigReqFee(), "sig_req_fee");
        }
    }

    private static void checkThreshold(int uint32Threshold, int parties) {
        long threshold = Integer.toUnsignedLong(uint32Threshold);
        if (threshold < 1 || threshold > parties) {
            throw LedgerException.invalid("party_threshold " + threshold + " must be between 1 and the number of parties ("
                    + parties + ")");
        }
    }

    public Uni<Void> create(TxContext ctx, MsgNewKeyring m) {
        String address = Addresses.keyring(ctx.sender, ctx.senderAccount.sequence);
        List<KeyringParty> parties = new ArrayList<>(m.getPartiesList());
        parties.sort(BY_ADDRESS);
        Keyring k = Keyring.newBuilder()
                .setAddress(address)
                .setCreator(ctx.sender)
                .setDescription(m.getDescription())
                .addAdmins(ctx.sender)
                .addAllParties(parties)
                .setPartyThreshold(m.getPartyThreshold())
                .setKeyReqFee(Long.toString(Inputs.amount(m.getKeyReqFee(), "key_req_fee")))
                .setSigReqFee(Long.toString(Inputs.amount(m.getSigReqFee(), "sig_req_fee")))
                .setIsActive(true)
                .build();
        KeyringEntity e = new KeyringEntity();
        e.address = address;
        e.creator = ctx.sender;
        e.createdHeight = ctx.height();
        e.data = k.toByteArray();
        ctx.createdAddress = address;
        ctx.outcome = "keyring " + address + " created with " + parties.size() + " part" + (parties.size() == 1 ? "y" : "ies")
                + ", threshold " + m.getPartyThreshold();
        return keyrings.persist(e).replaceWithVoid();
    }

    public Uni<Void> addParty(TxContext ctx, MsgAddKeyringParty m) {
        return administeredBySender(ctx, m.getKeyringAddr()).invoke(e -> {
            Keyring k = Protos.keyring(e);
            String addr = m.getParty().getAddress();
            if (k.getPartiesList().stream().anyMatch(p -> p.getAddress().equals(addr))) {
                throw LedgerException.precondition("party " + addr + " is already in keyring " + k.getAddress());
            }
            if (k.getPartiesCount() >= Inputs.MAX_PARTIES) {
                throw LedgerException.precondition("keyring " + k.getAddress() + " already has " + Inputs.MAX_PARTIES
                        + " parties");
            }
            List<KeyringParty> parties = new ArrayList<>(k.getPartiesList());
            parties.add(m.getParty());
            parties.sort(BY_ADDRESS);
            e.data = k.toBuilder().clearParties().addAllParties(parties).build().toByteArray();
            ctx.outcome = "party " + addr + " added to keyring " + k.getAddress();
        }).replaceWithVoid();
    }

    public Uni<Void> removeParty(TxContext ctx, MsgRemoveKeyringParty m) {
        return administeredBySender(ctx, m.getKeyringAddr()).invoke(e -> {
            Keyring k = Protos.keyring(e);
            List<KeyringParty> parties = new ArrayList<>(k.getPartiesList());
            if (!parties.removeIf(p -> p.getAddress().equals(m.getPartyAddr()))) {
                throw LedgerException.precondition("party " + m.getPartyAddr() + " is not in keyring " + k.getAddress());
            }
            if (parties.size() < k.getPartyThreshold() || parties.isEmpty()) {
                throw LedgerException.precondition("removing party " + m.getPartyAddr() + " would leave "
                        + parties.size() + " parties, below the threshold " + k.getPartyThreshold());
            }
            e.data = k.toBuilder().clearParties().addAllParties(parties).build().toByteArray();
            ctx.outcome = "party " + m.getPartyAddr() + " removed from keyring " + k.getAddress();
        }).replaceWithVoid();
    }

    public Uni<Void> update(TxContext ctx, MsgUpdateKeyring m) {
        return administeredBySender(ctx, m.getKeyringAddr()).invoke(e -> {
            Keyring.Builder b = Protos.keyring(e).toBuilder();
            List<String> changed = new ArrayList<>();
            if (m.hasDescription()) {
                b.setDescription(m.getDescription());
                changed.add("description");
            }
            if (m.hasPartyThreshold()) {
                checkThreshold(m.getPartyThreshold(), b.getPartiesCount());
                b.setPartyThreshold(m.getPartyThreshold());
                changed.add("party_threshold=" + m.getPartyThreshold());
            }
            if (m.hasKeyReqFee()) {
                b.setKeyReqFee(Long.toString(Inputs.amount(m.getKeyReqFee(), "key_req_fee")));
                changed.add("key_req_fee=" + b.getKeyReqFee());
            }
            if (m.hasSigReqFee()) {
                b.setSigReqFee(Long.toString(Inputs.amount(m.getSigReqFee(), "sig_req_fee")));
                changed.add("sig_req_fee=" + b.getSigReqFee());
            }
            if (m.hasIsActive()) {
                b.setIsActive(m.getIsActive());
                changed.add("is_active=" + m.getIsActive());
            }
            e.data = b.build().toByteArray();
            ctx.outcome = "keyring " + b.getAddress() + " updated" + (changed.isEmpty() ? " (no change)"
                    : ": " + String.join(", ", changed));
        }).replaceWithVoid();
    }

    /** The keyring, if it exists (NOT_FOUND) and the sender administers it (PERMISSION_DENIED). */
    public Uni<KeyringEntity> administeredBySender(TxContext ctx, String address) {
        return keyrings.findById(address).map(e -> {
            if (e == null) {
                throw LedgerException.notFound("keyring " + address + " not found");
            }
            if (!Protos.keyring(e).getAdminsList().contains(ctx.sender)) {
                throw LedgerException.denied(ctx.sender + " is not an admin of keyring " + address);
            }
            return e;
        });
    }
}
