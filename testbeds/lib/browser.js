'use strict';
// Real Chromium (Debian's /usr/bin/chromium, driven by playwright-core over CDP) running a tiny
// softphone page (lib/page/softphone.{html,js}) that speaks the gateway's protocol with a real
// RTCPeerConnection. The fake microphone plays a WAV file (a tone made with sox).
//
//   const b = await launchBrowser({ outDir, toneHz: 440 });
//   const phone = await b.softphone();              // a fresh page at http://127.0.0.1:<port>/
//   await phone.connect(gw.wsUrl); await phone.login('alice', 'secret');
//   const { reply } = await phone.call({ to: '1000', profile: 'echo' });
//   await phone.waitForMessage('answered'); await phone.waitForAnswerApplied();
//   (await phone.snapshot()).pc.signalingState === 'stable'
//   await phone.stats(); await phone.remoteAudio(); await phone.hangup();
//   await b.close();
//
// The page is served over http://127.0.0.1, which is a secure context, so getUserMedia works;
// with --use-fake-ui-for-media-stream the permission is granted, and therefore Chromium puts its
// real host addresses in candidates instead of mDNS (.local) names the gateway could not resolve.

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { HOST } = require('./ports');
const { makeTone } = require('./audio');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PAGE_DIR = path.join(__dirname, 'page');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  // Lets the page's AudioContext run and the <audio> element play without a user gesture.
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Nothing but loopback (and `host`, where the page is served): every host name fails to resolve
 * (Chromium still tries a few Google services at startup even with the flags above), except
 * localhost, 127.0.0.1 and `host` (the rule would otherwise match IP literals too).
 */
function resolverRules(host = HOST) {
  const excluded = ['localhost', '127.0.0.1', ...(host === HOST ? [] : [host])];
  return `--host-resolver-rules=MAP * ~NOTFOUND, ${excluded.map((h) => `EXCLUDE ${h}`).join(', ')}`;
}

/** Serves lib/page/ on `host` (default 127.0.0.1), a free port; resolves { url, close() }. */
function servePage(host = HOST) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
  const server = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const name = req.url === '/' ? 'softphone.html' : decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, '');
    const file = path.join(PAGE_DIR, name);
    if (!file.startsWith(PAGE_DIR + path.sep) || !fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${req.url}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      resolve({
        url: `http://${host}:${server.address().port}/`,
        port: server.address().port,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

/**
 * Starts Chromium with a fake microphone.
 * @param {object} o
 * @param {string} o.outDir              where the tone WAV and the browser's console log go
 * @param {number} [o.toneHz=440]        the fake microphone's tone (ignored with audioFile)
 * @param {string} [o.audioFile]         a WAV file to use as the microphone instead
 * @param {string[]} [o.extraArgs]
 * @param {string} [o.host=127.0.0.1]    where the page is served. Any other address is not a secure
 *                                       context (no getUserMedia), so Chromium is told to treat the
 *                                       page's origin as one (--unsafely-treat-insecure-origin-as-secure).
 * @param {string} [o.executable]        what to start instead of Chromium itself, e.g. a wrapper script
 *                                       that execs Chromium inside a network namespace (lib/netns.js);
 *                                       it must exec, not fork, so that Playwright's pipe and the PID stay
 * @returns {Promise<{browser, audioFile, pageUrl, pagePort, consoleLog:string[], softphone():Promise<Softphone>, close():Promise<void>}>}
 */
async function launchBrowser({ outDir, toneHz = 440, audioFile, extraArgs = [], host = HOST, executable }) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or run testbeds/install.sh; CHROMIUM=... for another one)`);
  }
  const { chromium } = require('playwright-core');
  const mic = audioFile || makeTone({ file: path.join(outDir, `mic-${toneHz}hz-48k.wav`), freq: toneHz, rate: 48000, seconds: 10 });
  const server = await servePage(host);
  const secureOrigin = host === HOST ? [] : [`--unsafely-treat-insecure-origin-as-secure=${new URL(server.url).origin}`];
  const consoleLog = [];
  let browser;
  const before = new Set(childProcesses(process.pid));
  try {
    // Playwright gives a fresh temporary --user-data-dir to each launch() and removes it on close.
    browser = await chromium.launch({
      executablePath: executable || CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, resolverRules(host), ...secureOrigin, `--use-file-for-fake-audio-capture=${mic}`, ...extraArgs],
      env: { ...process.env, TMPDIR: os.tmpdir() },
      timeout: 30000,
    });
  } catch (e) {
    await server.close();
    throw new Error(`could not start ${executable ? `${executable} (${CHROMIUM})` : CHROMIUM}: ${e.message}`);
  }
  const contexts = [];
  // This launch's Chromium: the new child of this Node process started with this microphone file.
  const main = childProcesses(process.pid).find((pid) => !before.has(pid) && cmdline(pid).includes(`--use-file-for-fake-audio-capture=${mic}`));
  const handle = {
    browser,
    audioFile: mic,
    pageUrl: server.url,
    pagePort: server.port,
    consoleLog,
    version: browser.version(),
    /** Opens a new page (own context) with the softphone loaded. */
    async softphone() {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
      await page.goto(server.url);
      await page.waitForFunction(() => !!window.softphone);
      return new Softphone(page);
    },
    /** PIDs of this Chromium: its main process first, then every descendant (renderers, GPU, network service...). */
    processIds() {
      if (!main) return [];
      const all = [main];
      for (let i = 0; i < all.length; i++) all.push(...childProcesses(all[i]));
      return all.filter((pid) => fs.existsSync(`/proc/${pid}`));
    },
    /**
     * Crashes this Chromium on purpose: SIGKILL to each of its processes by PID, so nothing in it
     * says goodbye (no DTLS close_notify, no RTCP BYE, no WebSocket close frame). Resolves with the
     * PIDs killed once they are gone; close() afterwards only tidies up.
     */
    async kill() {
      const pids = handle.processIds();
      if (!pids.length) throw new Error('kill(): the Chromium process of this launch was not found');
      for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
      const deadline = Date.now() + 5000;
      while (pids.some((pid) => alive(pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return pids;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
      if (outDir) fs.writeFileSync(path.join(outDir, 'browser-console.log'), consoleLog.join('\n') + '\n');
    },
  };
  return handle;
}

/** PIDs whose parent is `ppid` (from /proc/<pid>/stat). */
function childProcesses(ppid) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) out.push(Number(name));
    } catch { /* exited meanwhile */ }
  }
  return out;
}

function cmdline(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { return ''; }
}

/** Alive and not a zombie. */
function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}

/** Node-side handle on one softphone page; every method runs in the page. */
class Softphone {
  constructor(page) {
    this.page = page;
  }

  connect(wsUrl) { return this.page.evaluate((u) => window.softphone.connect(u), wsUrl); }

  /** Resolves with the ack or error. */
  login(user, password) { return this.page.evaluate(([u, p]) => window.softphone.login(u, p), [user, password]); }

  /** See softphone.js call(): resolves { reply, offer }. */
  call(options) { return this.page.evaluate((o) => window.softphone.call(o), options); }

  hangup() { return this.page.evaluate(() => window.softphone.hangup()); }

  /** Sends `register` for `profile`; resolves with the ack or error. */
  register(profile) { return this.page.evaluate((p) => window.softphone.register(p), profile); }

  /** Answers an `incoming` call (see softphone.js accept()); resolves with the accept's ack or error. */
  accept(options = {}) { return this.page.evaluate((o) => window.softphone.accept(o), options); }

  /** Sends `reject` for an incoming call; resolves with the ack or error. */
  reject(options = {}) { return this.page.evaluate((o) => window.softphone.reject(o), options); }

  /** Sends any request with a fresh id; resolves with the ack or error. */
  raw(body) { return this.page.evaluate((b) => window.softphone.raw(b), body); }

  /** Every received message of `type` so far. */
  async messagesOf(type) { return (await this.snapshot()).messages.filter((m) => m.type === type); }

  snapshot() { return this.page.evaluate(() => window.softphone.snapshot()); }

  stats() { return this.page.evaluate(() => window.softphone.stats()); }

  remoteAudio() { return this.page.evaluate(() => window.softphone.remoteAudio()); }

  loopback(options = {}) { return this.page.evaluate((o) => window.softphone.loopback(o), options); }

  /** Media only, signaling elsewhere: see softphone.js offerOnly(); resolves the complete offer. */
  offerOnly(options = {}) { return this.page.evaluate((o) => window.softphone.offerOnly(o), options); }

  /** setRemoteDescription(answer) after offerOnly(); resolves { ok } or { ok: false, name, message }. */
  applyAnswer(jsep) { return this.page.evaluate((j) => window.softphone.applyAnswer(j), jsep); }

  /** Sends `dtmf` for the current call; resolves with the ack or error. */
  dtmf(digits, durationMs) { return this.page.evaluate(([d, ms]) => window.softphone.dtmf(d, ms), [digits, durationMs]); }

  /** Closes the RTCPeerConnection without a hangup message (the WebSocket stays open). */
  dropMedia() { return this.page.evaluate(() => window.softphone.dropMedia()); }

  /**
   * Waits until ICE is connected (or completed) and the DTLS transport is connected; resolves the
   * snapshot. Fails early, with the page's account, if either reaches failed/closed.
   */
  async waitForMedia({ timeout = 10000 } = {}) {
    try {
      await this.page.waitForFunction(() => {
        const pc = window.softphone.pc;
        if (!pc) return false;
        const dtls = pc.signalingState === 'closed' ? null : pc.getSenders().map((s) => s.transport).find(Boolean);
        if (['failed', 'closed'].includes(pc.iceConnectionState) || (dtls && ['failed', 'closed'].includes(dtls.state))) {
          throw new Error(`media failed: ice ${pc.iceConnectionState}, dtls ${dtls && dtls.state}`);
        }
        return ['connected', 'completed'].includes(pc.iceConnectionState) && dtls && dtls.state === 'connected';
      }, null, { timeout, polling: 50 });
    } catch (e) {
      throw new Error(`ICE/DTLS not connected within ${timeout} ms: ${e.message.split('\n')[0]}\n${await this.describe()}`);
    }
    return this.snapshot();
  }

  /**
   * Polls stats() until both an outbound-rtp and an inbound-rtp stream have counted packets (the
   * inbound one exists only once the first packet arrived); resolves those stats.
   */
  async waitForRtp({ timeout = 5000 } = {}) {
    const deadline = Date.now() + timeout;
    let s = null;
    for (;;) {
      s = await this.stats();
      if (s && s.outbound && s.outbound.packetsSent > 0 && s.inbound && s.inbound.packetsReceived > 0) return s;
      if (Date.now() > deadline) throw new Error(`no RTP both ways within ${timeout} ms: ${JSON.stringify(s)}\n${await this.describe()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * remoteAudio() sampled every `every` ms for `ms` ms; resolves { samples, median } where median
   * is the sample with the median dominantHz among the non-silent ones (null if all were silent).
   */
  async remoteAudioSamples({ ms = 1000, every = 200 } = {}) {
    const samples = [];
    const until = Date.now() + ms;
    do {
      samples.push(await this.remoteAudio());
      await new Promise((r) => setTimeout(r, every));
    } while (Date.now() < until);
    const heard = samples.filter((s) => s && s.dominantHz !== null).sort((a, b) => a.dominantHz - b.dominantHz);
    return { samples, median: heard.length ? heard[Math.floor(heard.length / 2)] : null };
  }

  /** Waits for a received message of `type` (and `call`, if given); resolves with it. */
  async waitForMessage(type, { call, timeout = 10000 } = {}) {
    try {
      const h = await this.page.waitForFunction(([ty, c]) => window.softphone.messages.find((m) => m.type === ty && (c === undefined || m.call === c)),
        [type, call], { timeout, polling: 50 });
      return await h.jsonValue();
    } catch (e) {
      throw new Error(`no "${type}" message within ${timeout} ms: ${e.message.split('\n')[0]}\n${await this.describe()}`);
    }
  }

  /** Waits until setRemoteDescription(answer) settled; resolves { ok, name?, message? }. */
  async waitForAnswerApplied({ timeout = 10000 } = {}) {
    const h = await this.page.waitForFunction(() => window.softphone.answerResult, null, { timeout, polling: 50 });
    return h.jsonValue();
  }

  /** Waits until a pc state (e.g. 'iceConnectionState') is one of `values`; resolves the snapshot. */
  async waitForState(prop, values, { timeout = 10000 } = {}) {
    try {
      await this.page.waitForFunction(([p, v]) => window.softphone.pc && v.includes(window.softphone.pc[p]), [prop, values], { timeout, polling: 50 });
    } catch (e) {
      throw new Error(`${prop} not ${values.join('|')} within ${timeout} ms\n${await this.describe()}`);
    }
    return this.snapshot();
  }

  /** A readable account of what the page saw, for assertion messages. */
  async describe() {
    let s;
    try { s = await this.snapshot(); } catch (e) { return `(page gone: ${e.message})`; }
    const lines = s.timeline.map((x) => `${String(x.t).padStart(6)} ms ${x.what} ${typeof x.value === 'string' ? x.value : JSON.stringify(x.value)}`);
    return `browser softphone timeline:\n${lines.join('\n')}\nerrors: ${JSON.stringify(s.errors)}\npc: ${JSON.stringify(s.pc)}`;
  }
}

module.exports = { launchBrowser, servePage, Softphone, CHROMIUM, CHROMIUM_ARGS, resolverRules };
