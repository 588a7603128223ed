package org.onosbfd.impl.udp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.onosbfd.api.AddressText;

/** Socket set-up with errors an operator can act on; everything here is off the hot path. */
final class Sockets {
    private Sockets() {
    }

    /** A non-blocking UDP socket. */
    static int open(boolean ipv4) throws IOException {
        return open(ipv4, Libc.SOCK_DGRAM, 0);
    }

    /** A non-blocking socket of any type; a raw one needs CAP_NET_RAW (errno 1 says so). */
    static int open(boolean ipv4, int type, int protocol) throws IOException {
        try {
            return Libc.socket(ipv4 ? Libc.AF_INET : Libc.AF_INET6,
                    type | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new IOException("socket(): errno " + e.getErrorCode()
                    + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
        }
    }

    static void setInt(int fd, int level, int option, int value, String what) throws IOException {
        Memory memory = new Memory(4);
        memory.setInt(0, value);
        try {
            Libc.setsockopt(fd, level, option, memory, 4);
        } catch (LastErrorException e) {
            throw new IOException("setsockopt(" + what + "): errno " + e.getErrorCode(), e);
        }
    }

    /** SO_BINDTODEVICE: the socket sends and receives on this interface only. */
    static void bindToDevice(int fd, String interfaceName) throws IOException {
        byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
        Memory memory = new Memory(name.length);
        memory.write(0, name, 0, name.length);
        try {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, memory, name.length);
        } catch (LastErrorException e) {
            throw new IOException("SO_BINDTODEVICE " + interfaceName + ": errno "
                    + e.getErrorCode() + (e.getErrorCode() == 1 ? " (needs CAP_NET_RAW)" : ""), e);
        }
    }

    /**
     * Binds to an address and port.
     *
     * @return false when the port is taken (EADDRINUSE), so that the caller can try another
     */
    static boolean bind(int fd, InetAddress address, int port, int scopeId) throws IOException {
        Memory sockaddr = sockaddr(address, port, scopeId);
        try {
            Libc.bind(fd, sockaddr, (int) sockaddr.size());
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == 98) { // EADDRINUSE
                return false;
            }
            throw new IOException("bind(" + AddressText.of(address) + " port " + port
                    + "): errno " + e.getErrorCode()
                    + (e.getErrorCode() == 99 ? " (address not on this host)" : ""), e);
        }
    }

    /** A native struct sockaddr_in or sockaddr_in6. */
    static Memory sockaddr(InetAddress address, int port, int scopeId) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            Memory m = new Memory(Libc.SOCKADDR_IN_SIZE);
            m.clear();
            m.setShort(0, (short) Libc.AF_INET);
            m.setShort(2, Short.reverseBytes((short) port));
            m.write(4, bytes, 0, 4);
            return m;
        }
        Memory m = new Memory(Libc.SOCKADDR_IN6_SIZE);
        m.clear();
        m.setShort(0, (short) Libc.AF_INET6);
        m.setShort(2, Short.reverseBytes((short) port));
        m.write(8, bytes, 0, 16);
        int scope = scopeId != 0 ? scopeId
                : address instanceof Inet6Address ? ((Inet6Address) address).getScopeId() : 0;
        m.setInt(24, scope);
        return m;
    }

    static int interfaceIndex(String name) {
        return name == null ? 0 : Libc.if_nametoindex(name);
    }

    /** The interface name for an index, or null. */
    static String interfaceName(int index) {
        Memory buffer = new Memory(16);
        Pointer name = Libc.if_indextoname(index, buffer);
        return name == null ? null : name.getString(0, StandardCharsets.US_ASCII.name());
    }

    static void close(int fd) {
        try {
            Libc.close(fd);
        } catch (LastErrorException e) {
            // Closing a socket that failed half-way through set-up: nothing left to release.
        }
    }
}
