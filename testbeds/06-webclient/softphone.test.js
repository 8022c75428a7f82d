'use strict';
// The softphone page the gateway serves at / (gateway/src/main/resources/web/), in real Chromium with
// its fake microphone (a 440 Hz tone), phone-sized (390x844), driven like a person would: through
// labelled controls, partly keyboard-only. Far ends: the gateway's built-in echo, a SIPp callee
// (answering, or busy), and baresip (which decodes the RFC 4733 digits the keypad sends).
// Screenshots of each state go to testbeds/out/06-webclient/screenshots/.
//
//   mvn -q -B -o package -DskipTests && node --test testbeds/06-webclient/softphone.test.js

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startBaresip } = require('../lib/baresip');
const { startSipp, describeRun } = require('../lib/sipp');
const { freePort } = require('../lib/ports');

const FILE = '06-webclient';
const SHOTS = outDirFor(FILE, 'screenshots');
const SIPP_SCENARIOS = path.join(__dirname, '..', '01-outbound-signaling', 'sipp');
const PHONE = { width: 390, height: 844 };

/**
 * A free UDP port below the kernel's ephemeral range (and below lib/ports.js's ranges, which start at
 * 20000). SIPp listens there for the whole file; a port from freePort() is ephemeral, and Chromium's ICE
 * sockets (also ephemeral) took one before SIPp could bind it.
 */
async function fixedPort() {
  const dgram = require('node:dgram');
  for (let i = 0; i < 200; i++) {
    const port = 12000 + Math.floor(Math.random() * 7000);
    const free = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free UDP port in 12000..18999');
}

describe('softphone page', () => {
  let far;
  let browser;
  let sippPort;
  let busyPort;
  const ctx = useGateway(async () => {
    far = await startBaresip({ outDir: outDirFor(FILE, 'baresip'), user: '1000', toneHz: 1000, codecs: ['PCMU'], control: true });
    sippPort = await fixedPort();
    do busyPort = await fixedPort(); while (busyPort === sippPort);
    const sipp = (port) => ({ proxy: `sip:127.0.0.1:${port}`, transport: 'UDP', codecs: 'PCMU,telephone-event', domain: '127.0.0.1' });
    return {
      name: FILE,
      users: { alice: 'secret' },
      sets: { 'echo.enabled': 'true', 'profile.default': 'echo' },
      profiles: {
        far: { proxy: `sip:127.0.0.1:${far.port}`, transport: 'UDP', codecs: 'PCMU,telephone-event', domain: '127.0.0.1', dtmf: 'rfc4733' },
        sipp: sipp(sippPort),
        busy: sipp(busyPort),
      },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (far) await far.stop();
  });

  const home = () => `http://127.0.0.1:${ctx.gw.httpPort}/`;

  /** A fresh phone-sized page at the gateway's root; `init` runs in the page before its scripts. */
  async function openPage(init) {
    const context = await browser.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    if (init) await page.addInitScript(init);
    page.on('console', (m) => browser.consoleLog.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => browser.consoleLog.push(`[pageerror] ${e.message}`));
    await page.goto(home());
    await page.waitForFunction(() => window.pasarelaApp && window.pasarelaApp.ready);
    page.closeAll = () => context.close();
    return page;
  }

  async function shot(page, name) {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function logIn(page, password = 'secret') {
    await page.getByLabel('User').fill('alice');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function loggedIn(init) {
    const page = await openPage(init);
    await logIn(page);
    await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10000 });
    return page;
  }

  async function dial(page, to, profile) {
    if (profile) await page.getByLabel('Route through').selectOption(profile);
    await page.getByLabel('Number or SIP address').fill(to);
    await page.getByRole('button', { name: 'Call', exact: true }).click();
  }

  const card = (page, n = 0) => page.locator('article.callcard').nth(n);

  async function waitForCardState(page, state, { n = 0, timeout = 10000 } = {}) {
    await card(page, n).and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout });
  }

  test('the page, the library and the stylesheet come from the gateway, and every control has a name', async () => {
    const page = await openPage();
    try {
      for (const [file, type] of [['pasarela.js', 'text/javascript'], ['softphone.js', 'text/javascript'], ['softphone.css', 'text/css'], ['favicon.svg', 'image/svg+xml']]) {
        const r = await page.request.get(`${home()}${file}`);
        assert.equal(r.status(), 200, file);
        assert.ok(r.headers()['content-type'].startsWith(type), `${file}: ${r.headers()['content-type']}`);
      }
      const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, canvas')]
        .filter((el) => {
          if (el.closest('template')) return false;
          const labelled = el.id && document.querySelector(`label[for="${el.id}"]`);
          return !(labelled || el.getAttribute('aria-label') || el.textContent.trim() || el.getAttribute('role') === 'img');
        }).map((el) => el.outerHTML));
      assert.deepEqual(unnamed, []);
      assert.equal(await page.getByLabel('Gateway address').inputValue(), `ws://127.0.0.1:${ctx.gw.httpPort}/ws`);
      await shot(page, '01-login');
    } finally {
      await page.closeAll();
    }
  });

  test('a refused login and an unreachable gateway are each said in a sentence', async () => {
    const page = await openPage();
    try {
      await logIn(page, 'wrong');
      await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
      await shot(page, '02-login-refused');
      await page.getByLabel('Gateway address').fill(`ws://127.0.0.1:${await freePort()}/ws`);
      await logIn(page);
      const alert = page.getByRole('alert');
      await alert.filter({ hasText: 'Cannot reach the gateway' }).waitFor();
      assert.match(await alert.textContent(), /Is it running, and is the address right\?/);
      await shot(page, '03-gateway-unreachable');
      assert.equal(await page.locator('#phone').isHidden(), true);
    } finally {
      await page.closeAll();
    }
  });

  test('keyboard only: log in, pick the echo profile, dial with the pad, hear the echo and see the quality chart move; hang up', { timeout: 50000 }, async (t) => {
    const page = await openPage();
    try {
      await page.getByLabel('User').focus();
      await page.keyboard.type('alice');
      await page.keyboard.press('Tab');
      await page.keyboard.type('secret');
      await page.keyboard.press('Enter');
      await page.locator('#status[data-state="ready"]').waitFor();
      const options = await page.getByLabel('Route through').locator('option').allTextContents();
      assert.deepEqual(options, ['busy', 'echo (default)', 'far', 'sipp']);
      assert.equal(await page.getByLabel('Route through').inputValue(), 'echo');
      await shot(page, '04-logged-in');

      // "echo" typed with the keyboard, then "12" from the dial pad operated with Enter and Space.
      await page.getByLabel('Number or SIP address').focus();
      await page.keyboard.type('echo');
      await page.getByRole('button', { name: 'Dial 1' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Dial 2' }).focus();
      await page.keyboard.press('Space');
      assert.equal(await page.getByLabel('Number or SIP address').inputValue(), 'echo12');
      await page.getByRole('button', { name: 'Delete last character' }).click();
      await page.getByRole('button', { name: 'Delete last character' }).click();
      await page.getByRole('button', { name: 'Call', exact: true }).focus();
      await page.keyboard.press('Enter');

      await waitForCardState(page, 'answered');
      assert.equal(await card(page).locator('.callstate').textContent(), 'Connected');
      // The quality chart: samples every second; the echo brings the tone back, so the level is not zero.
      await page.waitForFunction(() => Number(document.querySelector('.callcard canvas').dataset.samples) >= 8, null, { timeout: 10000 });
      const first = Number(await card(page).locator('canvas').getAttribute('data-packets-received'));
      await page.waitForTimeout(1500);
      const later = Number(await card(page).locator('canvas').getAttribute('data-packets-received'));
      t.diagnostic(`packets received ${first} -> ${later}; figures ${await card(page).locator('.figures').innerText()}`);
      assert.ok(later > first && first > 0, `packets counted and growing: ${first} -> ${later}`);
      const level = await card(page).locator('.q-level').textContent();
      assert.match(level, /^\d+ %$/);
      assert.match(await card(page).locator('.q-jitter').textContent(), /ms$/);
      assert.match(await card(page).locator('canvas').getAttribute('aria-label'), /^Call quality over the last \d+ seconds/);
      assert.match(await card(page).locator('.timer').textContent(), /^\d+:\d\d$/); // m:ss, counting
      await shot(page, '05-call-answered');
      fs.copyFileSync(path.join(SHOTS, '05-call-answered.png'), path.join(SHOTS, 'softphone-readme.png'));

      // Mute is a toggle with its state announced.
      await card(page).getByRole('button', { name: 'Mute' }).click();
      assert.equal(await card(page).locator('.mute').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.evaluate(() => window.pasarelaApp.calls[0].call.localStream.getAudioTracks()[0].enabled), false);
      await card(page).getByRole('button', { name: 'Unmute' }).click();

      await card(page).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended');
      assert.equal(await card(page).getAttribute('data-code'), '200');
      assert.equal(await card(page).locator('.callstate').textContent(), 'Call ended.');
      // The gateway's call history lists it, newest first: the echo destination, answered, with its talk time.
      await page.locator('#history-list li.done').first().waitFor();
      assert.match(await page.locator('#history-list li').first().textContent(), /^echo.* · \d+:\d\d$/);
      await shot(page, '06-call-ended');
    } finally {
      await page.closeAll();
    }
  });

  test('two calls at once: each has its own card, and hanging up one leaves the other', { timeout: 30000 }, async () => {
    const page = await loggedIn();
    try {
      await dial(page, 'echo');
      await waitForCardState(page, 'answered');
      await dial(page, 'echo');
      await waitForCardState(page, 'answered', { n: 0 });
      await waitForCardState(page, 'answered', { n: 1 });
      const ids = await page.locator('article.callcard').evaluateAll((cards) => cards.map((c) => c.dataset.callId));
      assert.equal(new Set(ids).size, 2, `two call ids: ${ids}`);
      await shot(page, '07-two-calls');
      await card(page, 0).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended', { n: 0 });
      assert.equal(await card(page, 1).getAttribute('data-state'), 'answered');
      await card(page, 1).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended', { n: 1 });
    } finally {
      await page.closeAll();
    }
  });

  test('a SIPp callee: ringing, connected, hung up from the page; SIPp saw INVITE, ACK and BYE', { timeout: 30000 }, async () => {
    const uas = await startSipp({ scenario: path.join(SIPP_SCENARIOS, 'uas-answer.xml'), outDir: outDirFor(FILE, 'sipp-answer'), port: sippPort, timeout: '20s' });
    const page = await loggedIn();
    try {
      const states = [];
      await page.exposeFunction('recordState', (s) => states.push(s));
      await page.evaluate(() => window.pasarelaApp.client.addEventListener('call', (e) => e.detail.call.addEventListener('state', (s) => window.recordState(s.detail.state))));
      await dial(page, '1000', 'sipp');
      await waitForCardState(page, 'answered');
      await page.waitForFunction(() => Number(document.querySelector('.callcard canvas').dataset.samples) >= 2, null, { timeout: 10000 });
      await card(page).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended');
      assert.deepEqual(states, ['calling', 'ringing', 'answered', 'ended']);
      const run = await uas.done;
      assert.equal(run.code, 0, describeRun(run));
      assert.deepEqual(run.messages.filter((m) => m.direction === 'received' && m.method).map((m) => m.method), ['INVITE', 'ACK', 'BYE']);
    } finally {
      await uas.stop();
      await page.closeAll();
    }
  });

  test('Hold and Resume, by keyboard, against a SIPp callee that accepts a=sendonly and then a=sendrecv re-INVITEs', { timeout: 40000 }, async () => {
    const uas = await startSipp({ scenario: path.join(SIPP_SCENARIOS, 'uas-hold.xml'), outDir: outDirFor(FILE, 'sipp-hold'), port: sippPort, timeout: '30s' });
    const page = await loggedIn();
    try {
      await dial(page, '1000', 'sipp');
      await waitForCardState(page, 'answered');
      const hold = card(page).getByRole('button', { name: 'Hold the call to 1000' });
      await hold.focus();
      await page.keyboard.press('Enter');
      const resume = card(page).getByRole('button', { name: 'Resume the call to 1000' });
      await resume.waitFor({ timeout: 10000 });
      assert.equal(await card(page).getAttribute('data-held'), 'true');
      assert.equal(await card(page).locator('.callstate').textContent(), 'On hold');
      assert.equal(await resume.textContent(), 'Resume');
      await shot(page, '07b-on-hold');
      await resume.focus();
      await page.keyboard.press('Space');
      await hold.waitFor({ timeout: 10000 });
      assert.equal(await card(page).getAttribute('data-held'), 'false');
      assert.equal(await card(page).locator('.callstate').textContent(), 'Connected');
      await card(page).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended');
      const run = await uas.done;
      assert.equal(run.code, 0, describeRun(run));
      assert.deepEqual(run.messages.filter((m) => m.direction === 'received' && m.method).map((m) => m.method),
        ['INVITE', 'ACK', 'INVITE', 'ACK', 'INVITE', 'ACK', 'BYE']);
    } finally {
      await uas.stop();
      await page.closeAll();
    }
  });

  test('a busy SIPp callee: the card says so with the SIP code, and the call history marks it failed', { timeout: 30000 }, async () => {
    const uas = await startSipp({ scenario: path.join(SIPP_SCENARIOS, 'uas-busy.xml'), outDir: outDirFor(FILE, 'sipp-busy'), port: busyPort, timeout: '20s' });
    const page = await loggedIn();
    try {
      await dial(page, '1000', 'busy');
      await waitForCardState(page, 'ended');
      assert.equal(await card(page).locator('.callstate').textContent(), 'The line is busy (SIP 486 Busy Here).');
      await page.locator('#history-list li.failed', { hasText: 'The line is busy (SIP 486 Busy Here).' }).first().waitFor();
      await shot(page, '08-call-busy');
      assert.equal((await uas.done).code, 0);
    } finally {
      await uas.stop();
      await page.closeAll();
    }
  });

  test('the in-call keypad sends DTMF that baresip decodes as RFC 4733 events 1, 2, 3, #', { timeout: 40000 }, async (t) => {
    const page = await loggedIn();
    try {
      await dial(page, '1000', 'far');
      await far.waitFor('established');
      await waitForCardState(page, 'answered');
      await page.waitForFunction(() => Number(document.querySelector('.callcard canvas').dataset.samples) >= 2, null, { timeout: 10000 });
      for (const key of ['1', '2', '3', 'pound']) {
        await card(page).getByRole('button', { name: `Send tone ${key}` }).click();
        await page.waitForFunction((n) => (document.querySelector('.sent-tones').dataset.digits || '').length >= n, ['1', '2', '3', 'pound'].indexOf(key) + 1);
      }
      assert.equal(await card(page).locator('.sent-tones').textContent(), 'Tones sent: 123#');
      const seen = [];
      for (let i = 0; i < 8; i++) {
        const e = await far.waitFor('dtmf', { timeout: 5000 });
        seen.push(`${e.detail[0]}${e.detail[1] === '1' ? ' end' : ''}`);
      }
      t.diagnostic(`baresip decoded: ${seen.join(', ')}`);
      assert.deepEqual(seen, ['1', '1 end', '2', '2 end', '3', '3 end', '#', '# end']);
      await shot(page, '09-dtmf-sent');
      await card(page).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended');
      await far.waitFor('terminated');
    } finally {
      await page.closeAll();
    }
  });

  test('the other side hanging up is said as such', { timeout: 30000 }, async () => {
    const page = await loggedIn();
    try {
      await dial(page, '1000', 'far');
      await far.waitFor('established');
      await waitForCardState(page, 'answered');
      await far.command('hangup');
      await waitForCardState(page, 'ended', { timeout: 5000 });
      assert.equal(await card(page).locator('.callstate').textContent(), 'The other side hung up.');
      await shot(page, '13-remote-hangup');
      // baresip 1.0.0 logs no "terminated" for a call it hung up itself; the gateway's side is the witness.
      for (let i = 0; i < 50 && (await ctx.gw.health()).sipLegs !== 0; i++) await page.waitForTimeout(100);
      assert.equal((await ctx.gw.health()).sipLegs, 0);
    } finally {
      await page.closeAll();
    }
  });

  test('microphone permission denied is said in a sentence and no call is sent', async () => {
    const page = await loggedIn(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    try {
      const legsBefore = (await ctx.gw.health()).sipLegs;
      await dial(page, 'echo');
      await waitForCardState(page, 'ended');
      assert.match(await card(page).locator('.callstate').textContent(), /^The browser was not allowed to use the microphone\./);
      await shot(page, '10-microphone-denied');
      assert.equal((await ctx.gw.health()).sipLegs, legsBefore, 'no SIP call was placed');
    } finally {
      await page.closeAll();
    }
  });

  test('reload mid-call: the page logs in again by itself; a dropped WebSocket is reconnected and calls work again', { timeout: 40000 }, async () => {
    const page = await loggedIn();
    try {
      await dial(page, 'echo');
      await waitForCardState(page, 'answered');
      await page.reload();
      await page.waitForFunction(() => window.pasarelaApp && window.pasarelaApp.ready);
      await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10000 });
      assert.equal(await page.locator('#phone').isVisible(), true);
      assert.equal(await page.locator('#who').textContent(), 'alice');
      // The call of the unloaded page was ended by the gateway (its WebSocket closed).
      for (let i = 0; i < 50 && (await ctx.gw.health()).sipLegs !== 0; i++) await page.waitForTimeout(100);
      assert.equal((await ctx.gw.health()).sipLegs, 0);

      // Now the WebSocket drops under the page (not a reload): the library reconnects and logs in again.
      const states = [];
      await page.exposeFunction('recordClientState', (s) => states.push(s));
      await page.evaluate(() => window.pasarelaApp.client.addEventListener('state', (e) => window.recordClientState(e.detail.state)));
      await dial(page, 'echo');
      await waitForCardState(page, 'answered');
      await page.evaluate(() => window.pasarelaApp.client._ws.close(4000, 'test drops the connection'));
      await page.locator('#status[data-state="reconnecting"]').waitFor({ timeout: 5000 });
      await waitForCardState(page, 'ended');
      assert.equal(await card(page).locator('.callstate').textContent(), 'The connection to the gateway was lost, so the call ended.');
      await shot(page, '11-reconnecting');
      await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10000 });
      assert.deepEqual(states, ['reconnecting', 'ready']);
      await dial(page, 'echo');
      await waitForCardState(page, 'answered');
      await shot(page, '12-reconnected-call');
      await card(page).getByRole('button', { name: /^Hang up/ }).click();
      await waitForCardState(page, 'ended');
    } finally {
      await page.closeAll();
    }
  });
});
