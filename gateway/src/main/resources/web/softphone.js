// The softphone page served at the gateway's root, built on pasarela.js. Plain DOM, no framework.
// window.pasarelaApp exposes the client and the live calls (for people poking at it and for the tests).

import { PasarelaClient } from '/pasarela.js';

const $ = (id) => document.getElementById(id);
const SESSION_KEY = 'pasarela.session';
const RECENT_KEY = 'pasarela.recent';
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const KEY_LETTERS = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ', 0: '+' };
const STATE_TEXT = {
  new: 'Opening the microphone…', calling: 'Calling…', ringing: 'Ringing…', progress: 'Connecting…', answered: 'Connected',
};
const CHART_SAMPLES = 60;

const app = { client: null, calls: [], speakerId: '', microphoneId: '' };
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
  });
  client.addEventListener('disconnected', (e) => {
    if (e.detail.willReconnect) notify('The connection to the gateway was lost. Reconnecting…');
  });
  client.addEventListener('error', (e) => {
    notify(e.detail.error.message);
    if (client.state === 'closed') showLogin();
  });
  client.addEventListener('call', (e) => addCall(e.detail.call));
  try {
    await client.connect();
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ url, user, password }));
    $('who').textContent = user;
    $('login').hidden = true;
    $('phone').hidden = false;
    renderRecent();
    $('to').focus();
    listDevices();
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
  $('recent').hidden = true;
}

function logOut() {
  sessionStorage.removeItem(SESSION_KEY);
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
  card.querySelector('.callee').textContent = call.to + (call.profile ? ` · ${call.profile}` : '');
  card.setAttribute('aria-label', `Call to ${call.to}`);
  const hangup = card.querySelector('.hangup');
  hangup.setAttribute('aria-label', `Hang up the call to ${call.to}`);
  hangup.addEventListener('click', () => call.hangup());
  const mute = card.querySelector('.mute');
  mute.addEventListener('click', () => {
    const muted = call.setMuted(!call.muted);
    mute.setAttribute('aria-pressed', String(muted));
    mute.textContent = muted ? 'Unmute' : 'Mute';
  });
  const pad = card.querySelector('.dtmf');
  pad.setAttribute('aria-label', `Keypad for the call to ${call.to}`);
  makePad(pad, (key) => sendTone(view, key), 'Send tone');
  if (app.speakerId && view.audio.setSinkId) view.audio.setSinkId(app.speakerId).catch(() => {});

  call.addEventListener('state', (e) => render(view, e.detail.state));
  call.addEventListener('track', (e) => { view.audio.srcObject = e.detail.stream; });
  call.addEventListener('answered', () => startAnswered(view));
  call.addEventListener('ended', (e) => endCall(view, e.detail));
  render(view, call.state);
  $('calls').prepend(card);
}

function render(view, state) {
  view.card.dataset.state = state;
  if (view.call.id) view.card.dataset.callId = view.call.id;
  if (state !== 'ended') view.state.textContent = STATE_TEXT[state] || state;
  const answered = state === 'answered';
  view.card.querySelector('.dtmf').hidden = !answered;
  view.card.querySelector('.quality').hidden = !answered && !view.samples.length;
}

function startAnswered(view) {
  const tick = () => { view.clock.textContent = formatDuration(view.call.talkingMs); };
  tick();
  view.timer = setInterval(tick, 500);
  view.sampler = setInterval(() => sample(view), 1000);
  view.card.querySelector('.dtmf .key').focus();
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
  view.card.querySelector('.dtmf').hidden = true;
  view.audio.srcObject = null;
  const failed = !view.call.answeredAt;
  view.card.classList.add(failed ? 'failed' : 'done');
  remember({ to: view.call.to, profile: view.call.profile, at: view.call.startedAt, seconds: Math.round(view.call.talkingMs / 1000),
    failed, message: outcome.message });
  // The card stays a while so the outcome can be read, then goes.
  setTimeout(() => {
    view.card.remove();
    app.calls = app.calls.filter((v) => v !== view);
  }, failed ? 15000 : 5000);
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

// ---- recent calls (this browser's own list) -----------------------------------------------------------

function recent() {
  try { return JSON.parse(localStorage.getItem(RECENT_KEY)) || []; } catch { return []; }
}

function remember(entry) {
  localStorage.setItem(RECENT_KEY, JSON.stringify([entry, ...recent()].slice(0, 30)));
  renderRecent();
}

function renderRecent() {
  const list = $('recent-list');
  const entries = recent();
  $('recent').hidden = !entries.length || $('phone').hidden;
  list.replaceChildren(...entries.map((e) => {
    const li = document.createElement('li');
    li.className = e.failed ? 'failed' : 'done';
    const when = new Date(e.at).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
    const redial = document.createElement('button');
    redial.type = 'button';
    redial.className = 'link';
    redial.textContent = e.to;
    redial.setAttribute('aria-label', `Put ${e.to} in the number field`);
    redial.addEventListener('click', () => {
      $('to').value = e.to;
      if (e.profile && [...$('profile').options].some((o) => o.value === e.profile)) $('profile').value = e.profile;
      $('to').focus();
    });
    const info = document.createElement('span');
    info.textContent = `${when} · ${e.failed ? e.message : formatDuration(e.seconds * 1000)}`;
    li.append(redial, info);
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
  $('recent-clear').addEventListener('click', () => { localStorage.removeItem(RECENT_KEY); renderRecent(); });
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
