package org.pasarela.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.pasarela.auth.Authenticator;
import org.pasarela.call.Session;
import org.pasarela.call.SessionPolicy;
import org.pasarela.fraud.CallGuard;
import org.pasarela.fraud.CallLimiter;
import org.pasarela.config.GatewayConfig;
import org.pasarela.config.LoadedConfig;
import org.pasarela.config.SipProfile;
import org.pasarela.echo.EchoService;
import org.pasarela.lane.DaemonThreads;
import org.pasarela.dialplan.InboundRouter;
import org.pasarela.lane.Lane;
import org.pasarela.signaling.SignalingCodec;
import org.pasarela.transport.dtls.Certificates;
import org.pasarela.transport.dtls.DtlsCertificate;
import org.pasarela.transport.rtp.MediaRelay;
import org.pasarela.transport.rtp.PortAllocator;
import org.pasarela.transport.rtp.PortRange;
import org.pasarela.transport.rtp.ThreadNice;
import org.pasarela.transport.rtp.UdpDropMonitor;
import org.pasarela.transport.sip.SipEndpoint;
import org.pasarela.transport.sip.SipFloodGate;
import org.pasarela.flood.FloodGuard;
import org.pasarela.transport.sip.SipEndpointSettings;
import org.pasarela.transport.sip.SipStartException;
import org.pasarela.transport.ws.BrowserLink;
import org.pasarela.transport.ws.ConnectionLimits;
import org.pasarela.transport.ws.HttpsCertificateException;
import org.pasarela.transport.ws.SignalingServer;
import org.pasarela.transport.ws.SignalingSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: wires configuration to the edges (WebSocket, SIP, media sockets, echo service) and owns
 * their lifecycle. Threads are fixed at start-up; none is created per call or per session.
 */
public final class Gateway implements AutoCloseable, SignalingSessions {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** RFC 7675 §5.1: consent expires 30 s after the last authenticated check. */
    private static final java.time.Duration CONSENT_TIMEOUT = java.time.Duration.ofSeconds(30);
    /**
     * How often the kernel's UDP drop counters are read, and so at most how often the warning comes while drops go
     * on. A sample costs about 35 ms of CPU at 3,000 sockets (1000 calls), most of it the kernel writing
     * /proc/net/udp6 and resolving /proc/self/fd: 0.1 % of a core at this period, 1 % at 10 s (measured in the
     * benchmark's timer thread).
     */
    private static final java.time.Duration UDP_DROP_SAMPLING = java.time.Duration.ofSeconds(30);
    /** How long shutdown waits for registrars to answer the unregistering REGISTERs. */
    private static final java.time.Duration REGISTRATION_GRACE = java.time.Duration.ofSeconds(3);

    private final GatewayConfig config;
    private final SessionPolicy policy;
    private final GatewayServices services;
    private final ExecutorService lanes;
    private final ExecutorService sipSender;
    private final ScheduledExecutorService scheduler;
    private final EchoService echo;
    private final SipEndpoint sip;
    private final SignalingServer http;
    private final LoginDeadline loginDeadline;
    private final AtomicLong callCounter;
    private final SessionDirectory directory;
    private final IncomingCalls incoming;
    private final UdpDropMonitor udpDrops;
    private final AtomicInteger sessionCounter = new AtomicInteger();
    private final AtomicInteger openSessions = new AtomicInteger();

    private Gateway(GatewayConfig config, SessionPolicy policy, GatewayServices services, ExecutorService lanes,
                    ExecutorService sipSender, ScheduledExecutorService scheduler, EchoService echo, SipEndpoint sip,
                    SignalingServer http, LoginDeadline loginDeadline, AtomicLong callCounter,
                    SessionDirectory directory, IncomingCalls incoming, UdpDropMonitor udpDrops) {
        this.udpDrops = udpDrops;
        this.callCounter = callCounter;
        this.directory = directory;
        this.incoming = incoming;
        this.config = config;
        this.policy = policy;
        this.services = services;
        this.lanes = lanes;
        this.sipSender = sipSender;
        this.scheduler = scheduler;
        this.echo = echo;
        this.sip = sip;
        this.http = http;
        this.loginDeadline = loginDeadline;
    }

    /**
     * Starts every part, or none: a part that fails to start closes the ones already started.
     *
     * @throws GatewayStartException naming what could not start and why
     */
    public static Gateway start(LoadedConfig loaded, Clock clock) throws GatewayStartException {
        GatewayConfig config = loaded.gateway();
        List<AutoCloseable> started = new ArrayList<>();
        ExecutorService lanes = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), DaemonThreads.named("lane"));
        ExecutorService sipSender = Executors.newFixedThreadPool(4, DaemonThreads.named("sip-send"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("timer"));
        started.add(() -> shutdown(lanes, sipSender, scheduler));
        try {
            SecureRandom random = new SecureRandom();
            DtlsCertificate certificate = Certificates.generateEcdsaP256(random, clock.instant());
            log.info("DTLS certificate fingerprint sha-256 {}", certificate.fingerprintSha256());
            PortAllocator ports = new PortAllocator(inetAddress(config.mediaAddress(), "media.address"),
                    new PortRange(config.rtpPortMin(), config.rtpPortMax()),
                    config.media().socketReceiveBufferBytes());
            EchoService echo = null;
            if (config.echoEnabled()) {
                echo = new EchoService(config.echoAddress(), config.echoPort());
                echo.start();
                started.add(echo);
            }
            // Before SIP: a history that cannot be opened stops start-up, and no call starts unrecorded.
            HistoryService history = HistoryService.start(config.history(), clock, scheduler);
            started.add(history);
            SipEndpoint sip = SipEndpoint.start(new SipEndpointSettings(config.sipAddress(), config.sipPort(),
                    config.sipTlsPort(), Set.copyOf(config.sipTransports()), config.sipUserAgent(),
                    config.sipDnsServer().orElse(null), config.tlsCertificate().map(pem ->
                            new org.pasarela.transport.sip.SipTlsFiles(pem, config.tlsKey().orElseThrow(),
                                    config.tlsTruststore()))),
                    sipSender, scheduler);
            started.add(sip);
            int mediaLoops = config.media().loops(Runtime.getRuntime().availableProcessors());
            MediaRelay relay = new MediaRelay(certificate, CONSENT_TIMEOUT, mediaLoops, config.media().callsPerLoop(),
                    config.media().maxBusyPercent());
            log.info("media: {} loop thread(s), {} calls on one before the next; socket receive buffer asked {},"
                    + " granted {} bytes; new calls refused from {} % busy", mediaLoops,
                    config.media().callsPerLoop(), config.media().socketReceiveBufferBytes() == 0 ? "kernel default"
                            : config.media().socketReceiveBufferBytes(), ports.grantedReceiveBufferBytes(),
                    config.media().maxBusyPercent() == 0 ? "never" : config.media().maxBusyPercent());
            started.add(relay);
            UdpDropMonitor udpDrops = UdpDropMonitor.start(scheduler, UDP_DROP_SAMPLING);
            started.add(udpDrops);
            Registrations registrations = new Registrations(sip, lanes, scheduler, clock);
            SecurityLog securityLog = new SecurityLog();
            Authenticator authenticator = AuthSetup.authenticator(loaded.security(), securityLog, random);
            PasswordChecks passwords = new PasswordChecks(authenticator, clock);
            started.add(passwords);
            GatewayServices services = new GatewayServices(new SignalingCodec(),
                    new MediaEndpoints(config.mediaAddress(), ports, certificate, random, relay::checkRoom), relay,
                    sip, scheduler, clock, history, registrations, passwords);
            // Password checks run on their own pool (bcrypt is slow by design); tokens are checked on the lane.
            SessionPolicy policy = new SessionPolicy(authenticator, loaded.profiles(),
                    loaded.defaultProfile().map(SipProfile::name), config.maxCallsPerSession(),
                    config.noAnswerTimeout(), config.sipPasswords(),
                    new CallGuard(loaded.callRules(), new CallLimiter(), securityLog),
                    AuthSetup.turn(loaded.security().turn()), true);
            // Trunks and registrars are never taken for scanners: their literal proxy addresses, the addresses
            // their proxy names resolve to (refreshed by the SIP endpoint), and their inbound.networks.
            java.util.Set<String> literalProxies = proxyAddresses(loaded.profiles().values());
            sip.limitFloods(new SipFloodGate(new FloodGuard(loaded.security().sipFlood()), securityLog, clock,
                    address -> literalProxies.contains(address)
                            || sip.proxyAddresses().values().stream().anyMatch(set -> set.contains(address))
                            || loaded.profiles().values().stream().anyMatch(
                                    profile -> profile.enabled() && profile.inbound().trusts(address))));
            // Incoming calls: one call-id space with outbound calls, so logs and history never confuse two calls.
            AtomicLong callCounter = new AtomicLong();
            SessionDirectory directory = new SessionDirectory();
            IncomingCalls incoming = new IncomingCalls(services, directory, lanes,
                    () -> "c" + callCounter.incrementAndGet(), config.ringTimeout(), securityLog);
            sip.onInvite(new InboundRouter(loaded.profiles().values(), config.groups()), incoming);
            GatewayHolder holder = new GatewayHolder();
            SignalingServer http = SignalingServer.start(
                    WebListeners.of(config, loaded.web(), random, clock.instant()), config.wsMaxFrameBytes(),
                    link -> holder.gateway.open(link), () -> holder.gateway.healthJson(),
                    AuthSetup.origins(loaded.security()), securityLog, clock, new ConnectionLimits(
                            loaded.web().maxConnectionsPerAddress(), loaded.web().maxConnections()));
            Gateway gateway = new Gateway(config, policy, services, lanes, sipSender, scheduler, echo, sip, http,
                    new LoginDeadline(scheduler, loaded.web().loginTimeout(), securityLog, clock), callCounter, directory,
                    incoming, udpDrops);
            holder.gateway = gateway;
            return gateway;
        } catch (org.pasarela.history.HistoryException e) {
            closeAll(started);
            throw new GatewayStartException(e.getMessage(), e);
        } catch (SipStartException | HttpsCertificateException e) {
            closeAll(started);
            throw new GatewayStartException(e.getMessage(), e);
        } catch (RuntimeException | java.io.IOException e) {
            closeAll(started);
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    /** Lets the HTTP server, built before the gateway object exists, reach it once it does. */
    private static final class GatewayHolder {
        volatile Gateway gateway;
    }

    @Override
    public Connection open(BrowserLink link) {
        String name = "s" + sessionCounter.incrementAndGet();
        Session session = new Session(policy, () -> "c" + callCounter.incrementAndGet(), name, link.remote());
        openSessions.incrementAndGet();
        log.debug("session {} opened from {}", name, link.remoteAddress());
        Lane lane = new Lane(name, lanes);
        Runnable disarmLoginDeadline = loginDeadline.arm(name, session, lane, link);
        return new SessionRuntime(session, lane, link, services, directory, incoming, () -> {
            disarmLoginDeadline.run();
            openSessions.decrementAndGet();
            log.debug("session {} ended", name);
        });
    }

    public int httpPort() {
        return http.port();
    }

    /** The HTTPS/WSS port, when {@code https.enabled}. */
    public java.util.OptionalInt httpsPort() {
        return http.securePort();
    }

    public GatewayConfig config() {
        return config;
    }

    /** Sockets held by calls right now (three per call); leak checks watch it return to zero. */
    public int mediaSocketsInUse() {
        return services.media().socketsInUse();
    }

    public int openMediaSessions() {
        return services.relay().openSessions();
    }

    /** Registrations of web users not yet finished (registered, retrying or unregistering). */
    public int activeRegistrations() {
        return services.registrations().active();
    }

    public int activeSipLegs() {
        return sip.activeLegs();
    }

    String healthJson() {
        return "{\"status\":\"ok\",\"sessions\":" + openSessions.get() + ",\"sipLegs\":" + sip.activeLegs()
                + ",\"sipInboundLegs\":" + sip.activeInboundLegs()
                + ",\"registrations\":" + services.registrations().active() + ",\"incomingCalls\":" + incoming.active()
                + ",\"mediaSockets\":" + services.media().socketsInUse()
                + ",\"mediaBusyPercent\":" + jsonArray(services.relay().busyPercentPerLoop())
                + ",\"mediaPeakBusyPercent\":" + jsonArray(services.relay().peakBusyPercentPerLoop())
                + ",\"mediaNice\":" + niceArray(services.relay().nicePerLoop())
                + ",\"udpSocketDrops\":" + udpDrops.total() + "}";
    }

    /** The media threads' nice values; null where one cannot be read (not Linux). */
    private static String niceArray(int[] values) {
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (int value : values) {
            out.add(value == ThreadNice.UNKNOWN ? "null" : Integer.toString(value));
        }
        return out.toString();
    }

    private static String jsonArray(int[] values) {
        return Arrays.toString(values).replace(" ", "");
    }

    @Override
    public void close() {
        http.close();
        udpDrops.close();
        // Remove the web users' bindings (REGISTER Expires: 0), bounded: a registrar that is down must not hold
        // the shutdown for Timer F.
        services.registrations().close(REGISTRATION_GRACE);
        // Give in-flight BYE/CANCELs of closing sessions a moment to leave before the stack stops.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (sip.activeLegs() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sip.close();
        services.relay().close();
        if (echo != null) {
            echo.close();
        }
        shutdown(lanes, sipSender, scheduler);
        services.passwords().close();
        services.history().close();
    }

    private static void shutdown(ExecutorService... executors) {
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
        }
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.debug("while closing after a failed start: {}", e.toString());
            }
        }
    }

    /**
     * The IP-literal proxies of the enabled profiles other than the built-in echo (which only answers), in
     * {@link InetAddress#getHostAddress()} form: sources the SIP flood limit never bans, so that forged floods
     * cannot cut off a trunk. Proxies named by DNS are not resolved here (start-up does no lookups).
     */
    static java.util.Set<String> proxyAddresses(java.util.Collection<SipProfile> profiles) {
        java.util.Set<String> addresses = new java.util.HashSet<>();
        for (SipProfile profile : profiles) {
            String host = profile.proxy().host();
            boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
            if (!profile.enabled() || profile.name().equals(org.pasarela.config.ConfigLoader.ECHO_PROFILE)
                    || !literal) {
                continue;
            }
            try {
                addresses.add(InetAddress.getByName(host.replace("[", "").replace("]", "")).getHostAddress());
            } catch (UnknownHostException e) {
                log.debug("profile {}: proxy {} is not an address literal", profile.name(), host);
            }
        }
        return java.util.Set.copyOf(addresses);
    }

    private static InetAddress inetAddress(String address, String key) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(key + " = '" + address + "' is not an address of this machine");
        }
    }
}
