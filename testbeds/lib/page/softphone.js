// A minimal softphone for the Pasarela signaling protocol (docs/protocol.md), in plain browser JS.
// testbeds/lib/browser.js loads it in real Chromium and drives it through window.softphone; every
// method returns plain JSON-able values so that page.evaluate() can hand them to Node.
//
// What it records (softphone.snapshot()):
//   messages   every JSON message received from the gateway, in order
//   timeline   { t, what, value } for each WebSocket message sent/received and each change of
//              signalingState, iceGatheringState, iceConnectionState, connectionState, DTLS state
//   offer      the local offer as sent; answer: the remote answer as received
//   answerResult { ok: true } or { ok: false, name, message } from setRemoteDescription(answer)
// Remote audio: the received track is played by a muted <audio> element and analysed by a WebAudio
// AnalyserNode (fftSize 8192): softphone.remoteAudio() = { dominantHz, rms, sampleRate }.
'use strict';

(function () {
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);

  const sp = {
    ws: null,
    pc: null,
    localStream: null,
    callId: null,
    nextId: 1,
    pending: new Map(), // request id -> resolve
    messages: [],
    timeline: [],
    errors: [],
    offer: null,
    answer: null,
    answerResult: null,
    pranswerResult: null,
    remote: null, // { track, stream, ctx, analyser }
    remoteTracks: 0,
    localCandidates: [],
    candidateErrors: [],
    pendingTrickle: [],
  };

  function note(what, value) {
    sp.timeline.push({ t: now(), what, value });
    const log = document.getElementById('log');
    if (log) log.textContent += `${now()} ms ${what} ${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
  }

  function errorInfo(e) {
    return { name: (e && e.name) || 'Error', message: String((e && e.message) || e) };
  }

  function send(obj) {
    note('ws-out', obj.type === 'call' ? { ...obj, jsep: { type: obj.jsep.type, sdp: '…' } } : obj);
    sp.ws.send(JSON.stringify(obj));
  }

  /** Sends obj with a fresh id; resolves with the ack/error/pong that answers it. */
  function request(obj, timeoutMs = 10000) {
    const id = String(sp.nextId++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sp.pending.delete(id);
        reject(new Error(`no reply to ${obj.type} (id ${id}) within ${timeoutMs} ms`));
      }, timeoutMs);
      sp.pending.set(id, (reply) => { clearTimeout(timer); resolve(reply); });
      send({ ...obj, id });
    });
  }

  async function onMessage(text) {
    let msg;
    try { msg = JSON.parse(text); } catch (e) { msg = { type: '<unparsable>', text }; }
    sp.messages.push(msg);
    note('ws-in', msg.jsep ? { ...msg, jsep: { type: msg.jsep.type, sdp: '…' } } : msg);
    if (msg.id !== undefined && sp.pending.has(msg.id)) {
      const resolve = sp.pending.get(msg.id);
      sp.pending.delete(msg.id);
      resolve(msg);
    }
    try {
      if (msg.type === 'progress' && msg.jsep && sp.pc) {
        try {
          await sp.pc.setRemoteDescription(msg.jsep);
          sp.pranswerResult = { ok: true };
        } catch (e) {
          sp.pranswerResult = { ok: false, ...errorInfo(e) };
        }
        note('pranswer-applied', sp.pranswerResult);
      } else if (msg.type === 'answered' && sp.pc) {
        sp.answer = msg.jsep;
        try {
          await sp.pc.setRemoteDescription(msg.jsep);
          sp.answerResult = { ok: true };
        } catch (e) {
          sp.answerResult = { ok: false, ...errorInfo(e) };
        }
        note('answer-applied', sp.answerResult);
      } else if (msg.type === 'candidate' && sp.pc && msg.candidate) {
        await sp.pc.addIceCandidate(msg.candidate);
      } else if (msg.type === 'hangup' && msg.call === sp.callId) {
        closePc();
      }
    } catch (e) {
      sp.errors.push({ at: now(), where: `on ${msg.type}`, ...errorInfo(e) });
    }
  }

  /**
   * Before a further call on this page: forgets the previous call's per-call state (so that
   * waitForAnswerApplied and remoteAudio see only the new call) and releases its resources
   * (peer connection, microphone, AudioContext, <audio> element). Messages and timeline stay.
   */
  function newCall() {
    if (sp.pc && sp.pc.signalingState !== 'closed') closePc();
    if (sp.localStream) for (const t of sp.localStream.getTracks()) t.stop();
    if (sp.remote) {
      sp.remote.ctx.close().catch(() => {});
      if (sp.remote.element) sp.remote.element.srcObject = null;
    }
    Object.assign(sp, {
      pc: null, localStream: null, callId: null, offer: null, answer: null, answerResult: null, pranswerResult: null,
      remote: null, remoteTracks: 0, localCandidates: [], candidateErrors: [], pendingTrickle: [],
    });
  }

  function closePc() {
    if (sp.pc) {
      note('pc', 'close');
      sp.pc.close();
    }
  }

  function watch(pc) {
    for (const [event, prop] of [['signalingstatechange', 'signalingState'], ['icegatheringstatechange', 'iceGatheringState'],
      ['iceconnectionstatechange', 'iceConnectionState'], ['connectionstatechange', 'connectionState']]) {
      pc.addEventListener(event, () => note(prop, pc[prop]));
    }
    pc.addEventListener('icecandidateerror', (e) => {
      sp.candidateErrors.push({ url: e.url, errorCode: e.errorCode, errorText: e.errorText, address: e.address, port: e.port });
    });
    pc.addEventListener('track', (e) => {
      sp.remoteTracks++;
      note('track', { kind: e.track.kind, streams: e.streams.length, muted: e.track.muted });
      e.track.addEventListener('unmute', () => note('track-unmute', e.track.kind));
      e.track.addEventListener('mute', () => note('track-mute', e.track.kind));
      if (e.track.kind === 'audio') sp.remote = attachRemote(e.track, e.streams, sp.attachElement);
    });
  }

  /** Watches the DTLS transport of the first sender/receiver once it exists (after setLocalDescription). */
  function watchDtls(pc) {
    const transport = pc.getSenders().map((s) => s.transport).find(Boolean);
    if (!transport || transport.__watched) return;
    transport.__watched = true;
    note('dtlsState', transport.state);
    transport.addEventListener('statechange', () => note('dtlsState', transport.state));
    transport.addEventListener('error', (e) => sp.errors.push({ at: now(), where: 'dtls', ...errorInfo(e.error || e) }));
  }

  /**
   * Plays a remote audio track and analyses it. The answer from the gateway has no a=msid, so
   * event.streams is empty and a MediaStream is built around the track. With attachElement,
   * a muted autoplaying <audio> element plays the stream, which Chromium needs before it feeds
   * remote WebRTC audio into WebAudio (crbug.com/933677).
   */
  function attachRemote(track, streams, attachElement = true) {
    const stream = streams && streams.length ? streams[0] : new MediaStream([track]);
    let element = null;
    if (attachElement) {
      element = document.getElementById('remote') || document.createElement('audio');
      element.muted = true;
      element.autoplay = true;
      element.srcObject = stream;
      element.play().catch((e) => sp.errors.push({ at: now(), where: 'audio.play', ...errorInfo(e) }));
    }
    const ctx = new AudioContext();
    ctx.resume().catch(() => {});
    const source = ctx.createMediaStreamSource(stream);
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    source.connect(analyser);
    return { track, stream, ctx, analyser, element };
  }

  function analyse(remote) {
    if (!remote) return null;
    const { analyser, ctx } = remote;
    const freq = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(freq);
    const time = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(time);
    let sum = 0;
    for (const s of time) sum += s * s;
    const rms = Math.sqrt(sum / time.length);
    const binHz = ctx.sampleRate / analyser.fftSize;
    let best = -1;
    for (let k = Math.ceil(50 / binHz); k < freq.length; k++) {
      if (Number.isFinite(freq[k]) && (best < 0 || freq[k] > freq[best])) best = k;
    }
    const silent = !(rms > 1e-4) || best < 0;
    // Parabolic interpolation over the dB values around the strongest bin.
    let shift = 0;
    if (!silent && best > 0 && best < freq.length - 1 && [freq[best - 1], freq[best + 1]].every(Number.isFinite)) {
      const d = freq[best - 1] - 2 * freq[best] + freq[best + 1];
      if (d !== 0) shift = (0.5 * (freq[best - 1] - freq[best + 1])) / d;
    }
    return {
      dominantHz: silent ? null : (best + shift) * binHz,
      peakDb: best < 0 || !Number.isFinite(freq[best]) ? null : freq[best],
      rms,
      rmsDbfs: rms > 0 ? 20 * Math.log10(rms) : null,
      sampleRate: ctx.sampleRate,
      contextState: ctx.state,
      trackMuted: remote.track.muted,
      trackState: remote.track.readyState,
    };
  }

  async function gather(pc, timeoutMs) {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') { clearTimeout(timer); resolve(); }
      });
    });
  }

  function pick(s, keys) {
    const out = { id: s.id, type: s.type };
    for (const k of keys) if (s[k] !== undefined) out[k] = s[k];
    return out;
  }

  // A steady test tone must reach the far end as it is: the default audio processing (noise
  // suppression above all) attenuates a stationary sine within a second or two.
  const RAW_AUDIO = { echoCancellation: false, noiseSuppression: false, autoGainControl: false };

  Object.assign(sp, {
    /** Opens the signaling WebSocket. */
    connect(url) {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        sp.ws = ws;
        ws.onmessage = (e) => onMessage(e.data);
        ws.onclose = (e) => note('ws-close', { code: e.code, reason: e.reason });
        ws.onopen = () => { note('ws-open', url); resolve(true); };
        ws.onerror = () => reject(new Error(`WebSocket ${url} failed`));
      });
    },

    login(user, password) {
      return request({ type: 'login', user, password });
    },

    /**
     * getUserMedia audio, createOffer, then either waits for ICE gathering to complete and sends
     * the complete offer (default), or sends it at once and trickles candidates (trickle: true).
     * Resolves with { reply, offer } once the call request is answered (ack or error).
     */
    async call({ to, profile, trickle = false, gatherTimeoutMs = 5000, attachElement = true, pcConfig = {}, audio = RAW_AUDIO }) {
      newCall();
      sp.attachElement = attachElement;
      sp.localStream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', ...pcConfig });
      sp.pc = pc;
      watch(pc);
      for (const track of sp.localStream.getAudioTracks()) pc.addTrack(track, sp.localStream);
      pc.addEventListener('icecandidate', (e) => {
        const c = e.candidate ? e.candidate.toJSON() : null;
        sp.localCandidates.push(c);
        if (!trickle) return;
        if (sp.callId) send({ type: 'candidate', call: sp.callId, candidate: c });
        else sp.pendingTrickle.push(c);
      });
      await pc.setLocalDescription(await pc.createOffer());
      watchDtls(pc);
      if (!trickle) await gather(pc, gatherTimeoutMs);
      sp.offer = pc.localDescription.toJSON();
      const body = { type: 'call', to, jsep: sp.offer };
      if (profile) body.profile = profile;
      const reply = await request(body);
      if (reply.type === 'ack') {
        sp.callId = reply.call;
        for (const c of sp.pendingTrickle.splice(0)) send({ type: 'candidate', call: sp.callId, candidate: c });
      }
      return { reply, offer: sp.offer };
    },

    /** Sends `register` for a profile; resolves with its ack or error. */
    register(profile) {
      return request({ type: 'register', profile });
    },

    /**
     * Answers the `incoming` call `call` (the latest one if not given): getUserMedia, the gateway's
     * offer as remote description, createAnswer, and `accept` with the answer right away (the
     * gateway is ICE-lite and needs no candidates from the browser). Resolves with the accept's
     * ack or error.
     */
    async accept({ call, attachElement = true, audio = RAW_AUDIO } = {}) {
      const incoming = sp.messages.filter((m) => m.type === 'incoming' && (call === undefined || m.call === call)).at(-1);
      if (!incoming) throw new Error(`no incoming call ${call || ''} to accept`);
      newCall();
      sp.attachElement = attachElement;
      sp.callId = incoming.call;
      sp.offer = incoming.jsep;
      sp.localStream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
      sp.pc = pc;
      watch(pc);
      pc.addEventListener('icecandidate', (e) => sp.localCandidates.push(e.candidate ? e.candidate.toJSON() : null));
      await pc.setRemoteDescription(incoming.jsep);
      for (const track of sp.localStream.getAudioTracks()) pc.addTrack(track, sp.localStream);
      await pc.setLocalDescription(await pc.createAnswer());
      watchDtls(pc);
      sp.answer = pc.localDescription.toJSON();
      return request({ type: 'accept', call: incoming.call, jsep: sp.answer });
    },

    /** Sends `reject` for an incoming call; resolves with its ack or error. */
    reject({ call, everywhere = false } = {}) {
      const incoming = sp.messages.filter((m) => m.type === 'incoming' && (call === undefined || m.call === call)).at(-1);
      return request({ type: 'reject', call: call || (incoming && incoming.call), everywhere });
    },

    /** Sends any request (with a fresh id); resolves with its ack or error. */
    raw(body) {
      return request(body);
    },

    /** Sends hangup for the current call; resolves with its ack. */
    hangup() {
      return request({ type: 'hangup', call: sp.callId });
    },

    /**
     * Media without this page's signaling (for tests whose signaling is elsewhere, e.g. a Node
     * WebSocket): getUserMedia, a peer connection set up as call() does, createOffer, and the
     * complete offer after ICE gathering. Resolves with the offer; give the answer to applyAnswer().
     */
    async offerOnly({ gatherTimeoutMs = 5000, attachElement = true, pcConfig = {}, audio = RAW_AUDIO } = {}) {
      newCall();
      sp.attachElement = attachElement;
      sp.localStream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', ...pcConfig });
      sp.pc = pc;
      watch(pc);
      for (const track of sp.localStream.getAudioTracks()) pc.addTrack(track, sp.localStream);
      pc.addEventListener('icecandidate', (e) => sp.localCandidates.push(e.candidate ? e.candidate.toJSON() : null));
      await pc.setLocalDescription(await pc.createOffer());
      watchDtls(pc);
      await gather(pc, gatherTimeoutMs);
      sp.offer = pc.localDescription.toJSON();
      note('offer-only', { type: sp.offer.type });
      return sp.offer;
    },

    /** setRemoteDescription(answer) for offerOnly(); resolves { ok } or { ok: false, name, message }. */
    async applyAnswer(jsep) {
      sp.answer = jsep;
      try {
        await sp.pc.setRemoteDescription(jsep);
        sp.answerResult = { ok: true };
      } catch (e) {
        sp.answerResult = { ok: false, ...errorInfo(e) };
      }
      note('answer-applied', sp.answerResult);
      return sp.answerResult;
    },

    /** Sends dtmf for the current call (durationMs optional); resolves with its ack or error. */
    dtmf(digits, durationMs) {
      const body = { type: 'dtmf', call: sp.callId, digits };
      if (durationMs !== undefined) body.durationMs = durationMs;
      return request(body);
    },

    /**
     * The browser's media vanishes while its signaling stays: closes the RTCPeerConnection and
     * stops the microphone, without any hangup message. Resolves with the states after close().
     */
    dropMedia() {
      closePc();
      if (sp.localStream) for (const t of sp.localStream.getTracks()) t.stop();
      return { signalingState: sp.pc ? sp.pc.signalingState : null, wsReadyState: sp.ws ? sp.ws.readyState : null };
    },

    /** Everything recorded so far, plus the peer connection's current states. */
    snapshot() {
      const pc = sp.pc;
      const transceivers = pc && pc.signalingState !== 'closed' ? pc.getTransceivers() : [];
      const dtls = pc && pc.signalingState !== 'closed' ? pc.getSenders().map((s) => s.transport).find(Boolean) : null;
      return {
        callId: sp.callId,
        messages: sp.messages,
        timeline: sp.timeline,
        errors: sp.errors,
        offer: sp.offer,
        answer: sp.answer,
        answerResult: sp.answerResult,
        pranswerResult: sp.pranswerResult,
        localCandidates: sp.localCandidates,
        candidateErrors: sp.candidateErrors,
        remoteTracks: sp.remoteTracks,
        pc: pc && {
          signalingState: pc.signalingState,
          iceGatheringState: pc.iceGatheringState,
          iceConnectionState: pc.iceConnectionState,
          connectionState: pc.connectionState,
          dtlsState: dtls ? dtls.state : null,
          currentRemoteDescription: pc.currentRemoteDescription && pc.currentRemoteDescription.toJSON(),
          transceivers: transceivers.map((t) => ({ mid: t.mid, direction: t.direction, currentDirection: t.currentDirection, kind: t.receiver.track.kind })),
        },
      };
    },

    /** getStats() reduced to the audio RTP streams, the transport and the selected candidate pair. */
    async stats() {
      if (!sp.pc || sp.pc.signalingState === 'closed') return null;
      const report = await sp.pc.getStats();
      const out = { inbound: null, outbound: null, transport: null, candidatePair: null, codecs: [] };
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          out.inbound = pick(s, ['ssrc', 'packetsReceived', 'bytesReceived', 'packetsLost', 'jitter', 'audioLevel', 'totalAudioEnergy', 'codecId']);
        } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
          out.outbound = pick(s, ['ssrc', 'packetsSent', 'bytesSent', 'codecId']);
        } else if (s.type === 'transport') {
          out.transport = pick(s, ['dtlsState', 'iceState', 'iceRole', 'dtlsRole', 'selectedCandidatePairId', 'srtpCipher', 'tlsVersion', 'packetsSent', 'packetsReceived']);
        } else if (s.type === 'codec') {
          out.codecs.push(pick(s, ['payloadType', 'mimeType', 'clockRate']));
        }
      });
      if (out.transport && out.transport.selectedCandidatePairId) {
        const p = report.get(out.transport.selectedCandidatePairId);
        if (p) out.candidatePair = pick(p, ['state', 'nominated', 'requestsSent', 'responsesReceived', 'bytesSent', 'bytesReceived']);
      }
      const pairs = [];
      report.forEach((s) => { if (s.type === 'candidate-pair') pairs.push(pick(s, ['state', 'nominated', 'requestsSent', 'responsesReceived', 'localCandidateId', 'remoteCandidateId'])); });
      out.candidatePairs = pairs;
      return out;
    },

    /** Dominant frequency and level of the remote audio right now (null before a remote track). */
    remoteAudio() {
      return analyse(sp.remote);
    },

    /**
     * Self-check without the gateway: the fake microphone goes through a second RTCPeerConnection
     * in this page and comes back as a remote track, analysed like the gateway's. Resolves with
     * samples of remoteAudio() taken every 200 ms for `ms`, and the receiver's getStats().
     */
    async loopback({ ms = 2000, attachElement = true, audio = RAW_AUDIO } = {}) {
      const stream = await navigator.mediaDevices.getUserMedia({ audio, video: false });
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
      let remote = null;
      const gotTrack = new Promise((resolve) => {
        b.ontrack = (e) => { remote = attachRemote(e.track, [], attachElement); resolve(); };
      });
      a.addTrack(stream.getAudioTracks()[0], stream);
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      await gotTrack;
      const samples = [];
      const until = performance.now() + ms;
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 200));
        samples.push(analyse(remote));
      }
      let inbound = null;
      (await b.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') inbound = pick(s, ['packetsReceived', 'audioLevel', 'totalAudioEnergy']); });
      const states = { a: a.connectionState, b: b.connectionState };
      a.close();
      b.close();
      remote.ctx.close();
      if (remote.element) remote.element.srcObject = null;
      for (const t of stream.getTracks()) t.stop();
      return { samples, inbound, states };
    },
  });

  window.softphone = sp;
})();
