package org.pasarela.transport.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The DTLS record layer's AES-GCM without a GHASH table: the same output as the GCM specification's test vectors
 * (McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 3 and 4), and a fraction of the memory per key.
 */
class CompactGcmCryptoTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308");
    private static final byte[] IV = HEX.parseHex("cafebabefacedbaddecaf888");
    /** Test case 4's plaintext; test case 3's is the same with four more bytes, and so are the ciphertexts. */
    private static final String PLAIN = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    private static final String CIPHER = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";

    private final CompactGcmCrypto crypto = new CompactGcmCrypto(new SecureRandom());

    @Test
    void encryptsTestCaseThree() throws Exception {
        byte[] out = seal(gcm(), PLAIN + "1aafd255", "");
        assertThat(HEX.formatHex(out)).isEqualTo(CIPHER + "473f5985" + "4d5c2af327cd64a62cf35abd2ba6fab4");
    }

    @Test
    void encryptsTestCaseFourWithAdditionalData() throws Exception {
        byte[] out = seal(gcm(), PLAIN, "feedfacedeadbeeffeedfacedeadbeefabaddad2");
        assertThat(HEX.formatHex(out)).isEqualTo(CIPHER + "5bc94fbc3221a5db94fae95ae7121a47");
    }

    @Test
    void decryptsWhatItSealedAndRefusesATamperedTag() throws Exception {
        byte[] sealed = seal(gcm(), PLAIN, "abad");
        AEADBlockCipher open = gcm();
        open.init(false, parameters("abad"));
        byte[] plain = new byte[open.getOutputSize(sealed.length)];
        int n = open.processBytes(sealed, 0, sealed.length, plain, 0);
        n += open.doFinal(plain, n);
        assertThat(HEX.formatHex(plain, 0, n)).isEqualTo(PLAIN);

        sealed[sealed.length - 1] ^= 1;
        AEADBlockCipher tampered = gcm();
        tampered.init(false, parameters("abad"));
        int m = tampered.processBytes(sealed, 0, sealed.length, new byte[sealed.length], 0);
        assertThatThrownBy(() -> tampered.doFinal(new byte[sealed.length], m))
                .isInstanceOf(InvalidCipherTextException.class);
    }

    @Test
    void isWhatEveryDtlsAssociationUses() {
        assertThat(DtlsEndpoint.CRYPTO).isInstanceOf(CompactGcmCrypto.class);
    }

    /**
     * Keying one cipher, as the record layer does for each direction, allocates under 2 KiB; Bouncy Castle's default
     * GCM (what {@code BcTlsCrypto} makes) allocates its 4 KiB table as 256 arrays, over 8 KiB, and keeps it as long
     * as the call's DTLS association.
     */
    @Test
    void keyingACipherAllocatesNoTable() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < 200; i++) { // classes loaded, code compiled
            keyed(gcm());
            keyed(GCMBlockCipher.newInstance(AESEngine.newInstance()));
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        keyed(gcm());
        long compact = threads.getCurrentThreadAllocatedBytes() - before;
        before = threads.getCurrentThreadAllocatedBytes();
        keyed(GCMBlockCipher.newInstance(AESEngine.newInstance()));
        long tables = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(compact).as("bytes allocated keying the compact GCM").isLessThan(2048);
        assertThat(tables).as("bytes allocated keying Bouncy Castle's default GCM").isGreaterThan(8192);
    }

    private AEADBlockCipher gcm() {
        return crypto.createGCMMode(AESEngine.newInstance()); // the engine BcTlsCrypto gives it
    }

    private static AEADBlockCipher keyed(AEADBlockCipher cipher) {
        cipher.init(true, parameters(""));
        return cipher;
    }

    /** The test vectors' key and IV, a 128-bit tag, and {@code aadHex} as additional data. */
    private static AEADParameters parameters(String aadHex) {
        return new AEADParameters(new KeyParameter(KEY), 128, IV, HEX.parseHex(aadHex));
    }

    private static byte[] seal(AEADBlockCipher cipher, String plainHex, String aadHex) throws Exception {
        cipher.init(true, parameters(aadHex));
        byte[] plain = HEX.parseHex(plainHex);
        byte[] out = new byte[cipher.getOutputSize(plain.length)];
        int n = cipher.processBytes(plain, 0, plain.length, out, 0);
        cipher.doFinal(out, n);
        return out;
    }
}
