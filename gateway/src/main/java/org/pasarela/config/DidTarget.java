package org.pasarela.config;

import java.util.Objects;

/**
 * Who a called number (DID) rings, from {@code inbound.did.NUMBER = alice} or {@code = group:NAME}: one web user,
 * or every member of a group ({@code groups.NAME.members}).
 */
public sealed interface DidTarget {
    String GROUP_PREFIX = "group:";

    /** One web user. */
    record User(String name) implements DidTarget {
        public User {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every member of the group {@code name}. */
    record Group(String name) implements DidTarget {
        public Group {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return GROUP_PREFIX + name;
        }
    }

    /**
     * {@code alice} or {@code group:sales}; names as in {@code users.NAME}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static DidTarget parse(String text) {
        String s = text.strip();
        boolean group = s.startsWith(GROUP_PREFIX);
        String name = group ? s.substring(GROUP_PREFIX.length()) : s;
        if (!GatewayConfigReader.USER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a " + (group ? "group" : "user") + " name ("
                    + GatewayConfigReader.USER_NAME.pattern() + ")");
        }
        return group ? new Group(name) : new User(name);
    }
}
