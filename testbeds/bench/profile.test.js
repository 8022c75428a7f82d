'use strict';
// The benchmark's profile summary (profile.js): which samples count where. Runs in CI with the other testbeds;
// it needs neither the profiler nor a gateway.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { summarise, summaryTable } = require('./profile');

const LOOP = '[media-1 tid=7];java/lang/Thread.run;org/pasarela/transport/rtp/MediaLoop.run;'
  + 'sun/nio/ch/SelectorImpl.select;org/pasarela/transport/rtp/MediaSession.readable';
const collapsed = [
  `${LOOP};org/pasarela/transport/rtp/MediaSession.send;sun/nio/ch/DatagramChannelImpl.send0;sendto;`
    + 'entry_SYSCALL_64_after_hwframe_[k];__x64_sys_sendto_[k];udp_sendmsg_[k];net_rx_action_[k] 30',
  `${LOOP};org/pasarela/transport/rtp/MediaSession.send;sun/nio/ch/DatagramChannelImpl.send0;sendto;`
    + 'exit_to_user_mode_loop_[k];schedule_[k];finish_task_switch.isra.0_[k] 20',
  `${LOOP};org/pasarela/transport/rtp/MediaSession.send;sun/nio/ch/DatagramChannelImpl.send0;sendto 5`,
  '[media-1 tid=7];java/lang/Thread.run;org/pasarela/transport/rtp/MediaLoop.run;sun/nio/ch/EPoll.wait;epoll_wait;'
    + '__x64_sys_epoll_wait_[k];schedule_[k] 10',
  `${LOOP};sun/nio/ch/DatagramChannelImpl.receive0;__recvfrom;__x64_sys_recvfrom_[k] 5`,
  `${LOOP};org/pasarela/srtp/SrtpContext.protectRtp;org/pasarela/srtp/AesCounterMode.apply;`
    + 'com/sun/crypto/provider/AESCipher.engineUpdate 12',
  `${LOOP};org/pasarela/media/RtpRewriter.rewrite 8`,
  `${LOOP};sun/nio/ch/DatagramChannelImpl.receive;java/util/concurrent/locks/ReentrantLock.unlock 6`,
  `${LOOP};asm_sysvec_apic_timer_interrupt_[k] 2`,
  '[media-2 tid=8];java/lang/Thread.run;org/pasarela/transport/rtp/MediaLoop.run;Interpreter 2',
  '[C2 CompilerThread0 tid=9];thread_native_entry;CompileBroker::compiler_thread_loop 500',
  'not a collapsed line',
  '',
].join('\n');

test('samples of the media threads are split by system call first, then by the Java code nearest the leaf', () => {
  const s = summarise(collapsed, 'media-');
  assert.equal(s.samples, 100, 'the compiler thread and the malformed line are not counted');
  const share = Object.fromEntries(s.rows.map((r) => [`${r.level}:${r.what}`, r.percent]));
  assert.deepEqual(share, {
    '0:sendto': 55,
    '1:delivering the packet to the receiving socket (softirq on loopback)': 30,
    '1:preempted on the way back to user space': 20,
    '0:epoll_wait': 10,
    '1:sleeping and waking': 10,
    '0:recvfrom': 5,
    '0:SRTP (AES, HMAC-SHA1, JCE)': 12,
    "0:Pasarela's media code (rewriting, latching, ICE, timers)": 10,
    "0:the JDK's selector and channels (locks, copies, address conversion)": 6,
    '0:other kernel (interrupts, page faults)': 2,
  });
  assert.equal(s.rows.filter((r) => r.level === 0).reduce((sum, r) => sum + r.samples, 0), 100);
});

test('the table names the thread and the sample count, and indents the parts of a row', () => {
  const table = summaryTable(summarise(collapsed, 'media-'));
  assert.match(table, /media-\* threads' CPU went \(100 samples of 1 ms\)/);
  assert.match(table, /\| … of which preempted on the way back to user space \| 20\.0 % \|/);
  assert.match(table, /\| sendto \| 55\.0 % \|/);
});

test('no samples of the thread gives an empty table, not a division by zero', () => {
  const s = summarise(collapsed, 'dtls-');
  assert.equal(s.samples, 0);
  assert.deepEqual(s.rows, []);
});
