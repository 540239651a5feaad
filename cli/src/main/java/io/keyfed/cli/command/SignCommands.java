package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.cli.http.LedgerJson;

/** {@code sign} (submit a sign request), {@code sign show} and {@code sign list}. */
final class SignCommands {
    /** Short sign-request status names, for shell completion and messages. */
    static final List<String> STATUSES = List.of("pending", "partial", "fulfilled", "rejected");
    /** Most messages in one request (MsgNewSignatureRequest allows 1..64). */
    static final int MAX_MESSAGES = 64;

    private SignCommands() {
    }

    static void register(CommandRegistry r) {
        // --from, --key and --message are checked by the command itself: picocli would also demand the options
        // of "sign" when "sign show" or "sign list" is run.
        r.add(Specs.command("sign", "Ask a key's keyring for one signature per message")
                .addOption(Specs.value("--from", "NAME", "name of the signing key in HOME/keys (required)"))
                .addOption(Specs.value("--key", "ID", "the key to sign with (required)"))
                .addOption(Specs.repeated("--message", "HEX", "a message to sign, hex: 32 bytes for taproot, ecdsa "
                        + "and bitcoin keys, 1..1232 bytes for ed25519 keys (1 to " + MAX_MESSAGES + " of them)"))
                .addOption(Specs.value("--max-fee", "N", "refuse the request if its fee (sig_req_fee x messages) "
                        + "would exceed N urock"))
                .addOption(Specs.value("--timeout", "SECONDS", "seconds until the request is rejected and refunded "
                        + "(default: the ledger's)"))
                .addOption(Specs.flag("--wait", "wait until the request is FULFILLED or REJECTED, then print the "
                        + "signatures"))
                .addOption(Specs.value("--wait-timeout", "SECONDS", "give up waiting after this long (default "
                        + KeyCommands.DEFAULT_WAIT_SECONDS + ")")), """
                        Output: height, hash, outcome, sign_request_id. --quiet prints only the request id.
                        With --wait: then 'status: STATUS (n of t answers)' on each change (stderr with
                        --quiet/--json) and, once FULFILLED, 'scheme' and 'verifying_key' (what the signatures
                        verify under) and one 'signature N: HEX' line per message. For ECDSA (ecdsa and bitcoin
                        keys) it adds the recovery id and indented r, s, v (the recovery id and Ethereum's
                        27 + id), 'ethereum' (r||s||v, 65 bytes), 'der' (bitcoin keys: strict DER, BIP-66) and
                        'recovers_to': the EVM address the signature recovers to, computed here, and whether it is
                        the key's (exit status 1, 'error: BAD_SIGNATURE: ...', if not). A REJECTED request
                        prints its reason and the refunded fee and exits with status 1
                        ('error: REJECTED: ...'); so does a wait timeout ('error: DEADLINE_EXCEEDED: ...').
                        --json with --wait prints {"tx":{...},"request":{...}}; for ECDSA the request carries
                        "ecdsa": one {r,s,recovery_id,v,ethereum,der,recovered_public_key,
                        recovered_evm_address,key_evm_address,matches_key} per signature.
                        See also: 'sign show ID' and 'sign list'.""",
                SignCommands::sign);
        r.add(Specs.command("sign show", "Show one sign request").addPositional(Specs.arg("ID")), """
                Output: the request's fields as aligned lines (messages, verifying_key and signatures in hex);
                for a FULFILLED ECDSA request then 'ecdsa signature N:' with the forms 'sign --wait' prints.
                --quiet prints only the status; --json prints the ledger's JSON (for ECDSA plus the client's
                "ecdsa" array, as 'sign --wait --json').""", SignCommands::show);
        r.add(Specs.command("sign list", "List sign requests")
                .addOption(Specs.value("--key", "ID", "only this key's"))
                .addOption(Specs.value("--workspace", "W", "only this workspace's"))
                .addOption(Specs.value("--keyring", "K", "only this keyring's"))
                .addOption(Specs.choice("--status", "S", "only this status: pending, partial, fulfilled, rejected",
                        STATUSES)), """
                        Output: an ID STATUS SCHEME MESSAGES ANSWERS KEY KEYRING table. --quiet prints only the ids;
                        --json prints {"requests":[...],"next_page_token":""}.""",
                SignCommands::list);
    }

    private static String required(Args a, String option) {
        String v = a.get(option);
        if (v == null) {
            throw a.error("missing required option " + option);
        }
        return v;
    }

    /** The --message values as bytes: each non-empty, even-length hex (an optional 0x prefix is allowed). */
    static List<byte[]> messages(Args a) {
        List<String> hex = a.all("--message");
        if (hex.isEmpty()) {
            throw a.error("missing required option --message (at least one message to sign)");
        }
        if (hex.size() > MAX_MESSAGES) {
            throw a.error("--message given " + hex.size() + " times; at most " + MAX_MESSAGES + " messages per request");
        }
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            String v = h.startsWith("0x") || h.startsWith("0X") ? h.substring(2) : h;
            if (v.isEmpty() || v.length() % 2 != 0 || !v.matches("[0-9a-fA-F]+")) {
                throw a.error("invalid value for --message: '" + Output.escape(h)
                        + "' (expected hex bytes, an even number of 0-9a-f digits)");
            }
            out.add(HexFormat.of().parseHex(v));
        }
        return out;
    }

    static int sign(Context ctx, Args a) throws Exception {
        String from = required(a, "--from");
        long keyId = a.parseNonNegative("--key", required(a, "--key"));
        List<byte[]> messages = messages(a);
        String maxFee = a.amount("--max-fee");
        long timeout = a.longValue("--timeout", 0);
        long waitSeconds = a.longValue("--wait-timeout", KeyCommands.DEFAULT_WAIT_SECONDS);
        boolean wait = a.has("--wait");
        if (a.has("--wait-timeout") && !wait) {
            throw a.error("--wait-timeout needs --wait");
        }
        MsgNewSignatureRequest.Builder m = MsgNewSignatureRequest.newBuilder().setKeyId(keyId).setTimeoutSeconds(timeout);
        messages.forEach(b -> m.addMessages(ByteString.copyFrom(b)));
        if (maxFee != null) {
            m.setMaxFee(maxFee);
        }
        JsonNode result = TxCommandSupport.submit(ctx, from, b -> b.setNewSignatureRequest(m));
        long id = LedgerJson.number(result, LedgerJson.SIGN_REQUEST_ID);
        LedgerJson.TxResult tx = LedgerJson.txResult(result);
        if (!wait) {
            if (ctx.json()) {
                ctx.output().json(result);
            } else if (ctx.quiet()) {
                ctx.output().line(id == 0 ? tx.hash() : Long.toString(id));
            } else {
                ctx.output().fields(TxCommandSupport.fields(tx).addIfSet(LedgerJson.SIGN_REQUEST_ID, id));
            }
            return 0;
        }
        if (id == 0) {
            throw new CliException("BAD_RESPONSE", "the ledger's answer carries no sign_request_id");
        }
        if (ctx.quiet()) {
            ctx.output().line(Long.toString(id));
        } else if (!ctx.json()) {
            ctx.output().fields(TxCommandSupport.fields(tx).add(LedgerJson.SIGN_REQUEST_ID, id));
        }
        JsonNode request = waitFinal(ctx, id, waitSeconds);
        LedgerJson.SignRequestState st = LedgerJson.signRequest(request);
        List<EcdsaDetails.Row> ecdsa = EcdsaDetails.applies(st) ? EcdsaDetails.compute(ctx, st) : List.of();
        if (ctx.json()) {
            ObjectNode o = Output.mapper().createObjectNode();
            o.set("tx", result);
            o.set("request", ecdsa.isEmpty() ? request : EcdsaDetails.withDetails(request, ecdsa));
            ctx.output().json(o);
        } else if (!ctx.quiet() && LedgerJson.SIGN_STATUS_FULFILLED.equals(st.status())) {
            printSignatures(ctx, st, ecdsa);
        }
        if (!LedgerJson.SIGN_STATUS_FULFILLED.equals(st.status())) {
            throw new CliException("REJECTED", "sign request " + id + " was rejected: "
                    + Output.escape(st.rejectReason()) + "; fee " + st.fee() + " refunded");
        }
        EcdsaDetails.requireMatches(id, ecdsa);
        return 0;
    }

    /** Waits until the request is final, reporting each change ({@link RequestWait}). */
    static JsonNode waitFinal(Context ctx, long id, long waitSeconds) throws Exception {
        return RequestWait.untilFinal(ctx, "sign request " + id, waitSeconds, () -> ctx.api().signRequest(id), req -> {
            LedgerJson.SignRequestState st = LedgerJson.signRequest(req);
            return new RequestWait.Reading("status: " + st.status() + " (" + st.answers() + " of " + st.threshold()
                    + " answers)", st.status(), st.isFinal(), LedgerJson.SIGN_STATUS_REJECTED.equals(st.status())
                            ? List.of("reject_reason: " + Output.escape(st.rejectReason()), "refunded: " + st.fee())
                            : List.of());
        });
    }

    /**
     * What the signatures verify under, then one line per signature, in message order, each followed for ECDSA
     * by its forms and what it recovers to ({@link EcdsaDetails}).
     */
    private static void printSignatures(Context ctx, LedgerJson.SignRequestState st, List<EcdsaDetails.Row> ecdsa) {
        ctx.output().fields(new Output.Fields()
                .add("scheme", EnumArgs.shortName(st.scheme(), LedgerJson.SCHEME_PREFIX))
                .add("verifying_key", st.verifyingKey()));
        for (int i = 0; i < st.signatures().size(); i++) {
            String line = "signature " + (i + 1) + ": " + st.signatures().get(i);
            if (i < st.recoveryIds().size()) {
                line += " (recovery id " + st.recoveryIds().get(i) + ")";
            }
            ctx.output().line(line);
            if (i < ecdsa.size()) {
                ctx.out().print(EcdsaDetails.render(ecdsa.get(i)));
            }
        }
    }

    static int show(Context ctx, Args a) throws Exception {
        long id = a.parseNonNegative("ID", a.positional(0));
        JsonNode req = ctx.api().signRequest(id);
        LedgerJson.SignRequestState st = LedgerJson.signRequest(req);
        if (ctx.quiet()) {
            ctx.output().line(st.status());
            return 0;
        }
        List<EcdsaDetails.Row> ecdsa = EcdsaDetails.applies(st) ? EcdsaDetails.compute(ctx, st) : List.of();
        if (ctx.json()) {
            ctx.output().json(ecdsa.isEmpty() ? req : EcdsaDetails.withDetails(req, ecdsa));
        } else {
            ctx.output().object(req);
            for (EcdsaDetails.Row r : ecdsa) {
                ctx.output().line("ecdsa signature " + r.index() + ":");
                ctx.out().print(EcdsaDetails.render(r));
            }
        }
        EcdsaDetails.requireMatches(id, ecdsa);
        return 0;
    }

    /** A --status value as the ledger's full status name, or null when not given. */
    static String status(Args a) {
        String v = a.get("--status");
        if (v == null) {
            return null;
        }
        String u = v.toUpperCase(Locale.ROOT);
        String full = u.startsWith(LedgerJson.SIGN_STATUS_PREFIX) ? u : LedgerJson.SIGN_STATUS_PREFIX + u;
        for (SignRequestStatus s : SignRequestStatus.values()) {
            if (s != SignRequestStatus.UNRECOGNIZED && s != SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED
                    && s.name().equals(full)) {
                return full;
            }
        }
        throw a.error("unknown status '" + Output.escape(v) + "'; one of: " + String.join(", ", STATUSES));
    }

    static int list(Context ctx, Args a) throws Exception {
        io.keyfed.cli.http.LedgerApi api = ctx.api();
        String status = status(a);
        Long key = a.longValue("--key");
        String keyId = key == null ? null : Long.toString(key);
        List<JsonNode> reqs = Pages.all(t -> api.signRequests(keyId, a.get("--workspace"), a.get("--keyring"), status,
                t), LedgerJson.REQUESTS);
        if (ctx.json()) {
            ctx.output().json(Pages.combined(LedgerJson.REQUESTS, reqs));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "SCHEME", "MESSAGES", "ANSWERS", "KEY", "KEYRING"});
        for (JsonNode r : reqs) {
            LedgerJson.SignRequestState st = LedgerJson.signRequest(r);
            rows.add(new String[] {Long.toString(st.id()), EnumArgs.shortName(st.status(), LedgerJson.SIGN_STATUS_PREFIX),
                    EnumArgs.shortName(st.scheme(), LedgerJson.SCHEME_PREFIX), Integer.toString(st.messages().size()),
                    st.answers() + "/" + st.threshold(), Long.toString(LedgerJson.number(r, LedgerJson.KEY_ID)),
                    LedgerJson.text(r, LedgerJson.KEYRING_ADDR)});
        }
        if (ctx.quiet()) {
            for (int i = 1; i < rows.size(); i++) {
                ctx.output().line(rows.get(i)[0]);
            }
        } else if (reqs.isEmpty()) {
            ctx.output().line("(none)");
        } else {
            ctx.output().table(rows);
        }
        return 0;
    }
}
