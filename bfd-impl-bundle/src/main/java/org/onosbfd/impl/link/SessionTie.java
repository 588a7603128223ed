package org.onosbfd.impl.link;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Set;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdPath;
import org.onosproject.net.ConnectPoint;
import org.onosproject.net.LinkKey;
import org.onosproject.net.config.InvalidFieldException;

/**
 * An operator's statement that a session with an external peer belongs to a switch port or to
 * a link, so that its state shows there as an annotation ({@code bfd.<peer>=up}). Read from the
 * {@code ties} list of {@link BfdAppConfig}:
 * <pre>{"peer": "192.0.2.1", "local": "192.0.2.2", "port": "of:0000000000000001/3"}
 * {"peer": "192.0.2.5", "link": "of:0000000000000001/1-of:0000000000000002/1"}</pre>
 * {@code local} and {@code interface} narrow the match when several sessions share a peer.
 */
final class SessionTie {
    private static final Set<String> FIELDS = Set.of("peer", "local", "interface", "port", "link");

    final InetAddress peer;
    final InetAddress local;
    final String interfaceName;
    /** Exactly one of port and link is set. */
    final ConnectPoint port;
    final LinkKey link;

    private SessionTie(InetAddress peer, InetAddress local, String interfaceName,
                       ConnectPoint port, LinkKey link) {
        this.peer = peer;
        this.local = local;
        this.interfaceName = interfaceName;
        this.port = port;
        this.link = link;
    }

    /** The annotation key: one per peer, so that several ties can share a port or a link. */
    String annotationKey() {
        return "bfd." + AddressText.of(peer);
    }

    boolean matches(BfdPath path) {
        return path.peerAddress().equals(peer)
                && (local == null || local.equals(path.localAddress()))
                && (interfaceName == null || interfaceName.equals(path.interfaceName()));
    }

    /**
     * Parses one entry of the {@code ties} list.
     *
     * @throws InvalidFieldException naming the bad field as {@code ties[i].field}
     */
    static SessionTie parse(JsonNode node, int index) {
        String at = "ties[" + index + "]";
        if (!node.isObject()) {
            throw new InvalidFieldException(at, "expected an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidFieldException(at + "." + name, "unknown field");
            }
        });
        InetAddress peer = address(node, "peer", at, true);
        InetAddress local = address(node, "local", at, false);
        String interfaceName = node.hasNonNull("interface") ? node.get("interface").asText() : null;
        if (node.has("port") == node.has("link")) {
            throw new InvalidFieldException(at, "exactly one of port and link is required");
        }
        ConnectPoint port = null;
        LinkKey link = null;
        try {
            if (node.has("port")) {
                port = ConnectPoint.deviceConnectPoint(node.get("port").asText());
            } else {
                String[] ends = node.get("link").asText().split("-", -1);
                if (ends.length != 2) {
                    throw new IllegalArgumentException("expected src-dst connect points");
                }
                link = LinkKey.linkKey(ConnectPoint.deviceConnectPoint(ends[0]),
                        ConnectPoint.deviceConnectPoint(ends[1]));
            }
        } catch (IllegalArgumentException e) {
            String field = node.has("port") ? "port" : "link";
            throw new InvalidFieldException(at + "." + field, node.get(field).asText()
                    + ": expected a connect point such as of:0000000000000001/3"
                    + (field.equals("link") ? ", two joined by '-'" : ""));
        }
        return new SessionTie(peer, local, interfaceName, port, link);
    }

    private static InetAddress address(JsonNode node, String field, String at, boolean required) {
        if (!node.hasNonNull(field)) {
            if (required) {
                throw new InvalidFieldException(at + "." + field, "required");
            }
            return null;
        }
        try {
            return AddressText.parse(field, node.get(field).asText());
        } catch (BfdException e) {
            throw new InvalidFieldException(at + "." + field, e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionTie)) {
            return false;
        }
        SessionTie other = (SessionTie) o;
        return peer.equals(other.peer) && Objects.equals(local, other.local)
                && Objects.equals(interfaceName, other.interfaceName)
                && Objects.equals(port, other.port) && Objects.equals(link, other.link);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, local, interfaceName, port, link);
    }
}
