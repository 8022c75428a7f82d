// The floor under the gateway's media path on this machine: the same packet pattern as a Pasarela call, relayed
// by the least a user-space relay can do (no ICE, no SRTP, no rewriting), so that the benchmark's CPU per call
// can be read against what the kernel alone costs here. floor.js builds and drives it; see docs/benchmarks.md.
//
//   relay-floor echo K                 K sockets that send every datagram back to its source (SIPp's -rtp_echo);
//                                      prints "ports P1,...,PK"
//   relay-floor relay ECHO_PORTS N     N calls, each a client-side and a far-side socket, one epoll thread that
//                                      reads one datagram per ready socket per pass (as MediaLoop does); call i's
//                                      far end is ECHO_PORTS[i % K]; prints "ports A1,...,AN"
//   relay-floor gen RELAY_PORTS SECS   one socket per call, a 172-byte packet (PCMU 20 ms in SRTP) per call every
//                                      20 ms, the calls in 20 slots of 1 ms (as the lean load client); prints
//                                      "sent S received R" after SECS seconds and a 0.5 s drain; $GEN_WORK_US
//                                      adds that much CPU work per packet sent and received (a heavier client)
//   relay-floor syscalls COUNT BATCH   one thread sends COUNT packets to another on loopback, BATCH per call
//                                      (1: sendto/recv, more: sendmmsg/recvmmsg); prints CPU per packet each side
//
// Loopback only; every loop is bounded by a count or a deadline: echo and relay end after $LIFETIME seconds (600) if
// the driver has not ended them before.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET_BYTES 172
#define MAX_PORTS 4096

static double lifetime_seconds = 600;

static void die(const char *what) {
    perror(what);
    exit(2);
}

static int udp_socket(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    return fd;
}

static int local_port(int fd) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) < 0) die("getsockname");
    return ntohs(a.sin_port);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    return a;
}

/** "P1,P2,..." into ports; returns how many. */
static int parse_ports(const char *text, int *ports) {
    int n = 0;
    char *copy = strdup(text), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p && n < MAX_PORTS; p = strtok_r(NULL, ",", &save)) {
        int port = atoi(p);
        if (port <= 0 || port > 65535) {
            fprintf(stderr, "bad port '%s'\n", p);
            exit(2);
        }
        ports[n++] = port;
    }
    free(copy);
    return n;
}

static void print_ports(const int *fds, int n) {
    printf("ports ");
    for (int i = 0; i < n; i++) printf(i ? ",%d" : "%d", local_port(fds[i]));
    printf("\n");
    fflush(stdout);
}

static double now_seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int add_to_epoll(int ep, int fd, uint32_t tag) {
    struct epoll_event e = {.events = EPOLLIN, .data.u32 = tag};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static int echo(int k) {
    int fds[MAX_PORTS], ep = epoll_create1(0);
    for (int i = 0; i < k; i++) {
        fds[i] = udp_socket();
        if (add_to_epoll(ep, fds[i], i) < 0) die("epoll_ctl");
    }
    print_ports(fds, k);
    char buf[2048];
    struct epoll_event ready[64];
    for (double end = now_seconds(CLOCK_MONOTONIC) + lifetime_seconds; now_seconds(CLOCK_MONOTONIC) < end;) {
        int n = epoll_wait(ep, ready, 64, 1000);
        for (int i = 0; i < n; i++) {
            int fd = fds[ready[i].data.u32];
            struct sockaddr_in from;
            socklen_t len = sizeof from;
            ssize_t got = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &len);
            if (got > 0) sendto(fd, buf, got, 0, (struct sockaddr *)&from, len);
        }
    }
    return 0;
}

static int relay(const char *echo_ports, int calls) {
    int far_ports[MAX_PORTS], k = parse_ports(echo_ports, far_ports);
    if (k == 0 || calls <= 0 || calls > MAX_PORTS) {
        fprintf(stderr, "relay needs echo ports and 1..%d calls\n", MAX_PORTS);
        return 2;
    }
    int *client = calloc(calls, sizeof(int)), *far = calloc(calls, sizeof(int)), ep = epoll_create1(0);
    struct sockaddr_in *far_end = calloc(calls, sizeof *far_end), *latched = calloc(calls, sizeof *latched);
    char *has_peer = calloc(calls, 1);
    for (int i = 0; i < calls; i++) {
        client[i] = udp_socket();
        far[i] = udp_socket();
        far_end[i] = loopback(far_ports[i % k]);
        if (add_to_epoll(ep, client[i], 2 * i) < 0 || add_to_epoll(ep, far[i], 2 * i + 1) < 0) die("epoll_ctl");
    }
    print_ports(client, calls);
    char buf[2048];
    struct epoll_event ready[256];
    for (double end = now_seconds(CLOCK_MONOTONIC) + lifetime_seconds; now_seconds(CLOCK_MONOTONIC) < end;) {
        int n = epoll_wait(ep, ready, 256, 1000);
        for (int r = 0; r < n; r++) {
            uint32_t tag = ready[r].data.u32, i = tag / 2;
            if (tag % 2 == 0) { // from the client: latch its address (symmetric RTP), forward to the far end
                socklen_t len = sizeof latched[i];
                ssize_t got = recvfrom(client[i], buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&latched[i], &len);
                if (got <= 0) continue;
                has_peer[i] = 1;
                sendto(far[i], buf, got, 0, (struct sockaddr *)&far_end[i], sizeof far_end[i]);
            } else { // from the far end: back to the latched client
                struct sockaddr_in from;
                socklen_t len = sizeof from;
                ssize_t got = recvfrom(far[i], buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &len);
                if (got > 0 && has_peer[i])
                    sendto(client[i], buf, got, 0, (struct sockaddr *)&latched[i], sizeof latched[i]);
            }
        }
    }
    return 0;
}

struct gen_state {
    int calls, ep;
    int *fds;
    double deadline;
    long received;
};

/**
 * CPU work the generator spends per packet sent and per packet received, in microseconds ($GEN_WORK_US, 0 by
 * default): the lean client spends about 18 us per packet (SRTP, round-trip bookkeeping), this generator about 9,
 * and a heavier neighbour changes how often the relay is preempted and waits for a CPU.
 */
static double work_seconds = 0;

static void work(void) {
    if (work_seconds <= 0) return;
    double until = now_seconds(CLOCK_THREAD_CPUTIME_ID) + work_seconds;
    while (now_seconds(CLOCK_THREAD_CPUTIME_ID) < until) {
    }
}

static void *gen_receive(void *arg) {
    struct gen_state *g = arg;
    char buf[2048];
    struct epoll_event ready[256];
    while (now_seconds(CLOCK_MONOTONIC) < g->deadline) {
        int n = epoll_wait(g->ep, ready, 256, 100);
        for (int r = 0; r < n; r++)
            if (recv(g->fds[ready[r].data.u32], buf, sizeof buf, MSG_DONTWAIT) > 0) {
                g->received++;
                work();
            }
    }
    return NULL;
}

static int gen(const char *relay_ports, double seconds) {
    static int ports[MAX_PORTS];
    int calls = parse_ports(relay_ports, ports);
    if (calls == 0 || seconds <= 0 || seconds > 3600) {
        fprintf(stderr, "gen needs relay ports and 0..3600 seconds\n");
        return 2;
    }
    struct gen_state g = {.calls = calls, .ep = epoll_create1(0), .fds = calloc(calls, sizeof(int))};
    struct sockaddr_in *to = calloc(calls, sizeof *to);
    for (int i = 0; i < calls; i++) {
        g.fds[i] = udp_socket();
        to[i] = loopback(ports[i]);
        if (add_to_epoll(g.ep, g.fds[i], i) < 0) die("epoll_ctl");
    }
    double end = now_seconds(CLOCK_MONOTONIC) + seconds;
    g.deadline = end + 0.5; // the last packets' way back
    pthread_t receiver;
    pthread_create(&receiver, NULL, gen_receive, &g);
    // One RTP packet per call, version 2, PCMU, its own SSRC; sequence number and timestamp advance per packet,
    // so that a relay that runs SRTP (JavaRelay's srtp mode) sees a stream its replay check accepts.
    unsigned char *packets = calloc(calls, PACKET_BYTES);
    for (int i = 0; i < calls; i++) {
        unsigned char *p = packets + (size_t)i * PACKET_BYTES;
        memset(p, 0xff, PACKET_BYTES);
        p[0] = 0x80;
        p[1] = 0;
        uint32_t ssrc = htonl(0x10000 + i);
        memcpy(p + 8, &ssrc, 4);
    }
    long sent = 0;
    struct timespec tick;
    clock_gettime(CLOCK_MONOTONIC, &tick);
    for (int slot = 0; now_seconds(CLOCK_MONOTONIC) < end; slot = (slot + 1) % 20) {
        for (int i = slot; i < calls; i += 20) {
            unsigned char *p = packets + (size_t)i * PACKET_BYTES;
            uint16_t seq = ((p[2] << 8) | p[3]) + 1;
            uint32_t timestamp = ((uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]) + 160;
            p[2] = seq >> 8;
            p[3] = seq & 0xff;
            p[4] = timestamp >> 24;
            p[5] = (timestamp >> 16) & 0xff;
            p[6] = (timestamp >> 8) & 0xff;
            p[7] = timestamp & 0xff;
            if (sendto(g.fds[i], p, PACKET_BYTES, 0, (struct sockaddr *)&to[i], sizeof to[i]) > 0) {
                sent++;
                work();
            }
        }
        tick.tv_nsec += 1000000;
        if (tick.tv_nsec >= 1000000000) {
            tick.tv_sec++;
            tick.tv_nsec -= 1000000000;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &tick, NULL);
    }
    pthread_join(receiver, NULL);
    printf("sent %ld received %ld\n", sent, g.received);
    return 0;
}

struct syscall_state {
    int fd, batch;
    long count;
    double cpu;
};

static void *syscall_receive(void *arg) {
    struct syscall_state *s = arg;
    static char bufs[64][2048];
    struct mmsghdr m[64];
    struct iovec io[64];
    for (int i = 0; i < 64; i++) {
        io[i] = (struct iovec){bufs[i], sizeof bufs[i]};
        memset(&m[i], 0, sizeof m[i]);
        m[i].msg_hdr.msg_iov = &io[i];
        m[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec limit = {.tv_sec = 1};
    double start = now_seconds(CLOCK_THREAD_CPUTIME_ID), deadline = now_seconds(CLOCK_MONOTONIC) + 60;
    for (long got = 0; got < s->count && now_seconds(CLOCK_MONOTONIC) < deadline;) {
        if (s->batch > 1) {
            int n = recvmmsg(s->fd, m, s->batch, MSG_WAITFORONE, &limit);
            if (n > 0) got += n;
        } else if (recv(s->fd, bufs[0], sizeof bufs[0], 0) > 0) {
            got++;
        }
    }
    s->cpu = now_seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    return NULL;
}

static int syscalls(long count, int batch) {
    if (count <= 0 || batch < 1 || batch > 64) {
        fprintf(stderr, "syscalls needs a count and a batch of 1..64\n");
        return 2;
    }
    struct syscall_state s = {.fd = udp_socket(), .batch = batch, .count = count};
    int buffer = 8 << 20;
    setsockopt(s.fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    struct timeval patience = {.tv_sec = 1};
    setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    struct sockaddr_in to = loopback(local_port(s.fd));
    int tx = udp_socket();
    pthread_t receiver;
    pthread_create(&receiver, NULL, syscall_receive, &s);
    char packet[PACKET_BYTES] = {0};
    struct iovec io = {packet, sizeof packet};
    struct mmsghdr m[64];
    for (int i = 0; i < 64; i++) {
        memset(&m[i], 0, sizeof m[i]);
        m[i].msg_hdr.msg_name = &to;
        m[i].msg_hdr.msg_namelen = sizeof to;
        m[i].msg_hdr.msg_iov = &io;
        m[i].msg_hdr.msg_iovlen = 1;
    }
    double start = now_seconds(CLOCK_THREAD_CPUTIME_ID);
    long sent = 0, paced = 0;
    while (sent < count) {
        int n = batch > 1 ? sendmmsg(tx, m, batch, 0) : (int)(sendto(tx, packet, sizeof packet, 0, (struct sockaddr *)&to, sizeof to) > 0);
        if (n < 0 && errno != EAGAIN) die("send");
        if (n > 0) sent += n;
        if (sent - paced >= 1024) { // let the receiver keep up: this measures cost, not overflow
            paced = sent;
            usleep(200);
        }
    }
    double send_cpu = now_seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    pthread_join(receiver, NULL);
    printf("batch %d send_us %.3f receive_us %.3f\n", batch, send_cpu * 1e6 / count, s.cpu * 1e6 / count);
    return 0;
}

int main(int argc, char **argv) {
    const char *gen_work = getenv("GEN_WORK_US");
    if (gen_work && atof(gen_work) > 0) work_seconds = atof(gen_work) / 1e6;
    const char *lifetime = getenv("LIFETIME");
    if (lifetime && atof(lifetime) > 0) lifetime_seconds = atof(lifetime);
    if (argc >= 3 && strcmp(argv[1], "echo") == 0) return echo(atoi(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "relay") == 0) return relay(argv[2], atoi(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "gen") == 0) return gen(argv[2], atof(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "syscalls") == 0) return syscalls(atol(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: relay-floor echo K | relay ECHO_PORTS N | gen RELAY_PORTS SECONDS | syscalls COUNT BATCH\n");
    return 2;
}
