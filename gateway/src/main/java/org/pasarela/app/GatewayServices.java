package org.pasarela.app;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.pasarela.signaling.SignalingCodec;
import org.pasarela.transport.rtp.MediaRelay;
import org.pasarela.transport.sip.SipEndpoint;

/** The shared, thread-safe services every session runtime uses. */
record GatewayServices(SignalingCodec codec, MediaEndpoints media, MediaRelay relay, SipEndpoint sip,
                       ScheduledExecutorService scheduler, Clock clock, HistoryService history,
                       Registrations registrations, PasswordChecks passwords) {}
