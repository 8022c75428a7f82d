package org.pasarela.stun;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.ice4j.Transport;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;
import org.pasarela.ice.IceLiteResponder;

/**
 * Not a test: a quick, JMH-free comparison of answering one connectivity check (decode the request, check its
 * MESSAGE-INTEGRITY, encode a success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT) with
 * our codec and with ice4j's. Prints ns/op and bytes allocated per op. Run after {@code mvn test-compile}:
 * <pre>
 * mvn -q -o dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -f gateway
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat /tmp/cp.txt) org.pasarela.stun.StunCodecBench
 * </pre>
 */
public final class StunCodecBench {
    private static final int WARMUP = 300_000;
    private static final int MEASURE = 1_000_000;

    interface Op {
        int run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        byte[] request = Ice4jCrossCheckTest.ice4jRequest(Ice4jCrossCheckTest.newStack(),
                StunVectors.hex("0c5d2e7fa4b1c3d9e8f70615"));
        TransportAddress source = Ice4jCrossCheckTest.SOURCE;

        StunIntegrity integrity = StunIntegrity.forPassword(Ice4jCrossCheckTest.PWD);
        StunWriter writer = new StunWriter();
        byte[] out = new byte[IceLiteResponder.MAX_RESPONSE_LENGTH];
        Op ours = () -> {
            StunMessage m = StunParser.parse(request, 0, request.length);
            if (!integrity.verify(m)) {
                throw new IllegalStateException("integrity");
            }
            return writer.bindingSuccess(out, 0, m, source, integrity);
        };

        IceLiteResponder responder = new IceLiteResponder(Ice4jCrossCheckTest.LOCAL_UFRAG, Ice4jCrossCheckTest.PWD,
                Ice4jCrossCheckTest.REMOTE_UFRAG, Duration.ofSeconds(30), 0);
        long[] now = {0};
        Op responderOp = () -> {
            now[0] += 1000;
            return ((org.pasarela.ice.IceCheckResult.Reply) responder.handle(request, 0, request.length, source,
                    now[0], out, 0)).length();
        };

        StunStack stack = Ice4jCrossCheckTest.newStack();
        org.ice4j.TransportAddress mapped = new org.ice4j.TransportAddress(
                java.net.InetAddress.getByAddress(source.ip()), source.port(), Transport.UDP);
        String username = Ice4jCrossCheckTest.USERNAME;
        Op ice4j = () -> {
            Message decoded = Message.decode(request, 0, request.length);
            MessageIntegrityAttribute mi = (MessageIntegrityAttribute) decoded.getAttribute(
                    Attribute.MESSAGE_INTEGRITY);
            if (!stack.validateMessageIntegrity(mi, username, true,
                    RawMessage.build(request, request.length, mapped, mapped))) {
                throw new IllegalStateException("integrity");
            }
            Response response = MessageFactory.createBindingResponse((Request) decoded, mapped);
            response.setTransactionID(decoded.getTransactionID());
            response.putAttribute(AttributeFactory.createMessageIntegrityAttribute(username));
            response.putAttribute(AttributeFactory.createFingerprintAttribute());
            return response.encode(stack).length;
        };

        System.out.printf("request: %d bytes; JVM %s%n", request.length, System.getProperty("java.vm.version"));
        System.out.printf("%-48s %10s %14s%n", "operation", "ns/op", "bytes/op");
        for (int round = 0; round < 2; round++) {
            report("pasarela StunParser+StunIntegrity+StunWriter", ours);
            report("pasarela IceLiteResponder.handle", responderOp);
            report("ice4j Message.decode+validate+encode", ice4j);
        }
        stack.shutDown();
    }

    private static void report(String name, Op op) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += op.run();
        }
        long bytes0 = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        for (int i = 0; i < MEASURE; i++) {
            sink += op.run();
        }
        long t1 = System.nanoTime();
        long bytes1 = threads.getThreadAllocatedBytes(tid);
        System.out.printf("%-48s %10.0f %14.1f   (sink %d)%n", name, (t1 - t0) / (double) MEASURE,
                (bytes1 - bytes0) / (double) MEASURE, sink % 10);
    }

    private StunCodecBench() {
    }
}
