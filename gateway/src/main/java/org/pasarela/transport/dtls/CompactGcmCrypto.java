package org.pasarela.transport.dtls;

import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Bouncy Castle's lightweight TLS crypto, with AES-GCM record ciphers that keep no multiplication table.
 *
 * <p>Why: a DTLS association outlives its handshake for the whole call (it answers the peer's retransmitted final
 * flight and carries the closing alert), and with it the record layer's two AES-GCM ciphers. Bouncy Castle's
 * default GHASH multiplier precomputes a 4 KiB table per key, held as 256 two-long arrays: 18 KiB and 514 objects
 * of the 22-23 KiB the live heap grew by per held call at 500 calls (class histograms, docs/benchmarks.md finding
 * 15). The table only speeds up bulk data; after the handshake these ciphers see a Finished message and an alert
 * or two, while SRTP runs in our own code with its own keys.
 */
final class CompactGcmCrypto extends BcTlsCrypto {
    CompactGcmCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    protected AEADBlockCipher createGCMMode(BlockCipher engine) {
        return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
    }
}
