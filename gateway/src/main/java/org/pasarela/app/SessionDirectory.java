package org.pasarela.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.pasarela.signaling.ServerMessage;

/**
 * Which browser sessions each logged-in web user has open right now, so that an incoming call can ring all of
 * them (parallel ringing) and reach each by name. A session is listed from its successful login until its
 * WebSocket closes. Thread-safe.
 */
final class SessionDirectory {
    /** A listed session: where an incoming call's messages for it go (onto the session's own lane). */
    interface Member {
        String name();

        /** The web user logged in on this session. */
        String user();

        /** A message from incoming call {@code callId} for this session's browser. Any thread. */
        void fromIncomingCall(String callId, ServerMessage message);
    }

    private final Map<String, Map<String, Member>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Member> byName = new ConcurrentHashMap<>();

    void add(String user, Member member) {
        byName.put(member.name(), member);
        // Sorted by name, so sessions are offered a call in the order they were opened (s2 before s10 too).
        byUser.computeIfAbsent(user, u -> new ConcurrentSkipListMap<>(SessionDirectory::byOpeningOrder))
                .put(member.name(), member);
    }

    void remove(String user, Member member) {
        byName.remove(member.name(), member);
        byUser.computeIfPresent(user, (u, members) -> {
            members.remove(member.name(), member);
            return members.isEmpty() ? null : members;
        });
    }

    /** The sessions of {@code users}, each once, in the order they were opened. */
    List<Member> sessionsOf(Collection<String> users) {
        List<Member> out = new ArrayList<>();
        for (String user : users) {
            Map<String, Member> members = byUser.get(user);
            if (members != null) {
                out.addAll(members.values());
            }
        }
        out.sort((a, b) -> byOpeningOrder(a.name(), b.name()));
        return out;
    }

    Optional<Member> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Session names are "s" + a counter: shorter names were opened first. */
    private static int byOpeningOrder(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
