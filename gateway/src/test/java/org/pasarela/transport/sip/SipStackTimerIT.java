package org.pasarela.transport.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.pasarela.echo.EchoService;

/**
 * A call placed on a stack made by {@link SipStacks}, answered by the gateway's echo service (a JAIN-SIP UAS) and
 * hung up: its dialog must become garbage once the stack has let go of it, not when the RI's ACK check would have
 * run 32 s after the 200 OK (see {@link SipStackTimer}).
 */
class SipStackTimerIT {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String PCMU_OFFER = "v=0\r\no=it 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    /** The RI's ACK check runs 64×T1 = 32 s after the 200 OK; the dialog lingers 8 s after its BYE. */
    private static final long FREED_WITHIN_MS = 20_000;

    /** Sends the ACK as soon as the 200 OK arrives, as the gateway does, and keeps nothing it is not asked for. */
    private static final class Caller implements SipListener {
        final AtomicReference<Dialog> answered = new AtomicReference<>();
        final CountDownLatch answer = new CountDownLatch(1);
        final CountDownLatch byeAnswered = new CountDownLatch(1);

        @Override
        public void processResponse(ResponseEvent event) {
            Response response = event.getResponse();
            CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
            if (response.getStatusCode() != Response.OK) {
                return;
            }
            try {
                if (cseq.getMethod().equals(Request.INVITE)) {
                    Dialog dialog = event.getDialog();
                    dialog.sendAck(dialog.createAck(cseq.getSeqNumber()));
                    answered.set(dialog);
                    answer.countDown();
                } else if (cseq.getMethod().equals(Request.BYE)) {
                    byeAnswered.countDown();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void processRequest(RequestEvent event) {}

        @Override
        public void processTimeout(TimeoutEvent event) {}

        @Override
        public void processIOException(IOExceptionEvent event) {}

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {}

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {}
    }

    @Test
    void anEndedCallsDialogIsFreedLongBeforeTheAckCheckWouldHaveRun() throws Exception {
        int echoPort = InboundTestEndpoint.freePort(true);
        int callerPort = InboundTestEndpoint.freePort(false);
        SipStackImpl stack = SipStacks.create("timer-it", false);
        Caller caller = new Caller();
        SipProvider provider = null;
        try (EchoService echo = new EchoService(LOOPBACK, echoPort)) {
            echo.start();
            ListeningPoint point = stack.createListeningPoint(LOOPBACK, callerPort, "udp");
            provider = stack.createSipProvider(point);
            provider.addSipListener(caller);
            stack.start();

            WeakReference<Dialog> ended = callAndHangUp(provider, caller, callerPort, echoPort);

            long start = System.nanoTime();
            while (ended.get() != null && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < FREED_WITHIN_MS) {
                System.gc();
                Thread.sleep(250);
            }
            assertThat(ended.get())
                    .as("the dialog of a call that ended is still reachable %d ms later", FREED_WITHIN_MS)
                    .isNull();
        } finally {
            SipStacks.stop(stack, provider, caller, LOOPBACK, callerPort);
        }
    }

    /** Places a call to the echo, hangs it up, and returns the caller's dialog, weakly: nothing else here holds it. */
    private static WeakReference<Dialog> callAndHangUp(SipProvider provider, Caller caller, int callerPort,
                                                      int echoPort) throws Exception {
        AddressFactory addresses = new AddressFactoryImpl();
        HeaderFactory headers = new HeaderFactoryImpl();
        SipURI target = addresses.createSipURI("echo", LOOPBACK);
        target.setPort(echoPort);
        SipURI self = addresses.createSipURI("it", LOOPBACK);
        self.setPort(callerPort);
        Request invite = new MessageFactoryImpl().createRequest(target, Request.INVITE, provider.getNewCallId(),
                headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(addresses.createAddress(self), "it-tag"),
                headers.createToHeader(addresses.createAddress(target), null),
                List.of(headers.createViaHeader(LOOPBACK, callerPort, "udp", null)),
                headers.createMaxForwardsHeader(70));
        invite.addHeader(headers.createContactHeader(addresses.createAddress(self)));
        invite.setContent(PCMU_OFFER, headers.createContentTypeHeader("application", "sdp"));
        provider.getNewClientTransaction(invite).sendRequest();
        assertThat(caller.answer.await(10, TimeUnit.SECONDS)).as("the echo answered").isTrue();

        Dialog dialog = caller.answered.getAndSet(null);
        ClientTransaction bye = provider.getNewClientTransaction(dialog.createRequest(Request.BYE));
        dialog.sendRequest(bye);
        assertThat(caller.byeAnswered.await(10, TimeUnit.SECONDS)).as("the echo answered the BYE").isTrue();
        return new WeakReference<>(dialog);
    }
}
