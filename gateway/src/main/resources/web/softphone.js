// The softphone page served at the gateway's root, built on pasarela.js. Plain DOM, no framework.
// window.pasarelaApp exposes the client and the live calls (for people poking at it and for the tests).

import { PasarelaClient, describeOutcome } from '/pasarela.js';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'pasarela.session';
const REGISTER_KEY = 'pasarela.register';
const HISTORY_PAGE = 20;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const KEY_LETTERS = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ', 0: '+' };
const STATE_TEXT = {
  new: 'Opening the microphone…', calling: 'Calling…', ringing: 'Ringing…', progress: 'Connecting…', answered: 'Connected',
  incoming: 'Ringing here…', accepting: 'Answering…',
};
const CHART_SAMPLES = 60;

const app = { client: null, calls: [], incoming: [], speakerId: '', microphoneId: '', history: [], registeredWith: null };
window.pasarelaApp = app;

// ---- notices and status -----------------------------------------------------------------------------

function notify(text) {
  const n = $('notice');
  n.textContent = text;
  n.hidden = !text;
}

function showStatus(state) {
  const s = $('status');
  s.dataset.state = state;
  s.textContent = { idle: 'Not connected', connecting: 'Connecting…', ready: 'Connected', reconnecting: 'Connection lost: reconnecting…', closed: 'Not connected' }[state] || state;
}

// ---- login ------------------------------------------------------------------------------------------

function defaultUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host || '127.0.0.1:8080'}/ws`;
}

async function logIn({ url, user, password }) {
  notify('');
  $('login-button').disabled = true;
  const client = new PasarelaClient({ url, user, password });
  app.client = client;
  client.addEventListener('state', (e) => showStatus(e.detail.state));
  client.addEventListener('ready', (e) => {
    fillProfiles(e.detail.profiles, e.detail.defaultProfile);
    if (e.detail.reconnected) notify('');
    loadHistory();
  });
  client.addEventListener('disconnected', (e) => {
    if (e.detail.willReconnect) notify('The connection to the gateway was lost. Reconnecting…');
  });
  client.addEventListener('error', (e) => {
    notify(e.detail.error.message);
    if (client.state === 'closed') showLogin();
  });
  client.addEventListener('call', (e) => addCall(e.detail.call));
  client.addEventListener('incoming', (e) => addIncoming(e.detail.call));
  client.addEventListener('registration', (e) => showRegistration(e.detail));
  client.addEventListener('registration-failed', (e) => {
    // A re-registration after a reconnect that the gateway refused: the state line falls back to "not registered".
    if (!client.registrations.has(e.detail.profile)) notify(e.detail.message);
  });
  client.addEventListener('missed', (e) => showMissed(e.detail.calls));
  try {
    await client.connect();
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ url, user, password }));
    $('who').textContent = user;
    $('login').hidden = true;
    $('phone').hidden = false;
    $('history').hidden = false;
    $('to').focus();
    listDevices();
    const wanted = sessionStorage.getItem(REGISTER_KEY);
    if (wanted !== null) registerWith(wanted);
  } catch (e) {
    notify(e.message);
    showLogin();
    sessionStorage.removeItem(SESSION_KEY);
  } finally {
    $('login-button').disabled = false;
  }
}

function showLogin() {
  $('login').hidden = false;
  $('phone').hidden = true;
  $('history').hidden = true;
  $('missed').hidden = true;
  showRegistration({ state: 'unregistered' });
}

function logOut() {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(REGISTER_KEY);
  if (app.client) app.client.close();
  app.client = null;
  showLogin();
  showStatus('idle');
  $('login-password').value = '';
  $('login-password').focus();
}

function fillProfiles(profiles, defaultProfile) {
  const select = $('profile');
  const chosen = select.value;
  select.replaceChildren();
  if (!profiles.length) select.append(new Option('Gateway default', ''));
  for (const name of profiles) select.append(new Option(name === defaultProfile ? `${name} (default)` : name, name));
  select.value = profiles.includes(chosen) ? chosen : (defaultProfile || profiles[0] || '');
  const reg = $('register-profile');
  const regChosen = reg.value || sessionStorage.getItem(REGISTER_KEY) || '';
  reg.replaceChildren(...(profiles.length ? profiles : ['']).map((name) => new Option(name || 'Gateway default', name)));
  reg.value = profiles.includes(regChosen) ? regChosen : (defaultProfile || profiles[0] || '');
}

// ---- dial pad -----------------------------------------------------------------------------------------

function makePad(container, onKey, labelPrefix) {
  for (const key of KEYS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'key';
    b.dataset.key = key;
    b.setAttribute('aria-label', `${labelPrefix} ${key === '*' ? 'star' : key === '#' ? 'pound' : key}`);
    b.innerHTML = `<span>${key}</span><small>${KEY_LETTERS[key] || '&nbsp;'}</small>`;
    b.addEventListener('click', () => onKey(key));
    container.append(b);
  }
}

function placeCall(event) {
  event.preventDefault();
  const to = $('to').value.trim();
  if (!to || !app.client) return;
  const options = { profile: $('profile').value || undefined };
  if (app.microphoneId) options.audio = { deviceId: { exact: app.microphoneId } };
  try {
    app.client.call(to, options);
  } catch (e) {
    notify(e.message);
  }
}

// ---- calls ------------------------------------------------------------------------------------------

function addCall(call) {
  const card = $('call-template').content.firstElementChild.cloneNode(true);
  const view = {
    call, card, samples: [], timer: null, sampler: null,
    state: card.querySelector('.callstate'),
    clock: card.querySelector('.timer'),
    audio: card.querySelector('audio'),
    canvas: card.querySelector('canvas'),
  };
  app.calls.push(view);
  const incoming = call.direction === 'incoming';
  const who = incoming ? `${call.peer}` : call.to;
  card.querySelector('.callee').textContent = (incoming ? `From ${who}` : who) + (call.profile ? ` · ${call.profile}` : '');
  card.setAttribute('aria-label', incoming ? `Call from ${who}` : `Call to ${who}`);
  const hangup = card.querySelector('.hangup');
  hangup.setAttribute('aria-label', `Hang up the call ${incoming ? 'from' : 'to'} ${who}`);
  hangup.addEventListener('click', () => call.hangup());
  const mute = card.querySelector('.mute');
  mute.addEventListener('click', () => {
    const muted = call.setMuted(!call.muted);
    mute.setAttribute('aria-pressed', String(muted));
    mute.textContent = muted ? 'Unmute' : 'Mute';
  });
  const hold = card.querySelector('.hold');
  view.holdLabel = (held) => `${held ? 'Resume' : 'Hold'} the call ${incoming ? 'from' : 'to'} ${who}`;
  hold.setAttribute('aria-label', view.holdLabel(false));
  hold.addEventListener('click', () => toggleHold(view));
  call.addEventListener('hold', (e) => showHold(view, e.detail.held));
  const transfer = card.querySelector('.transfer');
  transfer.querySelector('input').setAttribute('aria-label', `Transfer the call ${incoming ? 'from' : 'to'} ${who} to`);
  transfer.addEventListener('submit', (e) => { e.preventDefault(); transferCall(view); });
  call.addEventListener('transfer-failed', (e) => {
    view.state.textContent = e.detail.message;
    notify(e.detail.message);
  });
  const pad = card.querySelector('.dtmf');
  pad.setAttribute('aria-label', `Keypad for the call ${incoming ? 'from' : 'to'} ${who}`);
  makePad(pad, (key) => sendTone(view, key), 'Send tone');
  if (app.speakerId && view.audio.setSinkId) view.audio.setSinkId(app.speakerId).catch(() => {});

  call.addEventListener('state', (e) => render(view, e.detail.state));
  call.addEventListener('track', (e) => { view.audio.srcObject = e.detail.stream; });
  call.addEventListener('answered', () => startAnswered(view));
  call.addEventListener('ended', (e) => endCall(view, e.detail));
  render(view, call.state);
  $('calls').prepend(card);
  return view;
}

function removeCallView(view) {
  view.card.remove();
  app.calls = app.calls.filter((v) => v !== view);
}

function render(view, state) {
  view.card.dataset.state = state;
  if (view.call.id) view.card.dataset.callId = view.call.id;
  if (state !== 'ended') view.state.textContent = STATE_TEXT[state] || state;
  const answered = state === 'answered';
  view.card.querySelector('.dtmf').hidden = !answered;
  view.card.querySelector('.hold').hidden = !answered;
  view.card.querySelector('.transfer').hidden = !answered;
  view.card.querySelector('.quality').hidden = !answered && !view.samples.length;
}

function startAnswered(view) {
  const tick = () => { view.clock.textContent = formatDuration(view.call.talkingMs); };
  tick();
  view.timer = setInterval(tick, 500);
  view.sampler = setInterval(() => sample(view), 1000);
  view.card.querySelector('.dtmf .key').focus();
}

/** Hold or Resume, whichever the call is not; the button is busy until the far end agreed. */
async function toggleHold(view) {
  const button = view.card.querySelector('.hold');
  const hold = !view.call.held;
  button.disabled = true;
  view.state.textContent = hold ? 'Putting on hold…' : 'Resuming…';
  try {
    await (hold ? view.call.hold() : view.call.unhold());
  } catch (e) {
    if (view.call.state !== 'ended') view.state.textContent = hold ? 'Still connected: not on hold.' : 'Still on hold.';
    notify(e.message);
  } finally {
    button.disabled = false;
  }
}

function showHold(view, held) {
  const button = view.card.querySelector('.hold');
  // The name says what a press does next (Hold, then Resume), so it carries no aria-pressed as well.
  button.setAttribute('aria-label', view.holdLabel(held));
  button.textContent = held ? 'Resume' : 'Hold';
  view.card.dataset.held = String(held);
  view.state.textContent = held ? 'On hold' : STATE_TEXT.answered;
}

async function transferCall(view) {
  const form = view.card.querySelector('.transfer');
  const input = form.querySelector('input');
  const to = input.value.trim();
  if (!to) return;
  form.querySelector('button').disabled = true;
  view.state.textContent = `Transferring to ${to}…`;
  try {
    await view.call.transfer(to);
    view.state.textContent = `Transferring to ${to}: waiting for them to answer…`;
  } catch (e) {
    if (view.call.state !== 'ended') view.state.textContent = view.call.held ? 'On hold' : STATE_TEXT.answered;
    notify(e.message);
  } finally {
    form.querySelector('button').disabled = false;
  }
}

async function sendTone(view, key) {
  const out = view.card.querySelector('.sent-tones');
  try {
    await view.call.sendDtmf(key);
    out.textContent = `Tones sent: ${(out.dataset.digits = (out.dataset.digits || '') + key)}`;
  } catch (e) {
    notify(e.message);
  }
}

function endCall(view, outcome) {
  clearInterval(view.timer);
  clearInterval(view.sampler);
  view.state.textContent = outcome.message;
  view.card.dataset.code = String(outcome.code);
  view.card.querySelector('.actions').hidden = true;
  view.card.querySelector('.transfer').hidden = true;
  view.card.querySelector('.dtmf').hidden = true;
  view.audio.srcObject = null;
  const failed = !view.call.answeredAt;
  view.card.classList.add(failed ? 'failed' : 'done');
  historySoon();
  // The card stays a while so the outcome can be read, then goes.
  setTimeout(() => removeCallView(view), failed ? 15000 : 5000);
}

// ---- incoming calls ---------------------------------------------------------------------------------

function addIncoming(call) {
  const card = $('incoming-template').content.firstElementChild.cloneNode(true);
  const view = { call, card, state: card.querySelector('.incoming-state'), callView: null };
  app.incoming.push(view);
  const who = call.fromName || call.from;
  card.dataset.callId = call.id;
  card.dataset.state = 'ringing';
  card.setAttribute('aria-label', `Incoming call from ${who}`);
  card.querySelector('.caller').textContent = who;
  card.querySelector('.caller-uri').textContent = call.fromName ? call.from : '';
  card.querySelector('.caller-uri').hidden = !call.fromName;
  card.querySelector('.callee').textContent = `To ${call.to}${call.profile ? ` · via ${call.profile}` : ''}`;
  const accept = card.querySelector('.accept');
  const decline = card.querySelector('.decline');
  const everywhere = card.querySelector('.decline-everywhere');
  accept.setAttribute('aria-label', `Accept the call from ${who}`);
  decline.setAttribute('aria-label', `Decline the call from ${who}`);
  everywhere.setAttribute('aria-label', `Decline the call from ${who} on all my devices`);
  accept.addEventListener('click', () => acceptIncoming(view));
  decline.addEventListener('click', () => rejectIncoming(view, false));
  everywhere.addEventListener('click', () => rejectIncoming(view, true));
  card.addEventListener('keydown', (e) => { if (e.key === 'Escape') rejectIncoming(view, false); });
  call.addEventListener('ended', (e) => endIncoming(view, e.detail));
  $('incoming').prepend(card);
  updateRingtone();
  // Take the focus for the answer unless the user is typing somewhere.
  const active = document.activeElement;
  if (!active || !['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName)) accept.focus();
}

function setIncomingBusy(view, busy) {
  for (const b of view.card.querySelectorAll('button')) b.disabled = busy;
}

async function acceptIncoming(view) {
  if (view.call.state !== 'incoming') return;
  setIncomingBusy(view, true);
  view.state.textContent = 'Answering…';
  view.card.hidden = true;
  view.callView = addCall(view.call);
  updateRingtone();
  const options = {};
  if (app.microphoneId) options.audio = { deviceId: { exact: app.microphoneId } };
  try {
    await view.call.accept(options);
    view.callView.card.querySelector('.hangup').focus();
  } catch (e) {
    if (view.call.state === 'incoming') {
      // Still ringing (microphone refused, answer not usable): say why, and let the user try again or decline.
      removeCallView(view.callView);
      view.callView = null;
      view.card.hidden = false;
      setIncomingBusy(view, false);
      view.state.textContent = `The call could not be answered: ${e.message}`;
      updateRingtone();
    }
  }
}

async function rejectIncoming(view, everywhere) {
  if (view.call.state !== 'incoming') return;
  setIncomingBusy(view, true);
  view.state.textContent = everywhere ? 'Declining on all your devices…' : 'Declining…';
  stopRingtoneFor(view);
  try {
    await view.call.reject({ everywhere });
  } catch (e) {
    view.state.textContent = e.message;
  }
}

function stopRingtoneFor(view) {
  view.silenced = true;
  updateRingtone();
}

function endIncoming(view, outcome) {
  app.incoming = app.incoming.filter((v) => v !== view);
  updateRingtone();
  historySoon();
  if (view.callView) { view.card.remove(); return; } // the call card tells the rest
  view.card.dataset.state = 'ended';
  view.card.dataset.cause = outcome.cause || '';
  view.state.textContent = outcome.message;
  for (const b of view.card.querySelectorAll('.actions, .decline-everywhere')) b.hidden = true;
  setTimeout(() => view.card.remove(), 6000);
}

// ---- ringtone: generated with WebAudio (no audio files); plays while a call rings here ------------------

const ringtone = { ctx: null, gain: null, oscillators: [], timer: null };

function updateRingtone() {
  const ringing = app.incoming.some((v) => v.call.state === 'incoming' && !v.silenced && !v.card.hidden);
  if (ringing) startRingtone(); else stopRingtone();
}

function startRingtone() {
  if (ringtone.timer) return;
  document.body.dataset.ringtone = 'on';
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    ringtone.ctx ||= new Ctx();
    const ctx = ringtone.ctx;
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
    ringtone.gain = ctx.createGain();
    ringtone.gain.gain.value = 0;
    ringtone.gain.connect(ctx.destination);
    // Two tones (400 + 450 Hz) in a double ring: 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
    ringtone.oscillators = [400, 450].map((hz) => {
      const o = ctx.createOscillator();
      o.frequency.value = hz;
      o.connect(ringtone.gain);
      o.start();
      return o;
    });
    const cadence = () => {
      const g = ringtone.gain.gain;
      const t = ctx.currentTime + 0.05;
      for (const [on, off] of [[0, 0.4], [0.6, 1.0]]) {
        g.setValueAtTime(0, t + on);
        g.linearRampToValueAtTime(0.12, t + on + 0.02);
        g.setValueAtTime(0.12, t + off - 0.02);
        g.linearRampToValueAtTime(0, t + off);
      }
    };
    cadence();
    ringtone.timer = setInterval(cadence, 3000);
  } catch {
    // No audio (autoplay refused before any click, no output device): the panel still shows the call.
    ringtone.timer = setInterval(() => {}, 3000);
  }
}

function stopRingtone() {
  if (!ringtone.timer) return;
  clearInterval(ringtone.timer);
  ringtone.timer = null;
  document.body.dataset.ringtone = 'off';
  for (const o of ringtone.oscillators) { try { o.stop(); o.disconnect(); } catch { /* stopped */ } }
  ringtone.oscillators = [];
  if (ringtone.gain) { ringtone.gain.disconnect(); ringtone.gain = null; }
}

// ---- registration ("Receive calls") -----------------------------------------------------------------

async function toggleRegistration() {
  const profile = $('register-profile').value;
  if ($('register-toggle').getAttribute('aria-checked') === 'true') {
    sessionStorage.removeItem(REGISTER_KEY);
    setToggle(false);
    try {
      await app.client.unregister(app.registeredWith || profile || undefined);
    } catch (e) {
      notify(`Could not stop receiving calls: ${e.message}`);
    }
    app.registeredWith = null;
    showRegistration({ state: 'unregistered' });
  } else {
    registerWith(profile);
  }
}

async function registerWith(profile) {
  if (!app.client) return;
  if (app.registeredWith !== null && app.registeredWith !== profile) {
    await app.client.unregister(app.registeredWith).catch(() => {});
  }
  app.registeredWith = profile;
  sessionStorage.setItem(REGISTER_KEY, profile);
  setToggle(true);
  try {
    await app.client.register(profile || undefined);
  } catch (e) {
    if (e.kind === 'refused' || e.kind === 'closed') {
      // The gateway refused the request itself: nothing will be retried.
      sessionStorage.removeItem(REGISTER_KEY);
      app.registeredWith = null;
      setToggle(false);
      showRegistration({ state: 'refused', message: registrationRefusal(e, profile) });
    }
    // 'registration' and 'timeout': the state line already says it, and the gateway keeps trying.
  }
}

function registrationRefusal(e, profile) {
  const name = profile || 'the default profile';
  if (e.code === 409) return `${name} does not take registrations, so calls to you cannot arrive through it. Pick another profile.`;
  if (e.code === 404) return `The gateway has no profile named ${name}.`;
  if (e.code === 403) return `${name} is disabled on the gateway.`;
  return `Could not register with ${name}: ${e.message}`;
}

function setToggle(on) {
  const t = $('register-toggle');
  t.setAttribute('aria-checked', String(on));
  t.textContent = on ? 'Receiving calls' : 'Receive calls';
  $('register-profile').disabled = on;
}

function showRegistration(r) {
  const line = $('registration-state');
  line.dataset.state = r.state;
  if (r.state === 'registering') line.textContent = `Registering with ${r.profile}…`;
  else if (r.state === 'registered') line.textContent = `Reachable at ${r.aor} through ${r.profile}.`;
  else if (r.state === 'failed') line.textContent = r.message;
  else if (r.state === 'refused') line.textContent = r.message;
  else line.textContent = 'Not registered: calls to you cannot arrive.';
  if (r.state === 'unregistered') {
    // Withdrawn (by the toggle, by closing, or because the gateway no longer offers the profile).
    app.registeredWith = null;
    setToggle(false);
  }
}

// ---- missed calls -----------------------------------------------------------------------------------

function showMissed(calls) {
  if (!calls.length) return;
  const when = (c) => new Date(c.start).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  const list = calls.slice(-5).map((c) => `${shortPeer(c.peer)} (${when(c)})`).join(', ');
  const more = calls.length > 5 ? ` and ${calls.length - 5} more` : '';
  $('missed-text').textContent = `While you were away you missed ${calls.length === 1 ? 'a call' : `${calls.length} calls`}: ${list}${more}.`;
  $('missed').hidden = false;
  loadHistory();
}

function formatDuration(ms) {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

// ---- quality ----------------------------------------------------------------------------------------

async function sample(view) {
  const q = await view.call.quality().catch(() => null);
  if (!q || view.call.state !== 'answered') return;
  view.samples.push(q);
  if (view.samples.length > CHART_SAMPLES) view.samples.shift();
  const card = view.card;
  const level = q.audioLevel === null ? '–' : `${Math.round(100 * q.audioLevel)} %`;
  card.querySelector('.q-level').textContent = level;
  card.querySelector('.q-jitter').textContent = q.jitterMs === null ? '–' : `${q.jitterMs.toFixed(1)} ms`;
  card.querySelector('.q-rtt').textContent = q.rttMs === null ? '–' : `${Math.round(q.rttMs)} ms`;
  card.querySelector('.q-loss').textContent = `${q.lossPercent.toFixed(1)} %`;
  view.canvas.dataset.samples = String(view.samples.length);
  view.canvas.dataset.packetsReceived = String(q.packetsReceived);
  view.canvas.setAttribute('aria-label', `Call quality over the last ${view.samples.length} seconds: level ${level}, jitter ${card.querySelector('.q-jitter').textContent}, `
    + `round trip ${card.querySelector('.q-rtt').textContent}, loss ${card.querySelector('.q-loss').textContent}`);
  drawChart(view.canvas, view.samples);
}

const LANES = [
  { label: 'level', color: '--chart-level', value: (q) => q.audioLevel, min: 1 },
  { label: 'jitter ms', color: '--chart-jitter', value: (q) => q.jitterMs, min: 20 },
  { label: 'rtt ms', color: '--chart-rtt', value: (q) => q.rttMs, min: 50 },
  { label: 'loss %', color: '--chart-loss', value: (q) => q.lossPercent, min: 5 },
];

function drawChart(canvas, samples) {
  const ctx = canvas.getContext('2d');
  const styles = getComputedStyle(canvas);
  const w = canvas.width;
  const h = canvas.height;
  const lane = h / LANES.length;
  ctx.clearRect(0, 0, w, h);
  ctx.font = '10px system-ui, sans-serif';
  LANES.forEach((l, i) => {
    const top = i * lane;
    const values = samples.map(l.value);
    const max = Math.max(l.min, ...values.filter((v) => v !== null));
    ctx.strokeStyle = styles.getPropertyValue('--chart-grid') || '#ccc';
    ctx.beginPath();
    ctx.moveTo(0, top + lane - 0.5);
    ctx.lineTo(w, top + lane - 0.5);
    ctx.stroke();
    ctx.strokeStyle = styles.getPropertyValue(l.color) || '#000';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    values.forEach((v, k) => {
      if (v === null) return;
      const x = w - (values.length - 1 - k) * (w / (CHART_SAMPLES - 1));
      const y = top + lane - 3 - (v / max) * (lane - 8);
      if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
    });
    ctx.stroke();
    ctx.fillStyle = styles.getPropertyValue('--chart-text') || '#555';
    ctx.fillText(`${l.label} (max ${l.label === 'level' ? 1 : Math.round(max)})`, 4, top + 11);
  });
}

// ---- devices ----------------------------------------------------------------------------------------

async function listDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
  const devices = await navigator.mediaDevices.enumerateDevices();
  const fill = (select, kind, current) => {
    select.replaceChildren(new Option('System default', ''));
    devices.filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')
      .forEach((d, i) => select.append(new Option(d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`, d.deviceId)));
    select.value = current;
  };
  fill($('microphone'), 'audioinput', app.microphoneId);
  fill($('speaker'), 'audiooutput', app.speakerId);
  const canChooseSpeaker = 'setSinkId' in HTMLMediaElement.prototype;
  $('speaker').disabled = !canChooseSpeaker;
  $('speaker-hint').hidden = canChooseSpeaker;
}

async function chooseMicrophone() {
  app.microphoneId = $('microphone').value;
  for (const v of app.calls) {
    if (v.call.state !== 'ended' && app.microphoneId) await v.call.setMicrophone(app.microphoneId).catch((e) => notify(e.message));
  }
}

function chooseSpeaker() {
  app.speakerId = $('speaker').value;
  for (const v of app.calls) if (v.audio.setSinkId) v.audio.setSinkId(app.speakerId).catch((e) => notify(`The speaker could not be selected: ${e.message}`));
}

// ---- call history (the gateway's, protocol.md §3 history) ---------------------------------------------

/** The user part of a SIP URI ("sip:1000@pbx;x" -> "1000"), or the string itself. */
function shortPeer(peer) {
  const m = /^sips?:([^@;?]+)@/.exec(peer || '');
  return m ? decodeURIComponent(m[1]) : (peer || '');
}

let historyTimer = null;
function historySoon() {
  clearTimeout(historyTimer);
  historyTimer = setTimeout(loadHistory, 600);
}

async function loadHistory({ older = false } = {}) {
  const client = app.client;
  if (!client || client.state !== 'ready') return;
  const state = $('history-state');
  try {
    const before = older && app.history.length ? app.history.at(-1).id : undefined;
    const calls = await client.history({ limit: HISTORY_PAGE, before });
    app.history = older ? [...app.history, ...calls] : calls;
    $('history-more').hidden = calls.length < HISTORY_PAGE;
    state.textContent = app.history.length ? '' : 'No calls yet.';
    renderHistory();
  } catch (e) {
    state.textContent = `The call history is not available: ${e.message}`;
  }
}

function historyLine(e) {
  const when = new Date(e.start).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  if (e.missed) return `${when} · not answered`;
  if (e.answer) return `${when} · ${e.end ? formatDuration(e.durationMs) : 'in progress'}`;
  if (e.code === undefined) return `${when} · in progress`;
  return `${when} · ${describeOutcome(e.code, e.reason || '', e.direction === 'inbound' ? 'incoming' : 'outgoing')}`;
}

function renderHistory() {
  const list = $('history-list');
  list.replaceChildren(...app.history.map((e) => {
    const li = document.createElement('li');
    li.className = e.missed ? 'missed' : (e.answer ? 'done' : (e.code === undefined ? 'live' : 'failed'));
    li.dataset.direction = e.direction;
    li.dataset.entryId = e.id;
    const number = shortPeer(e.peer);
    const kind = e.missed ? 'Missed call from' : e.direction === 'inbound' ? 'Call from' : 'Call to';
    const redial = document.createElement('button');
    redial.type = 'button';
    redial.className = 'link';
    redial.textContent = number;
    redial.title = e.peer;
    redial.setAttribute('aria-label', `${kind} ${number}: put it in the number field`);
    redial.addEventListener('click', () => {
      $('to').value = number;
      if (e.profile && [...$('profile').options].some((o) => o.value === e.profile)) $('profile').value = e.profile;
      $('to').focus();
    });
    const info = document.createElement('span');
    info.textContent = historyLine(e);
    li.append(redial, info);
    if (e.missed) {
      const tag = document.createElement('strong');
      tag.className = 'tag';
      tag.textContent = 'Missed';
      li.append(tag);
    }
    return li;
  }));
}

// ---- wiring -----------------------------------------------------------------------------------------

function start() {
  $('login-url').value = defaultUrl();
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    logIn({ url: $('login-url').value.trim(), user: $('login-user').value.trim(), password: $('login-password').value });
  });
  $('logout').addEventListener('click', logOut);
  $('dial').addEventListener('submit', placeCall);
  makePad($('dialpad'), (key) => { $('to').value += key; }, 'Dial');
  $('backspace').addEventListener('click', () => { $('to').value = $('to').value.slice(0, -1); $('to').focus(); });
  $('microphone').addEventListener('change', chooseMicrophone);
  $('speaker').addEventListener('change', chooseSpeaker);
  $('history-refresh').addEventListener('click', () => loadHistory());
  $('history-more').addEventListener('click', () => loadHistory({ older: true }));
  $('register-toggle').addEventListener('click', toggleRegistration);
  $('missed-dismiss').addEventListener('click', () => { $('missed').hidden = true; });
  if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) navigator.mediaDevices.addEventListener('devicechange', listDevices);
  // A reload (or a new page in the same tab) picks the session up again: the credentials live in this
  // tab's sessionStorage only, and are forgotten when the tab closes or on "Log out".
  const saved = sessionStorage.getItem(SESSION_KEY);
  if (saved) {
    const s = JSON.parse(saved);
    $('login-url').value = s.url;
    $('login-user').value = s.user;
    logIn(s);
  } else {
    $('login-user').focus();
  }
  window.addEventListener('pagehide', () => { if (app.client) app.client.close(); });
  app.ready = true;
}

start();
