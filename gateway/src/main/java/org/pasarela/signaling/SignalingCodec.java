package org.pasarela.signaling;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The JSON codec of the browser-gateway protocol (docs/protocol.md): text frame in, message record out, and back.
 * Pure: no I/O, no Netty. {@link #decode} throws nothing but {@link ProtocolException}, whatever the text.
 * Unknown fields are ignored so that newer clients keep working. Thread-safe; one instance can serve all sessions.
 */
public final class SignalingCodec {
    /** Largest accepted text frame, in UTF-8 bytes; larger ones fail with {@link ErrorCodes#TOO_LARGE}. */
    public static final int MAX_MESSAGE_BYTES = MessageParser.MAX_MESSAGE_BYTES;
    /** Deepest accepted JSON nesting; the top-level object is level 1. */
    public static final int MAX_NESTING_DEPTH = MessageParser.MAX_NESTING_DEPTH;

    private static final Map<String, Function<MessageFields, ClientMessage>> CLIENT_READERS = Map.ofEntries(
            Map.entry(AcceptRequest.TYPE, f -> {
                String id = f.string("id");
                String call = f.string("call");
                Jsep jsep = jsep(f);
                return f.build(() -> new AcceptRequest(id, call, jsep));
            }),
            Map.entry(RejectRequest.TYPE, f -> {
                String id = f.string("id");
                String call = f.string("call");
                Boolean everywhere = f.bool("everywhere");
                return f.build(() -> new RejectRequest(id, call, Boolean.TRUE.equals(everywhere)));
            }),
            Map.entry(LoginRequest.TYPE, SignalingCodec::login),
            Map.entry(CallRequest.TYPE, SignalingCodec::call),
            Map.entry(CandidateMessage.TYPE, SignalingCodec::candidate),
            Map.entry(HangupRequest.TYPE, SignalingCodec::hangup),
            Map.entry(DtmfRequest.TYPE, SignalingCodec::dtmf),
            Map.entry(HoldRequest.HOLD, f -> hold(f, true)),
            Map.entry(HoldRequest.UNHOLD, f -> hold(f, false)),
            Map.entry(TransferRequest.TYPE, f -> {
                String id = f.string("id");
                String call = f.string("call");
                String to = f.string("to");
                return f.build(() -> new TransferRequest(id, call, to));
            }),
            Map.entry(PingRequest.TYPE, SignalingCodec::ping),
            Map.entry(HistoryRequest.TYPE, SignalingCodec::history),
            Map.entry(RegisterRequest.TYPE, f -> {
                String id = f.string("id");
                String profile = f.string("profile");
                return f.build(() -> new RegisterRequest(id, profile));
            }),
            Map.entry(UnregisterRequest.TYPE, f -> {
                String id = f.string("id");
                String profile = f.string("profile");
                return f.build(() -> new UnregisterRequest(id, profile));
            }));

    private static final Map<String, Function<MessageFields, ServerMessage>> SERVER_READERS = Map.ofEntries(
            Map.entry(HistoryReply.TYPE, f -> {
                String id = f.string("id");
                java.util.List<HistoryEntry> calls = entries(f);
                return f.build(() -> new HistoryReply(id, calls));
            }),
            Map.entry(Missed.TYPE, f -> {
                java.util.List<HistoryEntry> calls = entries(f);
                return f.build(() -> new Missed(calls));
            }),
            Map.entry(Ack.TYPE, SignalingCodec::ack),
            Map.entry(ErrorMessage.TYPE, SignalingCodec::error),
            Map.entry(Ringing.TYPE, f -> f.build(() -> new Ringing(f.string("call")))),
            Map.entry(Progress.TYPE, f -> f.build(() -> new Progress(f.string("call"), jsep(f)))),
            Map.entry(Answered.TYPE, f -> f.build(() -> new Answered(f.string("call"), jsep(f)))),
            Map.entry(Incoming.TYPE, f -> {
                String call = f.string("call");
                String from = f.string("from");
                String fromName = f.string("fromName");
                String to = f.string("to");
                String profile = f.string("profile");
                Jsep jsep = jsep(f);
                return f.build(() -> new Incoming(call, from, fromName, to, profile, jsep));
            }),
            Map.entry(CandidateEvent.TYPE, f -> {
                String call = f.string("call");
                IceCandidate candidate = iceCandidate(f);
                return f.build(() -> new CandidateEvent(call, candidate));
            }),
            Map.entry(Hangup.TYPE, f -> {
                String call = f.string("call");
                Integer code = f.integer("code");
                String reason = f.string("reason");
                return f.build(() -> new Hangup(call, FieldRules.required(code, "code"), reason));
            }),
            Map.entry(Pong.TYPE, f -> f.build(() -> new Pong(f.string("id")))),
            Map.entry(TransferFailed.TYPE, f -> {
                String call = f.string("call");
                Integer code = f.integer("code");
                String reason = f.string("reason");
                return f.build(() -> new TransferFailed(call, FieldRules.required(code, "code"), reason));
            }),
            Map.entry(Registered.TYPE, f -> {
                String profile = f.string("profile");
                String aor = f.string("aor");
                Integer expires = f.integer("expires");
                return f.build(() -> new Registered(profile, aor, FieldRules.required(expires, "expires")));
            }),
            Map.entry(RegistrationFailed.TYPE, f -> {
                String profile = f.string("profile");
                Integer code = f.integer("code");
                String reason = f.string("reason");
                return f.build(() -> new RegistrationFailed(profile, FieldRules.required(code, "code"), reason));
            }));

    private final MessageParser parser = new MessageParser();
    private final MessageWriter writer = new MessageWriter(parser.mapper().getFactory());

    /** The wire types a client may send, for documentation checks and logs. */
    public static Set<String> clientTypes() { return CLIENT_READERS.keySet(); }

    /** The wire types the gateway sends. */
    public static Set<String> serverTypes() { return SERVER_READERS.keySet(); }

    /** Reads one client request from one text frame. */
    public ClientMessage decode(String text) {
        return read(text, CLIENT_READERS);
    }

    /** Reads one gateway message; for test clients and tools that speak the browser's side. */
    public ServerMessage decodeServer(String text) {
        return read(text, SERVER_READERS);
    }

    public String encode(ServerMessage message) {
        return writer.write(message);
    }

    /** Writes a client request; for test clients and tools that speak the browser's side. */
    public String encode(ClientMessage message) {
        return writer.write(message);
    }

    private <T> T read(String text, Map<String, Function<MessageFields, T>> readers) {
        MessageFields fields = parser.parse(text);
        String type = fields.type();
        Function<MessageFields, T> reader = readers.get(type);
        if (reader == null) throw fields.fail("unknown type " + FieldRules.quote(type));
        return reader.apply(fields.prefixWith(type));
    }

    private static ClientMessage login(MessageFields f) {
        String id = f.string("id");
        String user = f.string("user");
        String password = f.string("password");
        String token = f.string("token");
        return f.build(() -> new LoginRequest(id, user, password, token));
    }

    private static ClientMessage call(MessageFields f) {
        String id = f.string("id");
        String to = f.string("to");
        String profile = f.string("profile");
        Jsep jsep = jsep(f);
        return f.build(() -> new CallRequest(id, to, profile, jsep));
    }

    private static ClientMessage candidate(MessageFields f) {
        String id = f.string("id");
        String call = f.string("call");
        IceCandidate candidate = iceCandidate(f);
        return f.build(() -> new CandidateMessage(id, call, candidate));
    }

    private static ClientMessage hangup(MessageFields f) {
        String id = f.string("id");
        String call = f.string("call");
        return f.build(() -> new HangupRequest(id, call));
    }

    private static ClientMessage dtmf(MessageFields f) {
        String id = f.string("id");
        String call = f.string("call");
        String digits = f.string("digits");
        Integer durationMs = f.integer("durationMs");
        return f.build(() -> new DtmfRequest(id, call, digits, durationMs));
    }

    private static ClientMessage hold(MessageFields f, boolean hold) {
        String id = f.string("id");
        String call = f.string("call");
        return f.build(() -> new HoldRequest(id, call, hold));
    }

    private static ClientMessage ping(MessageFields f) {
        String id = f.string("id");
        return f.build(() -> new PingRequest(id));
    }

    private static ClientMessage history(MessageFields f) {
        String id = f.string("id");
        Integer limit = f.integer("limit");
        String before = f.string("before");
        return f.build(() -> new HistoryRequest(id, limit, before));
    }

    /** The {@code calls} array of a {@code history} or {@code missed} message. */
    private static java.util.List<HistoryEntry> entries(MessageFields f) {
        java.util.List<MessageFields> calls = f.objects("calls");
        if (calls == null) throw f.fail("missing field \"calls\"");
        java.util.List<HistoryEntry> out = new java.util.ArrayList<>(calls.size());
        for (MessageFields c : calls) {
            String id = c.string("id");
            String call = c.string("call");
            String direction = c.string("direction");
            String peer = c.string("peer");
            String profile = c.string("profile");
            java.time.Instant start = c.instant("start");
            java.time.Instant answer = c.instant("answer");
            java.time.Instant end = c.instant("end");
            Long durationMs = c.longInteger("durationMs");
            Integer code = c.integer("code");
            String reason = c.string("reason");
            String hangupBy = c.string("hangupBy");
            Boolean missed = c.bool("missed");
            out.add(c.build(() -> new HistoryEntry(id, call, direction, peer, profile, start, answer, end,
                    FieldRules.required(durationMs, "durationMs"), code, reason, hangupBy,
                    FieldRules.required(missed, "missed"))));
        }
        return out;
    }

    private static ServerMessage ack(MessageFields f) {
        String id = f.string("id");
        String call = f.string("call");
        List<String> profiles = f.strings("profiles");
        String defaultProfile = f.string("defaultProfile");
        List<IceServer> iceServers = iceServers(f);
        return f.build(() -> new Ack(id, call, profiles, defaultProfile, iceServers));
    }

    /** The {@code iceServers} array of a {@code login} ack, or null when absent. */
    private static List<IceServer> iceServers(MessageFields f) {
        List<MessageFields> servers = f.objects("iceServers");
        if (servers == null) return null;
        List<IceServer> out = new java.util.ArrayList<>(servers.size());
        for (MessageFields s : servers) {
            List<String> urls = s.strings("urls");
            String username = s.string("username");
            String credential = s.string("credential");
            out.add(s.build(() -> new IceServer(urls, username, credential)));
        }
        return out;
    }

    private static ServerMessage error(MessageFields f) {
        String id = f.string("id");
        String call = f.string("call");
        Integer code = f.integer("code");
        String reason = f.string("reason");
        Integer retryAfter = f.integer("retryAfter");
        return f.build(() -> new ErrorMessage(id, call, FieldRules.required(code, "code"), reason,
                retryAfter == null ? 0 : retryAfter));
    }

    /** The {@code jsep} field, or null when absent; the record that holds it decides whether that is allowed. */
    private static Jsep jsep(MessageFields f) {
        MessageFields jsep = f.object("jsep");
        if (jsep == null) return null;
        String type = jsep.string("type");
        String sdp = jsep.string("sdp");
        return f.build(() -> new Jsep(type, sdp));
    }

    /**
     * The {@code candidate} field: required, and null for end-of-candidates. Browsers signal the end either with a
     * null {@code event.candidate} or with a candidate whose {@code candidate} string is empty; both read as null.
     */
    private static IceCandidate iceCandidate(MessageFields f) {
        if (!f.has("candidate")) throw f.fail("missing field \"candidate\"");
        if (f.isNull("candidate")) return null;
        MessageFields c = f.object("candidate");
        String line = c.string("candidate");
        String sdpMid = c.string("sdpMid");
        Integer sdpMLineIndex = c.integer("sdpMLineIndex");
        String usernameFragment = c.string("usernameFragment");
        if ("".equals(line)) return null;
        return f.build(() -> new IceCandidate(line, sdpMid, sdpMLineIndex, usernameFragment));
    }
}
