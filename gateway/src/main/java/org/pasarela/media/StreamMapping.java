package org.pasarela.media;

/**
 * How the current source's numbering maps onto a rewriter's output: {@code out = in + offset}, modulo 2^16 for
 * sequence numbers and 2^32 for timestamps. Published by {@link RtpRewriter} when the source changes, and read by
 * {@link RtcpTranslator} to translate reports.
 */
record StreamMapping(int sourceSsrc, int sequenceOffset, int timestampOffset) {
}
