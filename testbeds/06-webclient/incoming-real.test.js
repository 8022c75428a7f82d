'use strict';
// The softphone page receiving real calls from SIP, in real Chromium (phone-sized): a SIPp caller on a PBX-less
// trunk's network (127.0.0.3, inbound.networks) dials alice's DID; the page rings, the user clicks Accept, the
// call connects with audio both ways (SIPp echoes RTP) and the caller hangs up; a second caller gives up while
// it rings. The page's history then shows both from the gateway's database, the second one marked missed.
// Screenshots: testbeds/out/06-webclient/screenshots/30-...
//
//   mvn -q -B -o package -DskipTests && node --test testbeds/06-webclient/incoming-real.test.js

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { useGateway, outDirFor } = require('../lib/gateway');
const { launchBrowser } = require('../lib/browser');
const { startSipp, describeRun } = require('../lib/sipp');

const FILE = '06-webclient';
const SHOTS = outDirFor(FILE, 'screenshots');
const SIPP_DIR = path.join(__dirname, '..', '10-incoming', 'sipp');
const PHONE = { width: 390, height: 844 };
const DID = '+34931000001';

describe('softphone page: a real incoming call', () => {
  let browser;
  const ctx = useGateway({
    name: `${FILE}-incoming`,
    users: { alice: 'secret' },
    sets: { 'echo.enabled': 'true', 'profile.default': 'echo' },
    profiles: {
      trunk: {
        proxy: 'sip:127.0.0.3:5060',
        codecs: 'PCMU,PCMA,telephone-event',
        'inbound.networks': '127.0.0.3',
        [`inbound.did.${DID}`]: 'alice',
      },
    },
  });
  before(async () => {
    browser = await launchBrowser({ outDir: outDirFor(FILE, 'incoming'), toneHz: 440 });
  }, { timeout: 40000 });
  after(async () => { if (browser) await browser.close(); });

  function caller(scenario) {
    return startSipp({
      scenario: path.join(SIPP_DIR, `${scenario}.xml`), outDir: outDirFor(FILE, 'incoming'),
      name: `${scenario}-${Date.now()}`, remote: `127.0.0.1:${ctx.gw.sipPort}`, service: DID, host: '127.0.0.3',
      timeout: '40s', args: ['-rtp_echo'],
    });
  }

  test('the page rings, Accept connects with audio both ways, the caller hangs up; a caller who gives up is a missed call in the history', { timeout: 90000 }, async () => {
    const context = await browser.browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    page.on('console', (m) => browser.consoleLog.push(`[${m.type()}] ${m.text()}`));
    try {
      await page.goto(`http://127.0.0.1:${ctx.gw.httpPort}/`);
      await page.waitForFunction(() => window.pasarelaApp && window.pasarelaApp.ready);
      await page.getByLabel('User').fill('alice');
      await page.getByLabel('Password').fill('secret');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.locator('#status[data-state="ready"]').waitFor({ timeout: 10000 });
      await page.locator('body').click({ position: { x: 5, y: 300 } }); // a user gesture, so that audio may start

      const answered = await caller('uac-answer-bye');
      const panel = page.getByRole('group', { name: 'Incoming call from SIPp Caller' });
      await panel.waitFor({ timeout: 10000 });
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'on');
      await page.getByRole('button', { name: 'Accept the call from SIPp Caller' }).click();
      const card = page.locator('article.callcard').first();
      await card.and(page.locator('[data-state="answered"]')).waitFor({ timeout: 10000 });
      assert.equal(await page.locator('body').getAttribute('data-ringtone'), 'off');
      // The library's own peer connection: RTP flows both ways through the gateway and SIPp's echo.
      const counts = () => page.evaluate(async () => {
        for (const call of window.pasarelaApp.client.calls.values()) {
          if (!call.pc) continue;
          const out = { sent: 0, received: 0 };
          (await call.pc.getStats()).forEach((s) => {
            if (s.type === 'outbound-rtp' && s.kind === 'audio') out.sent = s.packetsSent;
            if (s.type === 'inbound-rtp' && s.kind === 'audio') out.received = s.packetsReceived;
          });
          return out;
        }
        return null;
      });
      let rtp = null;
      for (const deadline = Date.now() + 10000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
        rtp = await counts();
        if (rtp && rtp.sent > 50 && rtp.received > 50) break;
      }
      assert.ok(rtp && rtp.sent > 50 && rtp.received > 50, `RTP both ways through the gateway and SIPp's echo: ${JSON.stringify(rtp)}`);
      await page.screenshot({ path: path.join(SHOTS, '30-incoming-answered.png'), fullPage: true });
      await card.and(page.locator('[data-state="ended"]')).waitFor({ timeout: 15000 });
      const first = await answered.done;
      assert.equal(first.code, 0, describeRun(first));

      const cancelled = await caller('uac-cancel');
      await page.getByRole('group', { name: 'Incoming call from SIPp Caller' }).first().waitFor({ timeout: 10000 });
      await page.locator('[data-cause="cancelled"]').first().waitFor({ timeout: 10000 });
      const second = await cancelled.done;
      assert.equal(second.code, 0, describeRun(second));

      await page.locator('#history-list li.missed').first().waitFor({ timeout: 10000 });
      const rows = await page.locator('#history-list li').evaluateAll((lis) => lis.map((li) => ({
        cls: li.className, dir: li.dataset.direction, tag: li.querySelector('.tag') ? li.querySelector('.tag').textContent : null,
      })));
      assert.deepEqual(rows.slice(0, 2).map((r) => [r.cls, r.dir, r.tag]), [['missed', 'inbound', 'Missed'], ['done', 'inbound', null]],
        JSON.stringify(rows));
      await page.screenshot({ path: path.join(SHOTS, '31-incoming-history.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
