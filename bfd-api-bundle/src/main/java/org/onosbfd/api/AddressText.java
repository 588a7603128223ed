package org.onosbfd.api;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses as operators write them: IPv4 dotted quad, IPv6 in RFC 5952's canonical text
 * ({@code fd00:77::2}, not Java's {@code fd00:77:0:0:0:0:0:2}), so that what a tool posts is
 * what it reads back and {@code grep fd00:77::2} finds it. Every surface prints addresses
 * through here: the shell, REST and the configuration file, logs, annotations and errors.
 */
public final class AddressText {
    private AddressText() {
    }

    public static String of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        // §4.2.2-4.2.3: the longest run of two or more zero groups, the first of equals, is "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            // §4.1 and §4.3: no leading zeros, lower case.
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
