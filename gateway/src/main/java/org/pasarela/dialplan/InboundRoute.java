package org.pasarela.dialplan;

import java.util.List;
import java.util.Objects;

import org.pasarela.config.SipProfile;

/** Where {@link InboundRouter} sends an incoming INVITE: one web user, a group of them, or back with an error. */
public sealed interface InboundRoute {
    /** Ring every logged-in session of {@code user}; the call belongs to {@code profile}. */
    record ToUser(String user, SipProfile profile) implements InboundRoute {
        public ToUser {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(profile, "profile");
        }
    }

    /** Ring every logged-in session of each of {@code members} (in this order) of group {@code group}. */
    record ToGroup(String group, List<String> members, SipProfile profile) implements InboundRoute {
        public ToGroup {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(profile, "profile");
            members = List.copyOf(members);
        }
    }

    /**
     * Answer the INVITE with {@code code} and {@code reason} (what goes on the wire); {@code detail} says why, for
     * the operator's log only: it may name users, numbers and profiles, which the wire never must.
     */
    record Refuse(int code, String reason, String detail) implements InboundRoute {
        public Refuse {
            if (code < 400 || code > 699) {
                throw new IllegalArgumentException("a refusal is a 4xx-6xx response, not " + code);
            }
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        public Refuse(int code, String reason) {
            this(code, reason, reason);
        }

        /** Whether the source was not trusted at all: the app reports these as security events. */
        public boolean forbidden() {
            return code == InboundRouter.FORBIDDEN;
        }
    }
}
