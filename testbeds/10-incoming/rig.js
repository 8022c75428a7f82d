'use strict';
// What both 10-incoming test files share: Chromium softphones that are closed after each test, SIPp callers
// through Kamailio (or straight to the gateway), and the gateway's and Kamailio's logs printed when a test failed.
// Each file starts its own Kamailio, gateway and browser in its `before` and hands them over through `peers`.

const { after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startSipp, describeRun } = require('../lib/sipp');

const SIPP_DIR = path.join(__dirname, 'sipp');

/**
 * Registers the file's afterEach/after hooks and returns its helpers.
 * @param {string} out the file's output folder
 * @param {() => {kam, gw, browser}} peers what the file's `before` started (any may still be undefined)
 * @param {() => void} [cleanUp] run last, after the browser, the gateway and Kamailio stopped
 */
function incomingRig({ out, peers, cleanUp = () => {} }) {
  const failed = [];
  const pages = [];

  afterEach(async (t) => {
    if (!t.passed) failed.push(t.name);
    for (const p of pages.splice(0)) await p.page.close().catch(() => {});
  });

  after(async () => {
    const { kam, gw, browser } = peers();
    if (failed.length && gw) gw.dumpLog(`failed: ${failed.join(', ')}`);
    if (failed.length && kam) process.stderr.write(`\n===== kamailio log: ${kam.logFile} =====\n${kam.logText().slice(-4000)}\n`);
    if (browser) await browser.close();
    if (gw) await gw.stop();
    if (kam) await kam.stop();
    cleanUp();
  });

  /** A Chromium softphone logged in as `user`, and registered through `profile` unless it is null. */
  async function phoneFor(user, password, profile) {
    const { gw, browser } = peers();
    const phone = await browser.softphone();
    pages.push(phone);
    await phone.connect(gw.wsUrl);
    assert.equal((await phone.login(user, password)).type, 'ack');
    if (profile) {
      assert.equal((await phone.register(profile)).type, 'ack');
      await phone.waitForMessage('registered', { timeout: 10000 });
    }
    return phone;
  }

  /**
   * SIPp running `scenario` (sipp/*.xml here) to `to` through Kamailio over `transport`, or straight to the
   * gateway with `direct`, from `host`; it echoes RTP unless `echo` is false.
   */
  function caller(scenario, to, { direct = false, host, transport = 'udp', echo = true, timeout = '40s' } = {}) {
    const { kam, gw } = peers();
    return startSipp({
      scenario: path.join(SIPP_DIR, `${scenario}.xml`),
      outDir: out,
      name: `${scenario}-${to.replace(/[^a-z0-9]/gi, '')}-${transport}-${Date.now()}`,
      remote: direct ? `127.0.0.1:${gw.sipPort}` : `127.0.0.1:${kam.port}`,
      service: to,
      host,
      transport,
      timeout,
      args: echo ? ['-rtp_echo'] : [],
    });
  }

  /** Closes a softphone's page in the middle of a test (a later phone for the same user starts afresh). */
  async function closePhone(phone) {
    pages.splice(pages.indexOf(phone), 1);
    await phone.page.close();
  }

  /** The SIPp run's result, once it ended with exit code 0. */
  async function expectOk(sipp) {
    const result = await sipp.done;
    assert.equal(result.code, 0, describeRun(result));
    return result;
  }

  return { phoneFor, closePhone, caller, expectOk };
}

module.exports = { incomingRig };
