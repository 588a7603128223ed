package org.onosbfd.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.Predicate;
import org.onosbfd.api.AddressText;
import org.onosbfd.api.BfdException;
import org.onosbfd.api.BfdSession;

/** Matches a session's peer against an address or a prefix (10.0.0.0/24, fd00::/64). */
final class SessionFilter {
    private SessionFilter() {
    }

    static Predicate<BfdSession> peerMatching(String addressOrPrefix) {
        String[] parts = addressOrPrefix.split("/", -1);
        if (parts.length > 2) {
            throw BfdException.invalid("ADDRESS", addressOrPrefix, "an address or a prefix");
        }
        InetAddress base = AddressText.parse("ADDRESS", parts[0]);
        int maxLength = base instanceof Inet4Address ? 32 : 128;
        int length = maxLength;
        if (parts.length == 2) {
            try {
                length = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > maxLength) {
                throw BfdException.invalid("ADDRESS", addressOrPrefix,
                        "a prefix length from 0 to " + maxLength);
            }
        }
        byte[] prefix = base.getAddress();
        int bits = length;
        return session -> {
            byte[] peer = session.config().path().peerAddress().getAddress();
            if (peer.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((peer[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        };
    }
}
