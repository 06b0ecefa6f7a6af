package parley.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Addresses an outbound request must not reach unless the installation allows it: this machine, private
 * networks and the cloud metadata services on them. Covered: loopback, unspecified, link-local (where
 * 169.254.169.254 lives), RFC 1918, carrier-grade NAT (Alibaba's metadata at 100.100.100.200), IETF
 * protocol assignments (Oracle's at 192.0.0.192), benchmarking, documentation, reserved and multicast
 * ranges, IPv6 unique-local (AWS's fd00:ec2::254) — and IPv4 addresses embedded in IPv6 ones (mapped,
 * compatible, NAT64, 6to4), which would otherwise reach the same hosts.
 */
public final class PrivateAddresses {
    private PrivateAddresses() {
    }

    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        return address instanceof Inet6Address ? isPrivate6(b) : isPrivate4(b);
    }

    private static boolean isPrivate4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0                                               // "this network"
                || first == 10
                || first == 100 && (second & 0xc0) == 64                // 100.64.0.0/10, shared (CGNAT)
                || first == 127
                || first == 169 && second == 254
                || first == 172 && (second & 0xf0) == 16
                || first == 192 && second == 0 && (b[2] & 0xff) == 0   // 192.0.0.0/24, IETF assignments
                || first == 192 && second == 0 && (b[2] & 0xff) == 2   // TEST-NET-1
                || first == 192 && second == 168
                || first == 198 && (second & 0xfe) == 18                // 198.18.0.0/15, benchmarking
                || first == 198 && second == 51 && (b[2] & 0xff) == 100 // TEST-NET-2
                || first == 203 && second == 0 && (b[2] & 0xff) == 113 // TEST-NET-3
                || first >= 224;                                        // multicast, reserved, broadcast
    }

    private static boolean isPrivate6(byte[] b) {
        if ((b[0] & 0xfe) == 0xfc) { // fc00::/7, unique local
            return true;
        }
        boolean zeroPrefix = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]);
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;  // ::ffff:a.b.c.d
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0;                      // ::a.b.c.d
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8]); // 64:ff9b::/96
        if (mapped || compatible || nat64) {
            return isPrivate(v4(Arrays.copyOfRange(b, 12, 16)));
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16, 6to4 carries an IPv4 address
            return isPrivate(v4(Arrays.copyOfRange(b, 2, 6)));
        }
        return false;
    }

    private static Inet4Address v4(byte[] address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("four bytes are always an IPv4 address", e);
        }
    }
}
