'use strict';
// Reads SIPp's -trace_msg message file into SIP messages, so tests can assert on what the
// SIP side actually saw. One entry in that file looks like:
//
//   ----------------------------------------------- 2026-11-21 05:06:16.246437
//   UDP message received [545] bytes :
//
//   INVITE sip:1000@127.0.0.1 SIP/2.0
//   ...
//
// ("UDP message sent (289 bytes):" for the other direction; TCP likewise.)

const COMPACT = { i: 'call-id', f: 'from', t: 'to', v: 'via', m: 'contact', l: 'content-length', c: 'content-type', k: 'supported', s: 'subject' };

class SipMessage {
  constructor({ direction, transport, raw }) {
    this.direction = direction; // 'sent' | 'received', from SIPp's point of view
    this.transport = transport; // 'UDP' | 'TCP'
    this.raw = raw;
    const split = raw.search(/\r?\n\r?\n/);
    const head = split >= 0 ? raw.slice(0, split) : raw;
    this.body = split >= 0 ? raw.slice(split).replace(/^\r?\n\r?\n/, '') : '';
    const lines = head.split(/\r?\n/);
    this.startLine = lines.shift().trim();
    this.headers = [];
    for (const line of lines) {
      if (/^[ \t]/.test(line) && this.headers.length) {
        this.headers[this.headers.length - 1].value += ' ' + line.trim();
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      let name = line.slice(0, colon).trim().toLowerCase();
      name = COMPACT[name] || name;
      this.headers.push({ name, value: line.slice(colon + 1).trim() });
    }
    const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(this.startLine);
    const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(this.startLine);
    this.status = status ? Number(status[1]) : null;
    this.reason = status ? status[2] : null;
    this.method = request ? request[1] : null;
    this.requestUri = request ? request[2] : null;
  }

  isRequest(method) {
    return this.method !== null && (method === undefined || this.method === method);
  }

  isResponse(status) {
    return this.status !== null && (status === undefined || this.status === status);
  }

  /** First value of a header (case-insensitive name, compact forms understood), or undefined. */
  header(name) {
    const h = this.headers.find((x) => x.name === name.toLowerCase());
    return h ? h.value : undefined;
  }

  headerAll(name) {
    return this.headers.filter((x) => x.name === name.toLowerCase()).map((x) => x.value);
  }

  get callId() {
    return this.header('call-id');
  }

  /** The method named in CSeq ("INVITE" for a 200 to an INVITE). */
  get cseqMethod() {
    const cseq = this.header('cseq');
    return cseq ? cseq.split(/\s+/)[1] : undefined;
  }

  summary() {
    return `${this.direction === 'sent' ? '->' : '<-'} ${this.startLine}${this.cseqMethod && this.status ? ` (${this.cseqMethod})` : ''}`;
  }
}

function parseTrace(text) {
  const messages = [];
  const blocks = text.split(/^-{10,}[^\n]*\n/m);
  for (const block of blocks) {
    const m = /^(UDP|TCP|TLS|SCTP) message (sent|received) (?:\[\d+\] bytes ?:|\(\d+ bytes\):)\r?\n\r?\n/.exec(block);
    if (!m) continue;
    const raw = block.slice(m[0].length).replace(/\s+$/, '') + '\r\n';
    messages.push(new SipMessage({ transport: m[1], direction: m[2], raw }));
  }
  return messages;
}

module.exports = { parseTrace, SipMessage };
