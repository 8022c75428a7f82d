'use strict';
// The softphone page's "Calls to you" switch and its call history, in real Chromium (phone-sized) against
// the real gateway:
// - registration through Kamailio (the registrar of testbed 05, reused): registered and shown, kept
//   across a reload, withdrawn by the switch (Kamailio's binding goes), refused credentials and a profile
//   that does not register each said in a sentence. The gateway's embedded config has no registrar of its
//   own, so a real one stands in.
// - the history list from the gateway after real calls: echo calls (answered) and a call Kamailio refuses
//   (405, it only takes REGISTER), newest first. A missed entry from a fixed date (and the `missed` message
//   after login) is added to the real gateway's replies by a Playwright WebSocket route, so the notice's
//   wording can be checked exactly; real incoming and missed calls are in incoming-real.test.js.
// Screenshots go to testbeds/out/06-webclient/screenshots/ (20-...).
//
//   mvn -q -B -o package -DskipTests && node --test testbeds/06-webclient/reach-history.test.js

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startKamailio } = require('../lib/kamailio');
const { freePort } = require('../lib/ports');

const FILE = '06-webclient';
const SHOTS = outDirFor(FILE, 'screenshots');
const PHONE = { width: 390, height: 844 };

const MISSED = {
  id: '00000000-0000-4000-8000-00000000beef', call: 'c900', direction: 'inbound', peer: 'sip:+34931234567@trunk.example.net',
  profile: 'kam', start: '2025-03-01T08:00:00Z', end: '2025-03-01T08:00:30Z', durationMs: 0, code: 487,
  reason: 'cancelled by caller', hangupBy: 'remote', missed: true,
};

describe('softphone page: calls to you and the call history', () => {
  let kam;
  let browser;
  const ctx = useGateway(async () => {
    const port = await freePort();
    kam = await startKamailio({ cfg: path.join(__dirname, '..', '05-registration', 'kamailio.cfg'), name: `${FILE}-reach`, port });
    const registrar = (user, auth) => ({ proxy: `sip:127.0.0.1:${port}`, transport: 'UDP', register: true, 'register.user': user, 'register.expires': 60, auth });
    return {
      name: `${FILE}-reach`,
      users: { alice: 'secret' },
      sets: { 'echo.enabled': 'true', 'profile.default': 'echo', 'users.alice.sip-password': 'alice-sip' },
      profiles: {
        kam: registrar('{user}', { username: '{user}', password: 'unused' }),
        // Kamailio knows no "carol": every REGISTER is challenged again, so the credentials count as refused.
        stranger: registrar('carol', { username: 'carol', password: 'whatever' }),
      },
    };
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE, 'reach'), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => {
    if (browser) await browser.close();
    if (kam) await kam.stop();
  });

  const home = () => `http://127.0.0.1:${ctx.gw.httpPort}/`;

  async function openPage({ route } = {}) {
    const context = await browser.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    page.on('console', (m) => browser.consoleLog.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => browser.consoleLog.push(`[pageerror] ${e.message}`));
    if (route) await page.routeWebSocket(/\/ws$/, route);
    await page.goto(home());
    await page.waitForFunction(() => window.pasarelaApp && window.pasarelaApp.ready);
    page.closeAll = () => context.close();
    return page;
  }

  async function loggedIn(options) {
    const page = await openPage(options);
    await page.getByLabel('User').fill('alice');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10000 });
    return page;
  }

  const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const regState = (page) => page.locator('#registration-state');
  const toggle = (page) => page.getByRole('switch', { name: /Receive calls|Receiving calls/ });

  test('the switch registers with Kamailio, says where the user is reachable, survives a reload, and unregisters', { timeout: 60000 }, async () => {
    const page = await loggedIn();
    try {
      assert.equal(await regState(page).textContent(), 'Not registered: calls to you cannot arrive.');
      await page.getByLabel('Through', { exact: true }).selectOption('kam');
      await toggle(page).focus();
      await page.keyboard.press('Enter');
      await page.locator('#registration-state[data-state="registered"]').waitFor({ timeout: 10000 });
      assert.match(await regState(page).textContent(), /^Reachable at sip:alice@127\.0\.0\.1(:\d+)? through kam\.$/);
      assert.equal(await toggle(page).getAttribute('aria-checked'), 'true');
      assert.equal(await page.getByLabel('Through', { exact: true }).isDisabled(), true);
      await kam.waitForContacts('alice', (list) => list.length === 1);
      await shot(page, '20-registered');

      // A reload logs in again and registers again by itself (the tab remembers the switch).
      await page.reload();
      await page.waitForFunction(() => window.pasarelaApp && window.pasarelaApp.ready);
      await page.locator('#registration-state[data-state="registered"]').waitFor({ timeout: 10000 });
      assert.equal(await toggle(page).getAttribute('aria-checked'), 'true');
      assert.equal(await page.getByLabel('Through', { exact: true }).inputValue(), 'kam');

      await toggle(page).click();
      await page.locator('#registration-state[data-state="unregistered"]').waitFor();
      assert.equal(await regState(page).textContent(), 'Not registered: calls to you cannot arrive.');
      assert.equal(await toggle(page).getAttribute('aria-checked'), 'false');
      await kam.waitForContacts('alice', (list) => list.length === 0);
    } finally {
      await page.closeAll();
    }
  });

  test('refused credentials and a profile without registrations are each said in a sentence', { timeout: 60000 }, async () => {
    const page = await loggedIn();
    try {
      await page.getByLabel('Through', { exact: true }).selectOption('stranger');
      await toggle(page).click();
      await page.locator('#registration-state[data-state="failed"]').waitFor({ timeout: 15000 });
      assert.match(await regState(page).textContent(),
        /^The registrar of stranger refused the SIP account's user name or password \(SIP 401 [^)]*\)*\)\. Calls to you cannot arrive until it works\. The gateway tries again every few minutes\.$/);
      assert.equal(await toggle(page).getAttribute('aria-checked'), 'true', 'the gateway keeps trying until switched off');
      await shot(page, '21-registration-failed');
      await toggle(page).click();
      await page.locator('#registration-state[data-state="unregistered"]').waitFor();

      await page.getByLabel('Through', { exact: true }).selectOption('echo');
      await toggle(page).click();
      await page.locator('#registration-state[data-state="refused"]').waitFor();
      assert.equal(await regState(page).textContent(), 'echo does not take registrations, so calls to you cannot arrive through it. Pick another profile.');
      assert.equal(await toggle(page).getAttribute('aria-checked'), 'false');
    } finally {
      await page.closeAll();
    }
  });

  test('an incoming call (scripted by a route, to control every step) rings with caller id; decline and a caller cancel each stop the ringtone', { timeout: 40000 }, async () => {
    // The route stands in for the gateway's side of the incoming-call contract only: it sends `incoming`
    // when the test asks, answers `reject` with ack + hangup 486, and passes everything else through.
    let toPage = null;
    const seen = [];
    const route = (ws) => {
      const server = ws.connectToServer();
      toPage = (m) => ws.send(JSON.stringify(m));
      ws.onMessage((text) => {
        const m = JSON.parse(text);
        if (m.type === 'reject') {
          seen.push(m);
          ws.send(JSON.stringify({ type: 'ack', id: m.id, call: m.call }));
          ws.send(JSON.stringify({ type: 'hangup', call: m.call, code: 486, reason: 'rejected' }));
          return;
        }
        server.send(text);
      });
      server.onMessage((text) => ws.send(text));
    };
    const page = await loggedIn({ route });
    try {
      const offer = { type: 'offer', sdp: 'v=0\r\no=pasarela 1 1 IN IP4 127.0.0.1\r\ns=pasarela\r\nt=0 0\r\na=ice-lite\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:0 PCMU/8000\r\n' };
      await page.locator('body').click({ position: { x: 5, y: 300 } }); // a user gesture, so that audio may start
      toPage({ type: 'incoming', call: 'c70', from: 'sip:1000@pbx.example.org', fromName: 'Bob', to: 'sip:alice@pbx.example.org', profile: 'kam', jsep: offer });
      const panel = page.getByRole('group', { name: 'Incoming call from Bob' });
      await panel.waitFor();
      assert.equal(await panel.locator('.caller').textContent(), 'Bob');
      assert.equal(await panel.locator('.caller-uri').textContent(), 'sip:1000@pbx.example.org');
      assert.equal(await panel.locator('.callee').textContent(), 'To sip:alice@pbx.example.org · via kam');
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'on');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Accept the call from Bob', 'the answer has the focus');
      await shot(page, '23-incoming');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // "Decline", by keyboard
      await panel.and(page.locator('[data-state="ended"]')).waitFor();
      assert.deepEqual(seen.map((m) => [m.call, m.everywhere]), [['c70', false]]);
      assert.equal(await panel.getByRole('status').textContent(), 'You declined the call.');
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'off');

      toPage({ type: 'incoming', call: 'c71', from: 'sip:2000@pbx.example.org', to: 'sip:alice@pbx.example.org', profile: 'kam', jsep: offer });
      const second = page.getByRole('group', { name: 'Incoming call from sip:2000@pbx.example.org' });
      await second.waitFor();
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'on');
      toPage({ type: 'hangup', call: 'c71', code: 487, reason: 'cancelled by caller' });
      await second.and(page.locator('[data-cause="cancelled"]')).waitFor();
      assert.equal(await second.getByRole('status').textContent(), 'The caller hung up before the call was answered.');
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'off');
    } finally {
      await page.closeAll();
    }
  });

  test('the history lists real calls newest first, failures in a sentence, and marks a missed call', { timeout: 60000 }, async () => {
    // The route passes every frame through unchanged, except that it adds one missed inbound entry to the
    // gateway's first history page and a `missed` message after the login's ack.
    const route = (ws) => {
      const server = ws.connectToServer();
      const loginIds = new Set();
      ws.onMessage((text) => {
        const m = JSON.parse(text);
        if (m.type === 'login') loginIds.add(m.id);
        server.send(text);
      });
      server.onMessage((text) => {
        const m = JSON.parse(text);
        if (m.type === 'history' && Array.isArray(m.calls) && m.calls.length < 20) {
          ws.send(JSON.stringify({ ...m, calls: [...m.calls, MISSED] }));
          return;
        }
        ws.send(text);
        if (m.type === 'ack' && loginIds.has(m.id)) ws.send(JSON.stringify({ type: 'missed', calls: [MISSED] }));
      });
    };
    const page = await loggedIn({ route });
    try {
      // The missed notice after login.
      await page.locator('#missed').waitFor();
      assert.match(await page.locator('#missed-text').textContent(), /^While you were away you missed a call: \+34931234567 \(.+\)\.$/);

      const dial = async (to, profile) => {
        await page.getByLabel('Route through').selectOption(profile);
        await page.getByLabel('Number or SIP address').fill(to);
        await page.getByRole('button', { name: 'Call', exact: true }).click();
      };
      const card = page.locator('article.callcard').first();
      for (let i = 0; i < 2; i++) {
        await dial('echo', 'echo');
        await card.and(page.locator('[data-state="answered"]')).waitFor({ timeout: 10000 });
        await page.waitForTimeout(1200);
        await card.getByRole('button', { name: /^Hang up/ }).click();
        await card.and(page.locator('[data-state="ended"]')).waitFor();
        await page.locator(`#history-list li.done >> nth=${i}`).waitFor({ timeout: 5000 });
      }
      await dial('1000', 'kam');
      await card.and(page.locator('[data-state="ended"]')).waitFor({ timeout: 15000 });
      await page.locator('#history-list li.failed').first().waitFor({ timeout: 5000 });

      const rows = await page.locator('#history-list li').evaluateAll((lis) => lis.map((li) => ({
        cls: li.className, dir: li.dataset.direction, number: li.querySelector('button').textContent, text: li.querySelector('span').textContent,
        tag: li.querySelector('.tag') ? li.querySelector('.tag').textContent : null, label: li.querySelector('button').getAttribute('aria-label'),
      })));
      assert.equal(rows.length, 4, JSON.stringify(rows));
      assert.deepEqual(rows.map((r) => [r.cls, r.dir, r.number]),
        [['failed', 'outbound', '1000'], ['done', 'outbound', 'echo'], ['done', 'outbound', 'echo'], ['missed', 'inbound', '+34931234567']]);
      assert.match(rows[0].text, / · Method Not Allowed|The call was refused \(SIP 405 Method Not Allowed\)\.$/);
      assert.match(rows[1].text, / · 0:0[1-9]$/);
      assert.equal(rows[3].tag, 'Missed');
      assert.match(rows[3].text, / · not answered$/);
      assert.equal(rows[3].label, 'Missed call from +34931234567: put it in the number field');
      await shot(page, '22-history');

      // A history entry puts its number (and profile) back in the dial form.
      await page.getByRole('button', { name: 'Missed call from +34931234567: put it in the number field' }).click();
      assert.equal(await page.getByLabel('Number or SIP address').inputValue(), '+34931234567');
      await page.getByRole('button', { name: 'Dismiss' }).click();
      assert.equal(await page.locator('#missed').isHidden(), true);
    } finally {
      await page.closeAll();
    }
  });
});
