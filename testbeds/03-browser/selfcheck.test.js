'use strict';
// The media harness proves itself without the gateway, so that a failing media test later points
// at the gateway and not at the harness:
// - the WAV analysis finds the frequency and level of sox-made tones (and nothing in silence);
// - real Chromium with the fake microphone delivers the 440 Hz tone through an in-page
//   RTCPeerConnection pair to the remote-track analyser (WebAudio, via a muted <audio> element);
// - Chromium's ICE checks reach an ICE-lite peer whose only candidate is 127.0.0.1, as the
//   gateway's is: STUN Binding requests arrive at a Node UDP socket standing in for it.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const dgram = require('node:dgram');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { outDirFor } = require('../lib/gateway');
const { makeTone, analyseWav } = require('../lib/audio');
const { launchBrowser } = require('../lib/browser');

const FILE = '03-browser-selfcheck';

describe('WAV analysis', () => {
  const dir = outDirFor(FILE, 'tones');
  for (const [freq, rate] of [[440, 48000], [1000, 8000], [1000, 48000], [440, 8000]]) {
    test(`finds ${freq} Hz and the level in a ${rate / 1000} kHz sox tone`, () => {
      const file = makeTone({ file: path.join(dir, `tone-${freq}-${rate}.wav`), freq, rate, seconds: 3, amplitude: 0.5 });
      const a = analyseWav(file);
      assert.equal(a.sampleRate, rate);
      assert.ok(Math.abs(a.seconds - 3) < 0.01, `length ${a.seconds} s`);
      assert.ok(Math.abs(a.dominantHz - freq) < 2, `dominant ${a.dominantHz} Hz, expected ${freq}`);
      // A sine of peak 0.5 has an RMS of 0.5/sqrt(2) = -9.03 dBFS.
      assert.ok(Math.abs(a.rmsDbfs - -9.03) < 0.2, `level ${a.rmsDbfs} dBFS`);
    });
  }

  test('agrees with sox stats on the level of a tone', () => {
    const file = makeTone({ file: path.join(dir, 'tone-sox-check.wav'), freq: 700, rate: 8000, seconds: 2, amplitude: 0.25 });
    // sox prints its stats on stderr.
    const out = spawnSync('sox', [file, '-n', 'stats'], { encoding: 'utf8' }).stderr;
    const m = /RMS lev dB\s+(-?[\d.]+)/.exec(out);
    assert.ok(m, `no "RMS lev dB" in sox stats:\n${out}`);
    const ours = analyseWav(file).rmsDbfs;
    assert.ok(Math.abs(ours - Number(m[1])) < 0.1, `ours ${ours} dBFS, sox ${m[1]} dBFS`);
  });

  test('reports no frequency for silence', () => {
    const file = makeTone({ file: path.join(dir, 'quiet.wav'), freq: 440, rate: 8000, seconds: 1, amplitude: 0.00001 });
    const a = analyseWav(file);
    assert.equal(a.dominantHz, null, JSON.stringify(a));
    assert.ok(a.rmsDbfs < -80);
  });
});

describe('real Chromium', () => {
  let browser;
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE, 'chromium'), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => { if (browser) await browser.close(); });

  test('hears its fake 440 Hz microphone on a remote track through an in-page peer connection', async () => {
    const phone = await browser.softphone();
    const { samples, inbound, states } = await phone.loopback({ ms: 1500 });
    assert.deepEqual(states, { a: 'connected', b: 'connected' });
    assert.ok(inbound && inbound.packetsReceived > 20, `inbound-rtp ${JSON.stringify(inbound)}`);
    const heard = samples.filter((s) => s && s.dominantHz !== null);
    assert.ok(heard.length >= samples.length / 2, `remote audio samples: ${JSON.stringify(samples)}`);
    for (const s of heard) {
      assert.ok(Math.abs(s.dominantHz - 440) < 6, `dominant ${s.dominantHz} Hz in ${JSON.stringify(s)}`);
      assert.ok(s.rmsDbfs > -30, `level ${s.rmsDbfs} dBFS`);
    }
  });

  test('sends STUN binding checks to an ICE-lite peer whose only candidate is 127.0.0.1', async () => {
    const socket = dgram.createSocket('udp4');
    const checks = [];
    socket.on('message', (msg, from) => {
      // STUN: first two bits 0, magic cookie 0x2112A442 at offset 4; 0x0001 = Binding request.
      if (msg.length >= 20 && msg.readUInt32BE(4) === 0x2112a442) checks.push({ type: msg.readUInt16BE(0), from: `${from.address}:${from.port}` });
    });
    await new Promise((r) => socket.bind(0, '127.0.0.1', r));
    try {
      const phone = await browser.softphone();
      const state = await phone.page.evaluate(async (port) => {
        const s = await navigator.mediaDevices.getUserMedia({ audio: true });
        const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
        pc.addTrack(s.getAudioTracks()[0], s);
        await pc.setLocalDescription(await pc.createOffer());
        const mid = pc.getTransceivers()[0].mid;
        // The shape of the gateway's answer (ice-lite, one host candidate, setup:passive); the
        // fingerprint is arbitrary as DTLS never starts without a STUN answer.
        const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${mid}`, 'a=ice-lite',
          `m=audio ${port} UDP/TLS/RTP/SAVPF 0`, 'c=IN IP4 127.0.0.1', `a=candidate:1 1 udp 2130706431 127.0.0.1 ${port} typ host`,
          'a=ice-ufrag:selfchk1', 'a=ice-pwd:selfcheckselfcheckselfch',
          `a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}`, 'a=setup:passive', `a=mid:${mid}`, 'a=sendrecv', 'a=rtcp-mux',
          'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
        await pc.setRemoteDescription({ type: 'answer', sdp });
        await new Promise((r) => setTimeout(r, 1500));
        const out = { iceConnectionState: pc.iceConnectionState, signalingState: pc.signalingState };
        pc.close();
        return out;
      }, socket.address().port);
      assert.equal(state.signalingState, 'stable');
      const bindings = checks.filter((c) => c.type === 0x0001);
      assert.ok(bindings.length >= 2, `STUN Binding requests at the stand-in: ${JSON.stringify(checks)} (browser ${JSON.stringify(state)})`);
    } finally {
      socket.close();
    }
  });
});
