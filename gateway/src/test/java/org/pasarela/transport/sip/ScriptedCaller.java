package org.pasarela.transport.sip;

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

/** A SIP caller made of strings over one UDP socket: sends what a test scripts and reads what the gateway sends. */
final class ScriptedCaller implements AutoCloseable {
    /** A received SIP message: first line, headers (lower-case names, first value) and body. */
    record Message(String firstLine, Map<String, String> headers, String body) {
        int status() {
            return firstLine.startsWith("SIP/2.0 ") ? Integer.parseInt(firstLine.substring(8, 11)) : -1;
        }

        String method() {
            return firstLine.startsWith("SIP/2.0 ") ? null : firstLine.substring(0, firstLine.indexOf(' '));
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String toTag() {
            String to = header("To");
            int i = to.indexOf(";tag=");
            return i < 0 ? null : to.substring(i + 5).split("[;>]")[0];
        }

        String reason() {
            return firstLine.substring(12);
        }
    }

    private final DatagramSocket socket;
    private final int gatewayPort;
    final String callId = UUID.randomUUID() + "@caller";
    final String fromTag = "c" + UUID.randomUUID().toString().substring(0, 8);
    String inviteBranch;
    String requestUri;

    ScriptedCaller(String bindAddress, int gatewayPort) throws IOException {
        this.gatewayPort = gatewayPort;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
        socket.setSoTimeout(3000);
    }

    void invite(String user, String uriParams, String sdp) throws IOException {
        requestUri = "sip:" + user + "@127.0.0.1:" + gatewayPort + uriParams;
        inviteBranch = branch();
        send(request("INVITE", inviteBranch, null, 1, sdp));
    }

    /** The same INVITE again, byte for byte in what matters: same branch (RFC 3261 §17.2.1). */
    void retransmitInvite(String sdp) throws IOException {
        send(request("INVITE", inviteBranch, null, 1, sdp));
    }

    void ack(String toTag, String sdp) throws IOException {
        send(request("ACK", branch(), toTag, 1, sdp));
    }

    /** The ACK of a non-2xx final response reuses the INVITE's branch (§17.1.1.3). */
    void ackFailure(String toTag) throws IOException {
        send(request("ACK", inviteBranch, toTag, 1, null));
    }

    void cancel() throws IOException {
        send(request("CANCEL", inviteBranch, null, 1, null));
    }

    void bye(String toTag, int cseq) throws IOException {
        send(request("BYE", branch(), toTag, cseq, null));
    }

    void reInvite(String toTag, int cseq, String sdp) throws IOException {
        send(request("INVITE", branch(), toTag, cseq, sdp));
    }

    /**
     * A final response to a request the gateway sent in the dialog (its re-INVITE, REFER), echoing the
     * transaction's headers, with a Contact and {@code sdp} when given.
     */
    void respond(Message request, int code, String reason, String sdp) throws IOException {
        String host = socket.getLocalAddress().getHostAddress();
        StringBuilder b = new StringBuilder("SIP/2.0 " + code + " " + reason + "\r\nVia: " + request.header("Via")
                + "\r\nFrom: " + request.header("From") + "\r\nTo: " + request.header("To") + "\r\nCall-ID: "
                + request.header("Call-ID") + "\r\nCSeq: " + request.header("CSeq") + "\r\nContact: <sip:600100200@"
                + host + ":" + socket.getLocalPort() + ">\r\n");
        if (sdp != null) {
            b.append("Content-Type: application/sdp\r\nContent-Length: ")
                    .append(sdp.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n").append(sdp);
        } else {
            b.append("Content-Length: 0\r\n\r\n");
        }
        send(b.toString());
    }

    /** A NOTIFY of the gateway's REFER (RFC 3515 §2.4.4) carrying {@code sipfrag}. */
    void notifyRefer(String toTag, int cseq, String sipfrag, String subscriptionState) throws IOException {
        String raw = request("NOTIFY", branch(), toTag, cseq, null);
        String headers = "Event: refer\r\nSubscription-State: " + subscriptionState
                + "\r\nContent-Type: message/sipfrag\r\nContent-Length: "
                + sipfrag.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + sipfrag;
        send(raw.replace("Content-Length: 0\r\n\r\n", headers));
    }

    /** 200 to a request the gateway sent (its BYE), echoing the transaction's headers. */
    void ok(Message request) throws IOException {
        send("SIP/2.0 200 OK\r\nVia: " + request.header("Via") + "\r\nFrom: " + request.header("From")
                + "\r\nTo: " + request.header("To") + "\r\nCall-ID: " + request.header("Call-ID")
                + "\r\nCSeq: " + request.header("CSeq") + "\r\nContent-Length: 0\r\n\r\n");
    }

    /** The next message within the timeout, or null. */
    Message poll(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        byte[] buf = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return parse(new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8));
    }

    /** Reads until a response {@code status} to {@code method} arrives, skipping others; fails after 3 s. */
    Message expect(int status, String method) throws IOException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            Message m = poll(3000);
            if (m != null && m.status() == status && m.header("CSeq").endsWith(" " + method)) {
                return m;
            }
        }
        throw new AssertionError("no " + status + " to " + method + " within 3 s");
    }

    /** Reads until a request {@code method} arrives, skipping others; fails after 3 s. */
    Message expectRequest(String method) throws IOException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
            Message m = poll(3000);
            if (m != null && method.equals(m.method())) {
                return m;
            }
        }
        throw new AssertionError("no " + method + " within 3 s");
    }

    private String request(String method, String branch, String toTag, int cseq, String sdp) {
        int port = socket.getLocalPort();
        String host = socket.getLocalAddress().getHostAddress();
        StringBuilder b = new StringBuilder();
        b.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP ").append(host).append(':').append(port).append(";branch=").append(branch)
                .append(";rport\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: \"Caller Name\" <sip:600100200@").append(host).append(">;tag=").append(fromTag)
                .append("\r\n");
        b.append("To: <").append(requestUri.replaceAll(";.*", "")).append('>')
                .append(toTag == null ? "" : ";tag=" + toTag).append("\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(cseq).append(' ').append(method.equals("ACK") || method.equals("CANCEL")
                ? method : method).append("\r\n");
        b.append("Contact: <sip:600100200@").append(host).append(':').append(port).append(">\r\n");
        if (sdp != null) {
            byte[] body = sdp.getBytes(StandardCharsets.UTF_8);
            b.append("Content-Type: application/sdp\r\nContent-Length: ").append(body.length).append("\r\n\r\n")
                    .append(sdp);
        } else {
            b.append("Content-Length: 0\r\n\r\n");
        }
        return b.toString();
    }

    private void send(String raw) throws IOException {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress("127.0.0.1", gatewayPort)));
    }

    private static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    static Message parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return new Message(lines[0], headers, body);
    }

    @Override
    public void close() {
        socket.close();
    }
}
