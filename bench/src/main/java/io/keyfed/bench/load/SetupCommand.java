package io.keyfed.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxSubmitter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code setup}: the keyring (signed by the admin) and one workspace owned by every owner account. */
@Command(name = "setup", description = "Create the keyring and the workspace; print KEYRING= and WORKSPACE=.")
final class SetupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerTls tls;

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "client home with the keys")
    Path home;

    @Option(names = "--ledger", required = true, paramLabel = "URL", description = "ledger REST base URL, http:// or https://")
    String ledger;

    @Option(names = "--accounts", paramLabel = "C", defaultValue = "32", description = "owner accounts (default 32)")
    int accounts;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "2", description = "party threshold (default 2)")
    int threshold;

    @Option(names = "--fee", paramLabel = "F", defaultValue = "1", description = "fee per key request (default 1)")
    String fee;

    @Option(names = "--party", paramLabel = "ADDR:PUBHEX", description = "a keyring party (repeatable)")
    List<String> parties = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        KeyStore ks = new KeyStore(home);
        TxSubmitter tx = new TxSubmitter(new LedgerApi(tls.client(ledger)));
        String prefix = tx.addressPrefix();
        MsgNewKeyring.Builder kr = MsgNewKeyring.newBuilder().setDescription("keyfed bench")
                .setPartyThreshold(threshold).setKeyReqFee(fee).setSigReqFee("0");
        for (String p : parties) {
            kr.addParties(party(p));
        }
        String keyring = tx.submit(ks.load(LoadGenerator.ADMIN), b -> b.setNewKeyring(kr)).path("created_address")
                .asText();
        MsgNewWorkspace.Builder ws = MsgNewWorkspace.newBuilder();
        SigningKey first = ks.load(LoadGenerator.ownerName(1));
        for (int i = 2; i <= accounts; i++) {
            ws.addAdditionalOwners(ks.load(LoadGenerator.ownerName(i)).address(prefix));
        }
        String workspace = tx.submit(first, b -> b.setNewWorkspace(ws)).path("created_address").asText();
        System.out.println("KEYRING=" + keyring);
        System.out.println("WORKSPACE=" + workspace);
        return 0;
    }

    private KeyringParty party(String p) {
        int c = p.lastIndexOf(':');
        try {
            if (c <= 0) {
                throw new IllegalArgumentException("no ':'");
            }
            return KeyringParty.newBuilder().setAddress(p.substring(0, c))
                    .setPublicKey(ByteString.copyFrom(HexFormat.of().parseHex(p.substring(c + 1)))).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--party '" + p + "': expected ADDR:PUBHEX");
        }
    }
}
