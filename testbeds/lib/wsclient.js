'use strict';
// A scripted browser on the gateway's signaling WebSocket. Every frame received is kept in
// `received`, in order, for assertions on the exact sequence; next(type) hands out the first
// message of that type not handed out before, waiting for it if needed.

const WebSocket = require('ws');

class WsClient {
  constructor(url) {
    this.url = url;
    this.received = []; // { at, msg } ; msg is the parsed JSON, or { type: '<unparsable>', text }
    this.sent = [];
    this.taken = new Set(); // indexes of `received` already returned by next()
    this.waiters = [];
    this.ws = null;
    this.closeInfo = null;
    this.nextId = 1;
  }

  static async connect(url, { timeout = 5000 } = {}) {
    const c = new WsClient(url);
    await c.connect({ timeout });
    return c;
  }

  connect({ timeout = 5000 } = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { handshakeTimeout: timeout });
      this.ws = ws;
      ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.wake();
      });
      ws.once('open', () => resolve(this));
      ws.once('error', (e) => reject(new Error(`WebSocket ${this.url}: ${e.message}`)));
    });
  }

  onFrame(data, isBinary) {
    const text = data.toString('utf8');
    let msg;
    try {
      msg = isBinary ? { type: '<binary>', text } : JSON.parse(text);
    } catch {
      msg = { type: '<unparsable>', text };
    }
    this.received.push({ at: Date.now(), msg });
    this.wake();
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Sends one JSON object, or a raw string as-is (to test malformed input). */
  send(obj) {
    const text = typeof obj === 'string' ? obj : JSON.stringify(obj);
    this.sent.push({ at: Date.now(), text });
    this.ws.send(text);
  }

  /** Sends obj with a fresh "id" (unless it has one) and returns that id. */
  request(obj) {
    const id = obj.id !== undefined ? obj.id : String(this.nextId++);
    this.send({ ...obj, id });
    return id;
  }

  find(predicate) {
    for (let i = 0; i < this.received.length; i++) {
      if (!this.taken.has(i) && predicate(this.received[i].msg)) return i;
    }
    return -1;
  }

  /**
   * The next not-yet-taken message of `type` (and matching `where`, if given), waiting up to
   * `timeout` ms. Rejects with the whole conversation so far when it does not come.
   */
  next(type, { timeout = 5000, where = () => true, types = [type] } = {}) {
    const predicate = (m) => m && types.includes(m.type) && where(m);
    return new Promise((resolve, reject) => {
      const deadline = Date.now() + timeout;
      let timer = null;
      const check = () => {
        const i = this.find(predicate);
        if (i >= 0) {
          clearTimeout(timer);
          this.taken.add(i);
          resolve(this.received[i].msg);
          return;
        }
        if (this.closeInfo) {
          clearTimeout(timer);
          reject(new Error(`no "${type}" message: socket closed (${this.closeInfo.code} ${this.closeInfo.reason})\n${this.transcript()}`));
          return;
        }
        this.waiters.push(check);
      };
      timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no "${type}" message within ${timeout} ms\n${this.transcript()}`));
      }, Math.max(0, deadline - Date.now()));
      check();
    });
  }

  /** The ack or error that answers the request with this id. */
  response(id, { timeout = 5000 } = {}) {
    return this.nextOf(['ack', 'error'], { timeout, where: (m) => m.id === id });
  }

  /** Like next(), for the first message whose type is any of `types`. */
  nextOf(types, { timeout = 5000, where = () => true } = {}) {
    return this.next(types.join('|'), { timeout, where, types });
  }

  /** Waits `ms` and fails if a message matching `predicate` arrived (or was already there untaken). */
  async expectNone(predicate, ms) {
    await new Promise((r) => setTimeout(r, ms));
    const i = this.find(predicate);
    if (i >= 0) throw new Error(`unexpected message ${JSON.stringify(this.received[i].msg)}\n${this.transcript()}`);
  }

  /** All received messages (parsed), in arrival order, optionally only those of one call. */
  messages({ call } = {}) {
    const all = this.received.map((r) => r.msg);
    return call === undefined ? all : all.filter((m) => m.call === call);
  }

  /** Types of the received messages, in order, optionally filtered. */
  types(filter = () => true) {
    return this.messages().filter(filter).map((m) => m.type);
  }

  transcript() {
    const t0 = Math.min(...[...this.sent, ...this.received].map((x) => x.at), Date.now());
    const lines = [
      ...this.sent.map((s) => ({ at: s.at, line: `  -> ${abbreviate(s.text)}` })),
      ...this.received.map((r) => ({ at: r.at, line: `  <- ${abbreviate(JSON.stringify(r.msg))}` })),
    ].sort((a, b) => a.at - b.at);
    return `WebSocket conversation (${this.url}):\n` +
      (lines.map((l) => `${String(l.at - t0).padStart(6)} ms ${l.line}`).join('\n') || '  (nothing)');
  }

  /** Closes the socket and waits until it is closed. */
  close() {
    if (!this.ws || this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.ws.terminate(); resolve(); }, 2000);
      this.ws.once('close', () => { clearTimeout(t); resolve(); });
      this.ws.close(1000, 'test done');
    });
  }
}

function abbreviate(text) {
  // SDP bodies make a transcript unreadable; keep their first line only.
  return text.replace(/"sdp":"((?:[^"\\]|\\.){0,40})(?:[^"\\]|\\.)*"/g, '"sdp":"$1…"');
}

module.exports = { WsClient };
