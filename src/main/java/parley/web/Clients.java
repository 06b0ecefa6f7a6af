package parley.web;

import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Who is on the other end of a connection, for per-client limits: the remote address, and for IPv6 its /64
 * (one subscriber's network: an attacker has millions of addresses in it, not millions of networks). Parley
 * reads the connection's own address, never a forwarded header: behind a proxy, every client is the proxy.
 */
public final class Clients {
    private Clients() {
    }

    public static String of(Context ctx) {
        String address = ctx.req().getRemoteAddr();
        try {
            InetAddress parsed = InetAddress.getByName(address); // a literal: no lookup
            if (parsed instanceof Inet6Address) {
                byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
                Arrays.fill(network, 8, 16, (byte) 0);
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
