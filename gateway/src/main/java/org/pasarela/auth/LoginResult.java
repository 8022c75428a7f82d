package org.pasarela.auth;

/** How a login attempt ended. */
public sealed interface LoginResult {
    /** Logged in as {@code user}. */
    record Accepted(String user) implements LoginResult {}

    /** Wrong or unknown credentials; {@code reason} is safe to show the client (it never says which part was wrong
     *  for passwords, so user names cannot be enumerated). */
    record Refused(String reason) implements LoginResult {}

    /** Refused without checking credentials: the user name or the address is banned for {@code secondsLeft}. */
    record Banned(long secondsLeft) implements LoginResult {}
}
