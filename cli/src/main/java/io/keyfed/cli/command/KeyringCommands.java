package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgAddKeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgRemoveKeyringParty;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.SigningKey;

/** {@code keyring create|add-party|remove-party|update|show}. */
final class KeyringCommands {
    private static final String PARTY_HELP = "party as ADDR:PUBHEX (33-byte compressed secp256k1 key in hex), "
            + "or the name of a stored key";

    private KeyringCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(TxCommandSupport.txSpec("keyring create", "Create a keyring administered by the signer")
                .addOption(Specs.required("--description", "D", "description"))
                .addOption(Specs.required("--threshold", "T", "party responses needed to fulfil a request"))
                .addOption(Specs.required("--key-fee", "N", "fee per key request, urock"))
                .addOption(Specs.value("--sig-fee", "N", "fee per signature request, urock (default 0)"))
                .addOption(Specs.requiredRepeated("--party", "ADDR:PUBHEX", PARTY_HELP)),
                KeyringCommands::create);
        r.add(TxCommandSupport.txSpec("keyring add-party", "Add a party to a keyring")
                .addOption(Specs.required("--keyring", "K", "keyring address"))
                .addOption(Specs.required("--party", "ADDR:PUBHEX", PARTY_HELP)),
                KeyringCommands::addParty);
        r.add(TxCommandSupport.txSpec("keyring remove-party", "Remove a party from a keyring")
                .addOption(Specs.required("--keyring", "K", "keyring address"))
                .addOption(Specs.required("--party-addr", "ADDR", "the party's account address")),
                KeyringCommands::removeParty);
        r.add(TxCommandSupport.txSpec("keyring update", "Change a keyring's settings (unset ones stay)")
                .addOption(Specs.required("--keyring", "K", "keyring address"))
                .addOption(Specs.value("--threshold", "T", "new party threshold"))
                .addOption(Specs.value("--key-fee", "N", "new fee per key request, urock"))
                .addOption(Specs.value("--sig-fee", "N", "new fee per signature request, urock"))
                .addOption(Specs.choice("--active", "true|false", "activate or deactivate", List.of("true", "false")))
                .addOption(Specs.value("--description", "D", "new description")),
                KeyringCommands::update);
        r.add(Specs.command("keyring show", "Show a keyring").addPositional(Specs.arg("ADDR")), """
                Output: the keyring's fields as aligned lines (parties[i].address / parties[i].public_key).
                --json prints the ledger's JSON.""", KeyringCommands::show);
    }

    static int create(Context ctx, Args a) throws Exception {
        long threshold = a.longValue("--threshold");
        if (threshold > 0xFFFFFFFFL) {
            throw a.error("--threshold is too large");
        }
        String keyFee = a.amount("--key-fee");
        String sigFee = a.has("--sig-fee") ? a.amount("--sig-fee") : "0";
        String prefix = ctx.accountPrefix(a);
        List<KeyringParty> parties = new ArrayList<>();
        for (String p : a.all("--party")) {
            parties.add(party(ctx, a, p, prefix));
        }
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setNewKeyring(MsgNewKeyring.newBuilder()
                        .setDescription(a.get("--description"))
                        .setPartyThreshold((int) threshold)
                        .setKeyReqFee(keyFee)
                        .setSigReqFee(sigFee)
                        .addAllParties(parties)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int addParty(Context ctx, Args a) throws Exception {
        KeyringParty party = party(ctx, a, a.get("--party"), ctx.accountPrefix(a));
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setAddKeyringParty(MsgAddKeyringParty.newBuilder()
                        .setKeyringAddr(a.get("--keyring")).setParty(party)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int removeParty(Context ctx, Args a) throws Exception {
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setRemoveKeyringParty(MsgRemoveKeyringParty.newBuilder()
                        .setKeyringAddr(a.get("--keyring")).setPartyAddr(a.get("--party-addr"))));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int update(Context ctx, Args a) throws Exception {
        MsgUpdateKeyring.Builder m = MsgUpdateKeyring.newBuilder().setKeyringAddr(a.get("--keyring"));
        Long threshold = a.longValue("--threshold");
        if (threshold != null) {
            if (threshold > 0xFFFFFFFFL) {
                throw a.error("--threshold is too large");
            }
            m.setPartyThreshold((int) (long) threshold);
        }
        if (a.has("--key-fee")) {
            m.setKeyReqFee(a.amount("--key-fee"));
        }
        if (a.has("--sig-fee")) {
            m.setSigReqFee(a.amount("--sig-fee"));
        }
        Boolean active = a.bool("--active");
        if (active != null) {
            m.setIsActive(active);
        }
        if (a.has("--description")) {
            m.setDescription(a.get("--description"));
        }
        if (!m.hasPartyThreshold() && !m.hasKeyReqFee() && !m.hasSigReqFee() && !m.hasIsActive()
                && !m.hasDescription()) {
            throw a.error("nothing to update: give at least one of --threshold, --key-fee, --sig-fee, --active, "
                    + "--description");
        }
        JsonNode result = TxCommandSupport.submit(ctx, a.get("--from"), b -> b.setUpdateKeyring(m));
        TxCommandSupport.print(ctx, result);
        return 0;
    }

    static int show(Context ctx, Args a) throws Exception {
        JsonNode kr = ctx.api().keyring(a.positional(0));
        if (ctx.json()) {
            ctx.output().json(kr);
        } else if (ctx.quiet()) {
            ctx.output().line(LedgerJson.text(kr, LedgerJson.ADDRESS));
        } else {
            ctx.output().object(kr);
        }
        return 0;
    }

    /** ADDR:PUBHEX, or the name of a stored key (its address and public key). */
    static KeyringParty party(Context ctx, Args a, String spec, String prefix) throws Exception {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            if (ctx.keys().exists(spec)) {
                SigningKey k = ctx.keys().load(spec);
                try {
                    return KeyringParty.newBuilder().setAddress(k.address(prefix))
                            .setPublicKey(ByteString.copyFrom(k.publicKey())).build();
                } finally {
                    k.destroy();
                }
            }
            throw a.error("--party '" + spec + "' is neither ADDR:PUBHEX nor the name of a stored key");
        }
        return parseParty(a, spec);
    }

    static KeyringParty parseParty(Args a, String spec) {
        int colon = spec.lastIndexOf(':');
        String addr = spec.substring(0, colon);
        String hex = spec.substring(colon + 1);
        byte[] pub;
        try {
            pub = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw a.error("--party '" + spec + "': public key is not hex");
        }
        if (addr.isEmpty() || pub.length != 33) {
            throw a.error("--party '" + spec + "': expected ADDR:PUBHEX with a 33-byte (66 hex digit) public key");
        }
        return KeyringParty.newBuilder().setAddress(addr).setPublicKey(ByteString.copyFrom(pub)).build();
    }
}
