'use strict';
// Real browser offers (see fixtures/README.md) and a small SDP reader for assertions.

const fs = require('node:fs');
const path = require('node:path');

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function fixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** Chromium's audio-only offer, ICE gathering complete, exactly as captured (CRLF). */
function chromiumAudioOffer() {
  return fixture('chromium-audio-offer.sdp');
}

/**
 * Chromium's audio+video offer with the audio section removed: a well-formed WebRTC offer
 * that has nothing a plain-RTP audio call can use.
 */
function videoOnlyOffer() {
  const parsed = parseSdp(fixture('chromium-audio-video-offer.sdp'));
  const video = parsed.media.filter((m) => m.kind === 'video');
  if (video.length !== 1) throw new Error('fixture chromium-audio-video-offer.sdp has no single video section');
  const mid = video[0].attribute('mid');
  const session = parsed.sessionLines.map((l) => (l.startsWith('a=group:BUNDLE') ? `a=group:BUNDLE ${mid}` : l));
  return [...session, ...video[0].lines].join('\r\n') + '\r\n';
}

class MediaSection {
  constructor(lines) {
    this.lines = lines;
    const m = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)(?: (.*))?$/.exec(lines[0]);
    if (!m) throw new Error(`not an m= line: ${lines[0]}`);
    this.kind = m[1];
    this.port = Number(m[2]);
    this.proto = m[3];
    this.formats = m[4] ? m[4].trim().split(/\s+/) : [];
  }

  /** Values of every a=NAME or a=NAME:value line, in order ('' for flags). */
  attributes(name) {
    return this.lines
      .filter((l) => l === `a=${name}` || l.startsWith(`a=${name}:`))
      .map((l) => (l === `a=${name}` ? '' : l.slice(name.length + 3)));
  }

  attribute(name) {
    return this.attributes(name)[0];
  }

  has(name) {
    return this.attributes(name).length > 0;
  }

  /** Lines of a type other than a= (e.g. 'c' -> ['IN IP4 1.2.3.4']). */
  fields(type) {
    return this.lines.filter((l) => l.startsWith(`${type}=`)).map((l) => l.slice(2));
  }

  /** Encoding names by payload type, from rtpmap plus the RFC 3551 static types. */
  codecs() {
    const names = {};
    const statics = { 0: 'PCMU/8000', 8: 'PCMA/8000', 9: 'G722/8000', 18: 'G729/8000', 13: 'CN/8000' };
    for (const f of this.formats) if (statics[f]) names[f] = statics[f];
    for (const v of this.attributes('rtpmap')) {
      const m = /^(\d+) (.+)$/.exec(v);
      if (m) names[m[1]] = m[2];
    }
    return this.formats.map((pt) => ({ pt, name: names[pt] || '' }));
  }
}

/** Splits SDP text into session lines and media sections. Tolerates LF or CRLF. */
function parseSdp(text) {
  if (typeof text !== 'string') throw new Error(`SDP must be a string, got ${typeof text}`);
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const sessionLines = [];
  const media = [];
  for (const line of lines) {
    if (line.startsWith('m=')) media.push([line]);
    else if (media.length) media[media.length - 1].push(line);
    else sessionLines.push(line);
  }
  const sections = media.map((l) => new MediaSection(l));
  const sessionField = (type) => sessionLines.filter((l) => l.startsWith(`${type}=`)).map((l) => l.slice(2));
  const sessionAttributes = (name) => sessionLines
    .filter((l) => l === `a=${name}` || l.startsWith(`a=${name}:`))
    .map((l) => (l === `a=${name}` ? '' : l.slice(name.length + 3)));
  return { lines, sessionLines, media: sections, sessionField, sessionAttributes };
}

module.exports = { chromiumAudioOffer, videoOnlyOffer, parseSdp, fixture };
