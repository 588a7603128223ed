package org.onosbfd.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Addresses as operators write them, read and printed: IPv4 dotted quad, IPv6 in RFC 5952's canonical text
 * ({@code fd00:77::2}, not Java's {@code fd00:77:0:0:0:0:0:2}), so that what a tool posts is
 * what it reads back and {@code grep fd00:77::2} finds it. Every surface prints addresses
 * through here: the shell, REST and the configuration file, logs, annotations and errors.
 */
public final class AddressText {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 =
            Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?");

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

    /** An IP address literal; host names are refused (no DNS lookups from configuration). */
    public static InetAddress parse(String field, String text) {
        String literal = text == null ? "" : text.trim();
        int percent = literal.indexOf('%');
        if (percent >= 0) {
            // RFC 4007 §11: "fe80::2%eth1"; the zone names the interface (see withZone).
            InetAddress address = parse(field, literal.substring(0, percent));
            if (!(address instanceof Inet6Address) || !address.isLinkLocalAddress()) {
                throw BfdException.invalid(field, text, "a zone (%interface) only after an "
                        + "IPv6 link-local address");
            }
            return address;
        }
        boolean v4 = IPV4.matcher(literal).matches();
        if (!v4 && !IPV6.matcher(literal).matches()) {
            throw BfdException.invalid(field, text, "an IPv4 or IPv6 address literal");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException | SecurityException e) {
            throw BfdException.invalid(field, text, "an IPv4 or IPv6 address literal");
        }
    }

    /**
     * The interface of a session given both as an interface and as the zone of a link-local
     * address ("fe80::2%eth1", RFC 4007 §11): either alone, or both the same.
     *
     * @param interfaceName the interface given so far, or null
     * @return the interface, or null when neither names one
     */
    public static String withZone(String field, String addressText, String interfaceName) {
        int percent = addressText == null ? -1 : addressText.indexOf('%');
        if (percent < 0) {
            return interfaceName;
        }
        String zone = addressText.substring(percent + 1).trim();
        if (interfaceName != null && !interfaceName.equals(zone)) {
            throw BfdException.invalid(field, addressText, "a zone equal to the interface '"
                    + interfaceName + "', or no zone");
        }
        return zone;
    }
}
