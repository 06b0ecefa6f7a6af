package parley.email;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets with Nagle's algorithm off, for SMTP: a client writes a mail, then the small {@code .} line, and waits
 * for the answer; with Nagle's algorithm on, that last line waits for the acknowledgement of the one before, which
 * the other end delays (up to 40 ms on Linux). Mail transfer agents turn it off for the same reason.
 */
public final class NoDelaySockets extends SocketFactory {
    private final SocketFactory sockets;

    public NoDelaySockets(SocketFactory sockets) {
        this.sockets = sockets;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(sockets.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(sockets.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(sockets.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(sockets.createSocket(address, port, localAddress, localPort));
    }

    private static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return socket;
    }
}
