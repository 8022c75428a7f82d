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
 * default GHASH multiplier precomputes a 4 KiB table per key, held as 256 two-long arrays: 18 KiB of the 23 KiB a
 * held call kept on the heap at 500 calls, and 512 of its objects (class histograms, docs/benchmarks.md finding
 * 15). Every young collection copies that for each call set up since the last one. The table only speeds up bulk
 * data; after the handshake these ciphers see a Finished message and an alert or two, while SRTP runs in our own
 * code with its own keys.
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
