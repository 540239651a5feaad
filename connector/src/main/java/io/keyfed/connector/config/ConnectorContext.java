package io.keyfed.connector.config;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Values the connector learns at start from its peers: the party's account address (Party.GetIdentity) and
 * the chain id (configured, or Ledger.GetParams). Until both are known no request is forwarded.
 */
@ApplicationScoped
public class ConnectorContext {

    private volatile String partyAddress;
    private volatile String chainId;

    public String partyAddress() {
        return partyAddress;
    }

    public String chainId() {
        return chainId;
    }

    public boolean resolved() {
        return partyAddress != null && chainId != null;
    }

    public void partyAddress(String address) {
        this.partyAddress = address;
    }

    public void chainId(String id) {
        this.chainId = id;
    }
}
