package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pasarela.transport.dtls.DtlsHandshakeException.Kind;

/**
 * Our server against clients shaped like browsers that differ from our own client: one that also offers DTLS 1.3
 * (Chromium with DTLS 1.3 enabled lists 1.3 and 1.2 in supported_versions), one without extended_master_secret,
 * one without use_srtp. The clients are Bouncy Castle driven directly, with our client policy as a base.
 */
class BrowserLikeClientTest {
    private final ExecutorService executor = Executors.newCachedThreadPool(DtlsLink.daemon("dtls-browser-like"));
    private final ExecutorService wire = Executors.newSingleThreadExecutor(DtlsLink.daemon("wire-to-client"));
    private final ByteArrayOutputStream clientHello = new ByteArrayOutputStream();
    private final AtomicReference<DatagramInbox> clientInbox = new AtomicReference<>();
    private DtlsEndpoint server;

    @AfterEach
    void tearDown() {
        server.close();
        wire.shutdownNow();
        executor.shutdownNow();
    }

    @Test
    void answersAClientHelloOfferingDtls13WithDtls12() throws Exception {
        AtomicReference<ProtocolVersion> negotiated = new AtomicReference<>();
        SrtpDtlsClient client = new SrtpDtlsClient(clientPolicy()) {
            @Override
            public Hashtable getClientExtensions() throws IOException {
                Hashtable extensions = super.getClientExtensions();
                TlsExtensionsUtils.addSupportedVersionsExtensionClient(extensions,
                        new ProtocolVersion[] {ProtocolVersion.DTLSv13, ProtocolVersion.DTLSv12});
                return extensions;
            }

            @Override
            public void notifyServerVersion(ProtocolVersion version) throws IOException {
                super.notifyServerVersion(version);
                negotiated.set(version);
            }
        };
        CompletableFuture<SrtpKeyingMaterial> serverKeys = startServer();
        DTLSTransport connected = new DTLSClientProtocol().connect(client, clientTransport());

        assertThat(containsSupportedVersions13And12(clientHello.toByteArray()))
                .as("the ClientHello really offered DTLS 1.3").isTrue();
        assertThat(negotiated.get()).isEqualTo(ProtocolVersion.DTLSv12);
        assertThat(serverKeys.get(5, SECONDS).profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);

        // Application data (a data channel we do not have) is dropped; close_notify ends the association.
        byte[] data = "sctp?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        connected.send(data, 0, data.length);
        connected.close();
        assertThat(server.peerClosed().get(5, SECONDS)).isEqualTo("peer sent close_notify");
    }

    @Test
    void refusesAClientWithoutExtendedMasterSecretWithAnAlert() throws Exception {
        SrtpDtlsClient client = new SrtpDtlsClient(clientPolicy()) {
            @Override
            public boolean shouldUseExtendedMasterSecret() {
                return false;
            }

            @Override
            public boolean requiresExtendedMasterSecret() {
                return false;
            }
        };
        CompletableFuture<SrtpKeyingMaterial> serverKeys = startServer();
        assertThatThrownBy(() -> new DTLSClientProtocol().connect(client, clientTransport()))
                .isInstanceOf(IOException.class);
        DtlsEndpointTest.assertFailure(serverKeys, Kind.NO_EXTENDED_MASTER_SECRET,
                "peer did not offer extended_master_secret (RFC 7627)");
    }

    @Test
    void refusesAClientWithoutUseSrtpWithAnAlert() throws Exception {
        SrtpDtlsClient client = new SrtpDtlsClient(clientPolicy()) {
            @Override
            public Hashtable getClientExtensions() throws IOException {
                Hashtable extensions = super.getClientExtensions();
                extensions.remove(TlsSRTPUtils.EXT_use_srtp);
                return extensions;
            }

            @Override
            public void processServerExtensions(Hashtable serverExtensions) {
                // a plain DTLS client: no SRTP expectations
            }
        };
        CompletableFuture<SrtpKeyingMaterial> serverKeys = startServer();
        assertThatThrownBy(() -> new DTLSClientProtocol().connect(client, clientTransport()))
                .isInstanceOf(IOException.class);
        DtlsEndpointTest.assertFailure(serverKeys, Kind.NO_COMMON_SRTP_PROFILE,
                "peer offered no use_srtp extension");
    }

    private HandshakePolicy clientPolicy() {
        return new HandshakePolicy(new BcTlsCrypto(new SecureRandom()), DtlsRole.CLIENT,
                DtlsLink.CLIENT_CERT, List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)),
                DtlsOptions.defaults(), reason -> { });
    }

    private CompletableFuture<SrtpKeyingMaterial> startServer() {
        server = new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)), DtlsOptions.defaults(),
                (data, offset, length) -> {
                    byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
                    wire.execute(() -> clientInbox.get().offer(copy, 0, copy.length));
                }, executor);
        return server.start();
    }

    private DatagramInbox clientTransport() {
        DatagramInbox inbox = new DatagramInbox(64, (data, offset, length) -> {
            synchronized (clientHello) {
                if (clientHello.size() == 0) {
                    clientHello.write(data, offset, length);
                }
            }
            server.receive(data, offset, length);
        });
        clientInbox.set(inbox);
        return inbox;
    }

    /** supported_versions (0x002b), 5 bytes: list length 4, DTLS 1.3 (fefc), DTLS 1.2 (fefd). */
    private static boolean containsSupportedVersions13And12(byte[] hello) {
        byte[] needle = {0x00, 0x2b, 0x00, 0x05, 0x04, (byte) 0xfe, (byte) 0xfc, (byte) 0xfe, (byte) 0xfd};
        outer:
        for (int i = 0; i + needle.length <= hello.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hello[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
