package org.pasarela.echo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A SIP UAC made of strings over one loopback UDP socket: just enough to drive the echo service in tests. */
final class RawSipClient implements AutoCloseable {

    /** A received SIP message: first line, headers (lower-case names, first value) and body. */
    record Message(String firstLine, Map<String, String> headers, String body, String raw) {
        int status() {
            return firstLine.startsWith("SIP/2.0 ") ? Integer.parseInt(firstLine.substring(8, 11)) : -1;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String toTag() {
            String to = header("To");
            int i = to.indexOf(";tag=");
            return i < 0 ? null : to.substring(i + 5).split("[;>]")[0];
        }
    }

    final DatagramSocket socket;
    final int echoPort;
    final String callId = UUID.randomUUID() + "@127.0.0.1";
    final String fromTag = "from" + Long.toHexString(System.nanoTime());
    String inviteBranch;

    RawSipClient(int echoPort) throws IOException {
        this.echoPort = echoPort;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(5000);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void invite(String sdp) throws IOException {
        inviteBranch = branch();
        send(request("INVITE", "sip:echo@127.0.0.1:" + echoPort, inviteBranch, null, 1, sdp));
    }

    void reInvite(String toTag, int cseq, String sdp) throws IOException {
        send(request("INVITE", "sip:echo@127.0.0.1:" + echoPort, branch(), toTag, cseq, sdp));
    }

    void ack(String toTag, int cseq, String sdp) throws IOException {
        send(request("ACK", "sip:echo@127.0.0.1:" + echoPort, branch(), toTag, cseq, sdp));
    }

    /** ACK for a non-2xx final response: same branch as the INVITE, RFC 3261 §17.1.1.3. */
    void ackFailure(String toTag) throws IOException {
        send(request("ACK", "sip:echo@127.0.0.1:" + echoPort, inviteBranch, toTag, 1, null));
    }

    /** CANCEL: same Request-URI, branch, Call-ID, From and CSeq number as the INVITE (RFC 3261 §9.1). */
    void cancel() throws IOException {
        send(request("CANCEL", "sip:echo@127.0.0.1:" + echoPort, inviteBranch, null, 1, null));
    }

    void bye(String toTag, int cseq) throws IOException {
        send(request("BYE", "sip:echo@127.0.0.1:" + echoPort, branch(), toTag, cseq, null));
    }

    void outOfDialog(String method) throws IOException {
        send(request(method, "sip:echo@127.0.0.1:" + echoPort, branch(), null, 1, null));
    }

    /** Answers a request the echo sent us (its BYE) with 200, copying the transaction headers. */
    void ok(Message request) throws IOException {
        send("SIP/2.0 200 OK\r\n"
                + "Via: " + request.header("Via") + "\r\n"
                + "From: " + request.header("From") + "\r\n"
                + "To: " + request.header("To") + "\r\n"
                + "Call-ID: " + request.header("Call-ID") + "\r\n"
                + "CSeq: " + request.header("CSeq") + "\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    /** The next message, skipping 100 Trying. */
    Message next() throws IOException {
        while (true) {
            Message m = receive();
            if (m.status() != 100) return m;
        }
    }

    Message receive() throws IOException {
        byte[] buf = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no SIP message from the echo service within 5 s");
        }
        return parse(new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8));
    }

    /** Receives until a message with the given status and CSeq method arrives (other messages are skipped). */
    Message expect(int status, String cseqMethod) throws IOException {
        for (int i = 0; i < 20; i++) {
            Message m = receive();
            if (m.status() == status && m.header("CSeq").endsWith(" " + cseqMethod)) return m;
        }
        throw new AssertionError("no " + status + " for " + cseqMethod);
    }

    private String request(String method, String uri, String branch, String toTag, int cseq, String sdp) {
        String body = sdp == null ? "" : sdp;
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=" + fromTag + "\r\n"
                + "To: <sip:echo@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + localPort() + ">\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private void send(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), echoPort));
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static Message parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Message(lines[0], headers, body, raw);
    }

    @Override
    public void close() {
        socket.close();
    }
}
