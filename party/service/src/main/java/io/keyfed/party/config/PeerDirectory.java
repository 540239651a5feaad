package io.keyfed.party.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.keyfed.api.crypto.Addresses;

/**
 * The parsed {@code keyfed.party.peers} list: {@code ADDRESS@HOST:PORT} entries separated by
 * commas (blanks around entries are allowed). The entry for this party's own address is dropped.
 */
public final class PeerDirectory {

    /** Where one peer listens. */
    public static final class Endpoint {
        private final String address;
        private final String host;
        private final int port;

        public Endpoint(String address, String host, int port) {
            this.address = address;
            this.host = host;
            this.port = port;
        }

        public String address() {
            return address;
        }

        public String host() {
            return host;
        }

        public int port() {
            return port;
        }

        @Override
        public String toString() {
            return address + "@" + host + ":" + port;
        }
    }

    private final Map<String, Endpoint> byAddress;

    private PeerDirectory(Map<String, Endpoint> byAddress) {
        this.byAddress = Collections.unmodifiableMap(byAddress);
    }

    /**
     * Parses the list.
     *
     * @throws IllegalArgumentException naming the bad entry (bad address, missing port, duplicate)
     */
    public static PeerDirectory parse(String list, String prefix, String ownAddress) {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        if (list == null || list.isBlank()) {
            return new PeerDirectory(out);
        }
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int at = entry.indexOf('@');
            int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("keyfed.party.peers entry '" + Addresses.printable(entry)
                        + "' is not ADDRESS@HOST:PORT");
            }
            String address = entry.substring(0, at);
            String host = entry.substring(at + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("keyfed.party.peers entry '" + Addresses.printable(entry)
                        + "' has an invalid port");
            }
            Addresses.requireAddress(address, prefix, "keyfed.party.peers address");
            if (address.equals(ownAddress)) {
                continue;
            }
            if (out.putIfAbsent(address, new Endpoint(address, host, port)) != null) {
                throw new IllegalArgumentException("keyfed.party.peers lists " + address + " twice");
            }
        }
        return new PeerDirectory(out);
    }

    public Optional<Endpoint> endpoint(String address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    public Map<String, Endpoint> all() {
        return byAddress;
    }

    @Override
    public String toString() {
        return byAddress.values().toString();
    }
}
