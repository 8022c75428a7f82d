package org.pasarela.transport.dtls;

import org.pasarela.srtp.SrtpProfile;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pasarela.transport.dtls.DtlsHandshakeException.Kind;

class DtlsEndpointTest {
    private static final DtlsOptions FAST = DtlsOptions.defaults()
            .withHandshakeTimeout(Duration.ofSeconds(5)).withInitialRetransmitTimeout(Duration.ofMillis(50));

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void bothSidesDeriveMirroredSrtpKeysForEachProfile(SrtpProfile profile) throws Exception {
        DtlsOptions options = FAST.withSrtpProfiles(List.of(profile));
        try (DtlsLink link = new DtlsLink(options, options)) {
            CompletableFuture<SrtpKeyingMaterial> serverHandshake = link.server.start();
            SrtpKeyingMaterial clientKeys = link.client.start().get(5, SECONDS);
            SrtpKeyingMaterial serverKeys = serverHandshake.get(5, SECONDS);

            assertThat(serverKeys.profile()).isEqualTo(profile);
            assertThat(clientKeys.profile()).isEqualTo(profile);
            assertThat(clientKeys.localMasterKey()).isEqualTo(serverKeys.remoteMasterKey())
                    .hasSize(profile.masterKeyLength());
            assertThat(clientKeys.localMasterSalt()).isEqualTo(serverKeys.remoteMasterSalt())
                    .hasSize(profile.masterSaltLength());
            assertThat(serverKeys.localMasterKey()).isEqualTo(clientKeys.remoteMasterKey());
            assertThat(serverKeys.localMasterSalt()).isEqualTo(clientKeys.remoteMasterSalt());
            assertThat(serverKeys.localMasterKey()).isNotEqualTo(serverKeys.remoteMasterKey());
        }
    }

    @Test
    void negotiatesEcdheEcdsaAes128GcmWithExtendedMasterSecretAndSecureRenegotiation() throws Exception {
        try (DtlsLink link = new DtlsLink(FAST, FAST)) {
            CompletableFuture.allOf(link.server.start(), link.client.start()).get(5, SECONDS);

            DtlsSession expected = new DtlsSession("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    SrtpProfile.AEAD_AES_128_GCM, true, true);
            assertThat(link.server.session()).contains(expected);
            assertThat(link.client.session()).contains(expected);
        }
    }

    @Test
    void serverPicksItsMostPreferredProfileAmongThoseTheClientOffers() throws Exception {
        DtlsOptions server = FAST.withSrtpProfiles(
                List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM));
        try (DtlsLink link = new DtlsLink(server, FAST)) {
            CompletableFuture<SrtpKeyingMaterial> serverHandshake = link.server.start();
            assertThat(link.client.start().get(5, SECONDS).profile())
                    .isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
            assertThat(serverHandshake.get(5, SECONDS).profile())
                    .isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        }
    }

    @Test
    void failsBothSidesWhenNoSrtpProfileIsCommon() throws Exception {
        DtlsOptions server = FAST.withSrtpProfiles(List.of(SrtpProfile.AEAD_AES_128_GCM));
        DtlsOptions client = FAST.withSrtpProfiles(List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_32));
        try (DtlsLink link = new DtlsLink(server, client)) {
            CompletableFuture<SrtpKeyingMaterial> clientHandshake = link.client.start();
            assertFailure(link.server.start(), Kind.NO_COMMON_SRTP_PROFILE,
                    "peer offered no common SRTP profile: peer offered [AES_CM_128_HMAC_SHA1_32], "
                            + "we allow [AEAD_AES_128_GCM]");
            assertFailure(clientHandshake, Kind.NO_COMMON_SRTP_PROFILE, "peer answered without use_srtp");
        }
    }

    @Test
    void serverRejectsClientCertificateThatDoesNotMatchTheFingerprint() throws Exception {
        Fingerprint wrong = DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT); // not the client's
        Fingerprint actual = DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT);
        try (DtlsLink link = new DtlsLink(FAST, FAST, List.of(wrong),
                List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)), n -> false, n -> false)) {
            CompletableFuture<SrtpKeyingMaterial> clientHandshake = link.client.start();
            assertFailure(link.server.start(), Kind.FINGERPRINT_MISMATCH, "peer certificate fingerprint sha-256 "
                    + actual.hex() + " does not match a=fingerprint " + wrong.hex());
            assertFailure(clientHandshake, Kind.PEER_ALERT, "fatal alert bad_certificate");
        }
    }

    @Test
    void clientRejectsServerCertificateThatDoesNotMatchTheFingerprint() throws Exception {
        Fingerprint wrong = DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT);
        try (DtlsLink link = new DtlsLink(FAST, FAST, List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)),
                List.of(wrong), n -> false, n -> false)) {
            CompletableFuture<SrtpKeyingMaterial> serverHandshake = link.server.start();
            assertFailure(link.client.start(), Kind.FINGERPRINT_MISMATCH, "does not match a=fingerprint "
                    + wrong.hex());
            assertFailure(serverHandshake, Kind.PEER_ALERT, "fatal alert bad_certificate");
        }
    }

    @Test
    void acceptsPeerWhoseStrongestFingerprintMatchesAmongSeveralHashFunctions() throws Exception {
        byte[] clientDer = DtlsLink.CLIENT_CERT.certificate().getEncoded();
        byte[] serverDer = DtlsLink.SERVER_CERT.certificate().getEncoded();
        List<Fingerprint> clientFingerprints = List.of(Fingerprint.parse("md5 00:11"),
                Fingerprint.of("sha-1", clientDer), Fingerprint.of("sha-512", clientDer));
        try (DtlsLink link = new DtlsLink(FAST, FAST, clientFingerprints,
                List.of(Fingerprint.of("sha-384", serverDer)), n -> false, n -> false)) {
            CompletableFuture.allOf(link.server.start(), link.client.start()).get(5, SECONDS);
        }
    }

    @Test
    void rejectsPeerWhenOnlyAWeakerFingerprintMatches() throws Exception {
        byte[] clientDer = DtlsLink.CLIENT_CERT.certificate().getEncoded();
        Fingerprint strongButWrong = Fingerprint.of("sha-256", DtlsLink.SERVER_CERT.certificate().getEncoded());
        try (DtlsLink link = new DtlsLink(FAST, FAST, List.of(Fingerprint.of("sha-1", clientDer), strongButWrong),
                List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)), n -> false, n -> false)) {
            link.client.start();
            assertFailure(link.server.start(), Kind.FINGERPRINT_MISMATCH, "does not match");
        }
    }

    @Test
    void refusesToBeBuiltWithoutAUsableFingerprint() {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            assertThatThrownBy(() -> new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                    List.of(Fingerprint.parse("md5 00:11")), FAST, (d, o, l) -> { }, executor))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no a=fingerprint with a supported hash function");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void clientHandshakeTimesOutWhenThePeerNeverAnswers() throws Exception {
        DtlsOptions quick = FAST.withHandshakeTimeout(Duration.ofMillis(300));
        try (DtlsLink link = new DtlsLink(quick, quick, List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)),
                List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)), n -> true, n -> true)) {
            assertFailure(link.client.start(), Kind.TIMEOUT, "handshake timed out after 300 ms");
            assertThat(link.toServerCount.get()).as("ClientHello retransmissions").isGreaterThan(1);
        }
    }

    @Test
    void serverHandshakeTimesOutWhenNoClientHelloArrives() throws Exception {
        DtlsOptions quick = FAST.withHandshakeTimeout(Duration.ofMillis(300));
        try (DtlsLink link = new DtlsLink(quick, quick)) {
            assertFailure(link.server.start(), Kind.TIMEOUT, "handshake timed out after 300 ms");
        }
    }

    @Test
    void closeDuringHandshakeFailsTheHandshakeAndReleasesTheExecutorThread() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                    List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)), DtlsOptions.defaults(),
                    (d, o, l) -> { }, executor);
            CompletableFuture<SrtpKeyingMaterial> handshake = server.start();
            Thread.sleep(50); // let the handshake thread block on the empty queue
            server.close();

            assertFailure(handshake, Kind.CLOSED, "closed before the DTLS handshake finished");
            assertThat(executor.submit(() -> "free").get(1, SECONDS)).isEqualTo("free");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void closeBeforeStartFailsTheHandshakeWithoutUsingTheExecutor() throws Exception {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)), DtlsOptions.defaults(), (d, o, l) -> { },
                r -> { throw new AssertionError("executor must not be used"); });
        server.close();
        assertFailure(server.handshake(), Kind.CLOSED, "closed before the DTLS handshake started");
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handshakeSurvivesGarbageOversizeAndEmptyDatagrams() throws Exception {
        Random random = new Random(42);
        try (DtlsLink link = new DtlsLink(FAST, FAST)) {
            CompletableFuture<SrtpKeyingMaterial> server = link.server.start();
            CompletableFuture<SrtpKeyingMaterial> client = link.client.start();
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                garbage[0] = (byte) (20 + random.nextInt(44)); // RFC 7983 DTLS range, so the demux would pass it
                link.server.receive(garbage, 0, garbage.length);
                link.client.receive(garbage, 0, garbage.length);
            }
            link.server.receive(new byte[4000], 0, 4000);
            link.server.receive(new byte[10], 5, 0);

            CompletableFuture.allOf(server, client).get(5, SECONDS);
            assertThat(link.server.droppedDatagrams()).isGreaterThanOrEqualTo(2);
            // And after the handshake, garbage is processed inline without throwing or ending the association.
            for (int i = 0; i < 50; i++) {
                byte[] garbage = new byte[13 + random.nextInt(100)];
                random.nextBytes(garbage);
                garbage[0] = 23;
                link.server.receive(garbage, 0, garbage.length);
            }
            assertThat(link.server.peerClosed()).isNotDone();
        }
    }

    @Test
    void completesDespiteLosingEveryThirdDatagramInEachDirection() throws Exception {
        try (DtlsLink link = new DtlsLink(FAST, FAST, List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)),
                List.of(DtlsLink.fingerprintOf(DtlsLink.SERVER_CERT)), n -> n % 3 == 0, n -> n % 3 == 0)) {
            CompletableFuture<SrtpKeyingMaterial> serverHandshake = link.server.start();
            SrtpKeyingMaterial client = link.client.start().get(5, SECONDS);
            SrtpKeyingMaterial server = serverHandshake.get(5, SECONDS);
            assertThat(client.localMasterKey()).isEqualTo(server.remoteMasterKey());
            assertThat(link.toServerCount.get() + link.toClientCount.get())
                    .as("datagrams including retransmissions").isGreaterThan(9);
        }
    }

    @Test
    void clientHelloFloodStaysWithinTheQueueBound() {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, DtlsLink.SERVER_CERT,
                List.of(DtlsLink.fingerprintOf(DtlsLink.CLIENT_CERT)), DtlsOptions.defaults(), (d, o, l) -> { },
                r -> { });
        byte[] hello = new byte[200];
        hello[0] = 22;
        for (int i = 0; i < 10_000; i++) {
            server.receive(hello, 0, hello.length);
        }
        assertThat(server.droppedDatagrams()).isEqualTo(10_000 - DtlsOptions.defaults().inboundQueueCapacity());
        server.close();
    }

    @Test
    void reportsPeerCloseNotifyAfterTheHandshake() throws Exception {
        try (DtlsLink link = new DtlsLink(FAST, FAST)) {
            CompletableFuture.allOf(link.server.start(), link.client.start()).get(5, SECONDS);
            link.client.close();
            assertThat(link.server.peerClosed().get(5, SECONDS)).isEqualTo("peer sent close_notify");
        }
    }

    static void assertFailure(CompletableFuture<?> future, Kind kind, String messagePart) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
            throw new AssertionError("handshake succeeded, expected " + kind);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(DtlsHandshakeException.class).hasMessageContaining(messagePart);
            assertThat(((DtlsHandshakeException) e.getCause()).kind()).isEqualTo(kind);
        }
    }
}
