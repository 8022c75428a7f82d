package org.pasarela.app;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.pasarela.signaling.SignalingCodec;
import org.pasarela.transport.sip.SipEndpoint;

/** The shared, thread-safe services every session runtime uses. */
record GatewayServices(SignalingCodec codec, MediaEndpoints media, SipEndpoint sip,
                       ScheduledExecutorService scheduler, Clock clock) {}
