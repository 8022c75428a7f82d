package org.pasarela.signaling;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes message records as compact JSON: {@code "type"} first, then the fields in the order of docs/protocol.md,
 * null fields omitted except a {@code null} candidate, which means end-of-candidates and so must be written.
 * Thread-safe.
 */
final class MessageWriter {
    private final JsonFactory factory;

    MessageWriter(JsonFactory factory) {
        this.factory = factory;
    }

    String write(ServerMessage message) {
        return generate(g -> {
            g.writeStringField("type", message.type());
            if (message instanceof Ack ack) {
                string(g, "id", ack.id());
                string(g, "call", ack.call());
                if (ack.profiles() != null) {
                    g.writeArrayFieldStart("profiles");
                    for (String profile : ack.profiles()) g.writeString(profile);
                    g.writeEndArray();
                }
                string(g, "defaultProfile", ack.defaultProfile());
                if (ack.iceServers() != null) {
                    iceServers(g, ack.iceServers());
                }
            } else if (message instanceof ErrorMessage error) {
                string(g, "id", error.id());
                string(g, "call", error.call());
                g.writeNumberField("code", error.code());
                g.writeStringField("reason", error.reason());
                if (error.retryAfter() > 0) {
                    g.writeNumberField("retryAfter", error.retryAfter());
                }
            } else if (message instanceof Ringing ringing) {
                g.writeStringField("call", ringing.call());
            } else if (message instanceof Progress progress) {
                g.writeStringField("call", progress.call());
                jsep(g, progress.jsep());
            } else if (message instanceof Answered answered) {
                g.writeStringField("call", answered.call());
                jsep(g, answered.jsep());
            } else if (message instanceof Incoming incoming) {
                g.writeStringField("call", incoming.call());
                g.writeStringField("from", incoming.from());
                string(g, "fromName", incoming.fromName());
                g.writeStringField("to", incoming.to());
                g.writeStringField("profile", incoming.profile());
                jsep(g, incoming.jsep());
            } else if (message instanceof CandidateEvent event) {
                g.writeStringField("call", event.call());
                candidate(g, event.candidate());
            } else if (message instanceof Hangup hangup) {
                g.writeStringField("call", hangup.call());
                g.writeNumberField("code", hangup.code());
                g.writeStringField("reason", hangup.reason());
            } else if (message instanceof Pong pong) {
                g.writeStringField("id", pong.id());
            } else if (message instanceof HistoryReply reply) {
                g.writeStringField("id", reply.id());
                entries(g, reply.calls());
            } else if (message instanceof Missed missed) {
                entries(g, missed.calls());
            } else if (message instanceof Registered registered) {
                g.writeStringField("profile", registered.profile());
                g.writeStringField("aor", registered.aor());
                g.writeNumberField("expires", registered.expires());
            } else if (message instanceof TransferFailed failed) {
                g.writeStringField("call", failed.call());
                g.writeNumberField("code", failed.code());
                g.writeStringField("reason", failed.reason());
            } else if (message instanceof RegistrationFailed failed) {
                g.writeStringField("profile", failed.profile());
                g.writeNumberField("code", failed.code());
                g.writeStringField("reason", failed.reason());
            } else {
                throw new IllegalStateException("no writer for server message " + message.getClass().getName());
            }
        });
    }

    String write(ClientMessage message) {
        return generate(g -> {
            g.writeStringField("type", message.type());
            string(g, "id", message.id());
            if (message instanceof LoginRequest login) {
                string(g, "user", login.user());
                string(g, "password", login.password());
                string(g, "token", login.token());
            } else if (message instanceof CallRequest call) {
                g.writeStringField("to", call.to());
                string(g, "profile", call.profile());
                jsep(g, call.jsep());
            } else if (message instanceof CandidateMessage candidate) {
                g.writeStringField("call", candidate.call());
                candidate(g, candidate.candidate());
            } else if (message instanceof HangupRequest hangup) {
                g.writeStringField("call", hangup.call());
            } else if (message instanceof AcceptRequest accept) {
                g.writeStringField("call", accept.call());
                jsep(g, accept.jsep());
            } else if (message instanceof RejectRequest reject) {
                g.writeStringField("call", reject.call());
                g.writeBooleanField("everywhere", reject.everywhere());
            } else if (message instanceof DtmfRequest dtmf) {
                g.writeStringField("call", dtmf.call());
                g.writeStringField("digits", dtmf.digits());
                if (dtmf.durationMs() != null) g.writeNumberField("durationMs", dtmf.durationMs());
            } else if (message instanceof HoldRequest hold) {
                g.writeStringField("call", hold.call());
            } else if (message instanceof TransferRequest transfer) {
                g.writeStringField("call", transfer.call());
                g.writeStringField("to", transfer.to());
            } else if (message instanceof HistoryRequest history) {
                if (history.limit() != null) g.writeNumberField("limit", history.limit());
                string(g, "before", history.before());
            } else if (message instanceof RegisterRequest register) {
                string(g, "profile", register.profile());
            } else if (message instanceof UnregisterRequest unregister) {
                string(g, "profile", unregister.profile());
            } else if (!(message instanceof PingRequest)) {
                throw new IllegalStateException("no writer for client message " + message.getClass().getName());
            }
        });
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private String generate(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a StringWriter failed", e);
        }
        return out.toString();
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }

    private static void iceServers(JsonGenerator g, java.util.List<IceServer> servers) throws IOException {
        g.writeArrayFieldStart("iceServers");
        for (IceServer server : servers) {
            g.writeStartObject();
            g.writeArrayFieldStart("urls");
            for (String url : server.urls()) g.writeString(url);
            g.writeEndArray();
            string(g, "username", server.username());
            string(g, "credential", server.credential());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void entries(JsonGenerator g, java.util.List<HistoryEntry> calls) throws IOException {
        g.writeArrayFieldStart("calls");
        for (HistoryEntry e : calls) {
            g.writeStartObject();
            g.writeStringField("id", e.id());
            g.writeStringField("call", e.call());
            g.writeStringField("direction", e.direction());
            g.writeStringField("peer", e.peer());
            g.writeStringField("profile", e.profile());
            g.writeStringField("start", e.start().toString());
            if (e.answer() != null) g.writeStringField("answer", e.answer().toString());
            if (e.end() != null) g.writeStringField("end", e.end().toString());
            g.writeNumberField("durationMs", e.durationMs());
            if (e.code() != null) g.writeNumberField("code", e.code());
            string(g, "reason", e.reason());
            string(g, "hangupBy", e.hangupBy());
            g.writeBooleanField("missed", e.missed());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void jsep(JsonGenerator g, Jsep jsep) throws IOException {
        if (jsep == null) return;
        g.writeObjectFieldStart("jsep");
        g.writeStringField("type", jsep.type());
        g.writeStringField("sdp", jsep.sdp());
        g.writeEndObject();
    }

    private static void candidate(JsonGenerator g, IceCandidate candidate) throws IOException {
        if (candidate == null) {
            g.writeNullField("candidate");
            return;
        }
        g.writeObjectFieldStart("candidate");
        g.writeStringField("candidate", candidate.candidate());
        string(g, "sdpMid", candidate.sdpMid());
        if (candidate.sdpMLineIndex() != null) g.writeNumberField("sdpMLineIndex", candidate.sdpMLineIndex());
        string(g, "usernameFragment", candidate.usernameFragment());
        g.writeEndObject();
    }
}
