package io.keyfed.cli.command;

import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.cli.args.Opt;
import io.keyfed.cli.args.ParsedArgs;

/** {@code send}. */
final class TxCommands {
    private TxCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(TxSubmitter.txSpec("send", "Send urock from a stored key to an account")
                .opt(Opt.required("--to", "ADDR", "recipient address (or a key name)"))
                .opt(Opt.required("--amount", "N", "amount in urock, a positive whole number")),
                TxCommands::send);
    }

    static int send(Context ctx, ParsedArgs a) throws Exception {
        String amount = a.amount("--amount");
        String to = ctx.resolveAccount(a.get("--to"), ctx.accountPrefix(a));
        var result = TxSubmitter.submit(ctx, a.get("--from"),
                b -> b.setSend(MsgSend.newBuilder().setToAddress(to).setAmount(amount)));
        TxSubmitter.print(ctx, result);
        return 0;
    }
}
