'use strict';
// Test audio: tone WAV files made with sox at test time, and a pure-JS analysis of any 16-bit PCM
// WAV file (dominant frequency and level), so that a test can say "the far end heard 440 Hz".
//
//   const file = makeTone({ file: path.join(dir, 'a440.wav'), freq: 440 });      // 48 kHz mono s16, 10 s
//   const a = analyseWav(file);   // { sampleRate, seconds, dominantHz, rms, rmsDbfs, peak }
//
// The analysis averages the magnitude spectra of Hann-windowed frames (FFT) and refines the
// strongest bin by parabolic interpolation, so a steady tone is found to within ~1 Hz.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const SOX = process.env.SOX || 'sox';

/**
 * Writes a sine tone as a mono 16-bit signed WAV with sox and returns the file name.
 * @param {object} o
 * @param {string} o.file            where to write it (*.wav)
 * @param {number} o.freq            Hz
 * @param {number} [o.rate=48000]    sample rate
 * @param {number} [o.seconds=10]
 * @param {number} [o.amplitude=0.5] peak, 0..1 of full scale
 */
function makeTone({ file, freq, rate = 48000, seconds = 10, amplitude = 0.5 }) {
  if (!(freq > 0 && freq < rate / 2)) throw new Error(`tone frequency ${freq} Hz must be between 0 and ${rate / 2} Hz`);
  if (!(amplitude > 0 && amplitude <= 1)) throw new Error(`tone amplitude ${amplitude} must be in (0, 1]`);
  try {
    execFileSync(SOX, ['-q', '-n', '-r', String(rate), '-c', '1', '-b', '16', '-e', 'signed-integer', file,
      'synth', String(seconds), 'sine', String(freq), 'vol', String(amplitude)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const why = e.code === 'ENOENT' ? `${SOX} not found (apt-get install sox, or run testbeds/install.sh)` : String(e.stderr || e.message);
    throw new Error(`sox could not write ${file}: ${why}`);
  }
  return file;
}

/**
 * Reads a PCM WAV file (8/16/24/32-bit integer or 32-bit float, any channel count) and returns
 * { sampleRate, channels, bitsPerSample, samples } with `samples` the first channel as a
 * Float32Array in -1..1. Walks the RIFF chunks, so extra chunks (LIST, fact, ...) are fine.
 */
function readWav(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file}: not a RIFF/WAVE file (${buf.length} bytes)`);
  }
  let fmt = null;
  let data = null;
  for (let off = 12; off + 8 <= buf.length;) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    // A writer killed before it fixed up its header leaves 0 or 0xFFFFFFFF: take the rest of the file.
    if (id === 'data' && (size === 0 || body + size > buf.length)) size = buf.length - body;
    if (id === 'fmt ') {
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      if (fmt.format === 0xfffe && size >= 26) fmt.format = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
    }
    off = body + size + (size & 1);
  }
  if (!fmt) throw new Error(`${file}: no "fmt " chunk`);
  if (!data) throw new Error(`${file}: no "data" chunk`);
  const { format, channels, sampleRate, bitsPerSample } = fmt;
  const bytes = bitsPerSample / 8;
  const isFloat = format === 3 && bitsPerSample === 32;
  if (!(format === 1 && [8, 16, 24, 32].includes(bitsPerSample)) && !isFloat) {
    throw new Error(`${file}: unsupported WAV encoding (format ${format}, ${bitsPerSample} bits); only integer PCM and 32-bit float`);
  }
  if (channels < 1) throw new Error(`${file}: ${channels} channels`);
  const frame = bytes * channels;
  const n = Math.floor(data.length / frame);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * frame;
    if (isFloat) samples[i] = data.readFloatLE(o);
    else if (bitsPerSample === 16) samples[i] = data.readInt16LE(o) / 32768;
    else if (bitsPerSample === 8) samples[i] = (data[o] - 128) / 128;
    else if (bitsPerSample === 24) samples[i] = data.readIntLE(o, 3) / 8388608;
    else samples[i] = data.readInt32LE(o) / 2147483648;
  }
  return { sampleRate, channels, bitsPerSample, samples };
}

/** In-place iterative radix-2 FFT; re and im have a power-of-two length. */
function fft(re, im) {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

/**
 * Dominant frequency and level of mono samples in -1..1.
 * @param {Float32Array} samples
 * @param {number} sampleRate
 * @param {object} [o]
 * @param {number} [o.fromSeconds=0]  skip the start (e.g. before media flowed)
 * @param {number} [o.toSeconds]      stop here (default: the end)
 * @param {number} [o.frameSize]      FFT size (default: 8192 at >= 16 kHz, else 2048)
 * @param {number} [o.minHz=50]       ignore hum and DC below this
 * @returns {{seconds:number, rms:number, rmsDbfs:number, peak:number, dominantHz:number|null}}
 *          dominantHz is null when the signal is silent (rms below -80 dBFS) or too short for one frame.
 */
function analyse(samples, sampleRate, { fromSeconds = 0, toSeconds, frameSize, minHz = 50 } = {}) {
  const start = Math.min(samples.length, Math.max(0, Math.round(fromSeconds * sampleRate)));
  const end = toSeconds === undefined ? samples.length : Math.min(samples.length, Math.round(toSeconds * sampleRate));
  const part = samples.subarray(start, Math.max(start, end));
  let sum = 0;
  let peak = 0;
  for (const s of part) {
    sum += s * s;
    if (Math.abs(s) > peak) peak = Math.abs(s);
  }
  const rms = part.length ? Math.sqrt(sum / part.length) : 0;
  const rmsDbfs = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
  const result = { seconds: part.length / sampleRate, rms, rmsDbfs, peak, dominantHz: null };
  const n = frameSize || (sampleRate >= 16000 ? 8192 : 2048);
  if (n & (n - 1)) throw new Error(`frameSize ${n} must be a power of two`);
  if (rmsDbfs < -80 || part.length < n) return result;

  const window = new Float64Array(n);
  for (let i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  const spectrum = new Float64Array(n / 2);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  // Up to 32 frames spread over the part, half-overlapping at most.
  const frames = Math.min(32, Math.floor((part.length - n) / (n / 2)) + 1);
  const stride = frames > 1 ? Math.floor((part.length - n) / (frames - 1)) : 0;
  for (let f = 0; f < frames; f++) {
    const o = f * stride;
    for (let i = 0; i < n; i++) {
      re[i] = part[o + i] * window[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < n / 2; k++) spectrum[k] += Math.hypot(re[k], im[k]);
  }
  const binHz = sampleRate / n;
  let best = -1;
  for (let k = Math.max(1, Math.ceil(minHz / binHz)); k < n / 2 - 1; k++) {
    if (best < 0 || spectrum[k] > spectrum[best]) best = k;
  }
  if (best < 0) return result;
  // Parabolic interpolation on log magnitudes around the peak bin.
  const a = Math.log(spectrum[best - 1] + 1e-12);
  const b = Math.log(spectrum[best] + 1e-12);
  const c = Math.log(spectrum[best + 1] + 1e-12);
  const denom = a - 2 * b + c;
  const shift = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
  result.dominantHz = (best + shift) * binHz;
  return result;
}

/** analyse() of a WAV file's first channel, with its format: { sampleRate, channels, ...analyse }. */
function analyseWav(file, options) {
  const wav = readWav(file);
  return { file, sampleRate: wav.sampleRate, channels: wav.channels, ...analyse(wav.samples, wav.sampleRate, options) };
}

module.exports = { makeTone, readWav, analyse, analyseWav, fft };
