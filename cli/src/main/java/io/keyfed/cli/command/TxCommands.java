package io.keyfed.cli.command;

import io.keyfed.api.ledger.v1.MsgSend;

/** {@code send}. */
final class TxCommands {
    private TxCommands() {
    }

    static void register(CommandRegistry r) {
        r.add(TxCommandSupport.txSpec("send", "Send urock from a stored key to an account")
                .addOption(Specs.required("--to", "ADDR", "recipient address (or a key name)"))
                .addOption(Specs.required("--amount", "N", "amount in urock, a positive whole number")),
                TxCommands::send);
    }

    static int send(Context ctx, Args a) throws Exception {
        String amount = a.amount("--amount");
        String to = ctx.resolveAccount(a.get("--to"), ctx.accountPrefix(a));
        var result = TxCommandSupport.submit(ctx, a.get("--from"),
                b -> b.setSend(MsgSend.newBuilder().setToAddress(to).setAmount(amount)));
        TxCommandSupport.print(ctx, result);
        return 0;
    }
}
