package org.pasarela.auth;

import java.time.Instant;

/** The claims of a token whose signature and validity checked out: who it names and until when it is valid. */
public record VerifiedToken(String subject, Instant expires, JwtAlgorithm algorithm) {}
