import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pasarela.srtp.SrtpProfile;
import org.pasarela.srtp.SrtpTransformer;

/**
 * relay-floor.c's relay in Java, with the JDK calls the gateway's MediaLoop makes: one thread, an NIO selector over
 * two DatagramChannels per call, {@code select(Consumer, timeout)}, one datagram per ready channel per pass, a heap
 * buffer. No ICE, SRTP or rewriting, so its CPU against the C relay's is what the JVM and NIO add, and the gateway's
 * against it is what the gateway's own per-packet work adds. With {@code srtp}, each call also runs the gateway's
 * own {@link SrtpTransformer} (AES_CM_128_HMAC_SHA1_80): it protects what goes to the far end and unprotects what
 * comes back (the echo returns it unchanged), one protect and one unprotect per round trip, as the gateway does.
 * Run by floor.js, with the gateway's jar on the class path:
 * {@code java -cp pasarela.jar JavaRelay.java ECHO_PORTS N [LIFETIME_SECONDS [srtp]]}; prints {@code ports A1,...,AN}.
 */
public final class JavaRelay {
    /** One call: the client-side channel, the far-side channel, the far end, and the client as last heard from. */
    private static final class Call {
        final DatagramChannel client;
        final DatagramChannel far;
        final InetSocketAddress farEnd;
        /** Null without srtp. */
        final SrtpTransformer srtp;
        SocketAddress latched;

        Call(DatagramChannel client, DatagramChannel far, InetSocketAddress farEnd, SrtpTransformer srtp) {
            this.client = client;
            this.far = far;
            this.farEnd = farEnd;
            this.srtp = srtp;
        }
    }

    private final ByteBuffer buffer = ByteBuffer.allocate(2048);

    private void ready(SelectionKey key) {
        Call call = (Call) key.attachment();
        try {
            buffer.clear();
            if (key.channel() == call.client) {
                SocketAddress from = call.client.receive(buffer);
                if (from == null) return;
                call.latched = from; // symmetric RTP: answer where the client sends from
                int length = call.srtp == null ? buffer.position()
                        : call.srtp.protect(buffer.array(), 0, buffer.position());
                if (length > 0) call.far.send(buffer.clear().limit(length), call.farEnd);
            } else {
                SocketAddress from = call.far.receive(buffer);
                if (from == null || call.latched == null) return;
                int length = call.srtp == null ? buffer.position()
                        : call.srtp.unprotect(buffer.array(), 0, buffer.position());
                if (length > 0) call.client.send(buffer.clear().limit(length), call.latched);
            }
        } catch (IOException e) {
            System.err.println("relay: " + e); // a datagram lost, as in the C relay; the loop goes on
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -cp pasarela.jar JavaRelay.java ECHO_PORTS N [LIFETIME_SECONDS [srtp]]");
            System.exit(2);
        }
        String[] farPorts = args[0].split(",");
        int calls = Integer.parseInt(args[1]);
        long lifetime = TimeUnit.SECONDS.toNanos(args.length > 2 ? Long.parseLong(args[2]) : 600);
        boolean srtp = args.length > 3 && args[3].equals("srtp");
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        new java.security.SecureRandom().nextBytes(key);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Selector selector = Selector.open();
        StringJoiner ports = new StringJoiner(",", "ports ", "");
        for (int i = 0; i < calls; i++) {
            DatagramChannel client = bound(loopback);
            DatagramChannel far = bound(loopback);
            Call call = new Call(client, far,
                    new InetSocketAddress(loopback, Integer.parseInt(farPorts[i % farPorts.length])),
                    // the same keys both ways: what it protects toward the echo, it unprotects when it comes back
                    srtp ? new SrtpTransformer(SrtpProfile.AES_CM_128_HMAC_SHA1_80, key, salt, key, salt) : null);
            client.register(selector, SelectionKey.OP_READ, call);
            far.register(selector, SelectionKey.OP_READ, call);
            ports.add(Integer.toString(((InetSocketAddress) client.getLocalAddress()).getPort()));
        }
        System.out.println(ports);
        System.out.flush();
        JavaRelay relay = new JavaRelay();
        Consumer<SelectionKey> onReady = relay::ready; // once: a method reference per select would allocate
        for (long end = System.nanoTime() + lifetime; System.nanoTime() < end; ) {
            selector.select(onReady, 1000);
        }
    }

    private static DatagramChannel bound(InetAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, 0));
        channel.configureBlocking(false);
        return channel;
    }
}
