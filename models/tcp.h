/* models/tcp.h — a compact TCP endpoint, faithful where keep-alive and
 * timeouts depend on it (SEMANTICS.md S1–S18).
 *
 * Modelled: three-way handshake with SYN retries, data and ACKs (every
 * in-order segment ACKed at once, S21), RTO per RFC 6298 with Linux's
 * rto_min on the variance term and exponential backoff, the tail-loss
 * probe, tcp_retries2 and TCP_USER_TIMEOUT aborts, keep-alive with Linux's
 * exact probe, answer and abort rules, RST generation and acceptance
 * (RFC 5961 exact-match), orderly close and TIME_WAIT, and what Linux does
 * to a socket the application has closed (tcp_orphan_retries, fin_timeout,
 * RST on data that nobody will read).
 * Left out, on purpose: congestion control, SACK, window scaling, Nagle,
 * delayed ACKs, out-of-order queues (a segment beyond rcv_nxt is dropped and
 * answered with a duplicate ACK), MSS segmentation (a send of any size is
 * one segment), more than one segment in flight (the next segment leaves
 * when the previous one is acknowledged; sends queued meanwhile go out
 * together), TCP timestamps (so Karn's rule applies to every retransmitted
 * segment), simultaneous open, fast retransmit (never triggered with one
 * segment in flight), TCP_USER_TIMEOUT during the handshake.  None of them
 * changes when an idle or stuck connection dies or who learns.
 *
 * Memory: one TcpConn is embedded in its flow record; it owns exactly one
 * SimTimer, which serves retransmission, TLP, keep-alive and TIME_WAIT
 * (Linux suspends keep-alive while data is in flight, S9, so they never
 * compete), and allocates nothing after tcp_conn_init.
 */
#pragma once

#include <glib.h>
#include "sim/sim.h"
#include "models/packet.h"

G_BEGIN_DECLS

typedef struct _TcpConn TcpConn;

/* Per-endpoint configuration; shared by many connections, never copied.
 * Defaults in models/defaults.h (Linux). */
typedef struct {
  gboolean keepalive;        /* SO_KEEPALIVE */
  SimTime  keepidle;         /* TCP_KEEPIDLE, <= 32767 s */
  SimTime  keepintvl;        /* TCP_KEEPINTVL, <= 32767 s */
  guint    keepcnt;          /* TCP_KEEPCNT, 1..127 */
  SimTime  user_timeout;     /* TCP_USER_TIMEOUT, 0 = off */
  guint    retries2;         /* net.ipv4.tcp_retries2 */
  guint    syn_retries;      /* net.ipv4.tcp_syn_retries */
  SimTime  rto_min;          /* 200 ms */
  SimTime  rto_max;          /* 120 s */
  SimTime  rto_initial;      /* 1 s (RFC 6298 §2.1) */
  SimTime  time_wait;        /* 60 s (TCP_TIMEWAIT_LEN) */
  SimTime  fin_timeout;      /* 60 s, orphaned FIN_WAIT_2 */
  gboolean tlp;              /* tail-loss probe (Linux default on) */
  guint    timer_hz;         /* 0: ideal timers; else the kernel-timer mode
                                of SEMANTICS.md §7 with this CONFIG_HZ
                                (models/ktimer.h) */
} TcpConfig;

void tcp_config_init_defaults (TcpConfig *cfg);

typedef enum {
  TCP_CLOSED = 0, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
  TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
  TCP_TIME_WAIT
} TcpState;

/* What the application sees when the socket dies (S7, S17, S18). */
typedef enum {
  TCP_ERR_NONE = 0,
  TCP_ERR_TIMEDOUT,          /* ETIMEDOUT */
  TCP_ERR_RESET,             /* ECONNRESET */
  TCP_ERR_PIPE,              /* EPIPE: send on a dead socket */
} TcpErr;

/* Why (SEMANTICS.md §6 "useful extra"). */
typedef enum {
  TCP_CAUSE_NONE = 0,
  TCP_CAUSE_KEEPALIVE,       /* S6, S8 */
  TCP_CAUSE_RTO,             /* S15 retries2 (tcp_orphan_retries once closed) */
  TCP_CAUSE_UTO,             /* S16 user timeout */
  TCP_CAUSE_SYN,             /* handshake gave up (syn_retries, SYN-ACK retries) */
  TCP_CAUSE_RST,             /* acceptable RST received */
  TCP_CAUSE_FIN,             /* FIN received (end of file) */
} TcpCause;

/* Callbacks into the owner (host/world).  All may be NULL but output.
 * None of them may call tcp_conn_receive() on the same connection
 * synchronously (deliver through the Sim instead), and only on_closed may
 * free the TcpConn. */
typedef struct {
  /* A segment leaves this endpoint (transfer full). */
  void (*output)       (void *owner, TcpConn *c, Packet *p);
  /* Handshake completed (both active and passive side). */
  void (*on_connected) (void *owner, TcpConn *c);
  /* @bytes of new in-order payload delivered to the application. */
  void (*on_recv)      (void *owner, TcpConn *c, guint32 bytes);
  /* Everything sent so far is acknowledged (after an ACK of data). */
  void (*on_acked)     (void *owner, TcpConn *c);
  /* Peer's FIN: end of file (S29 d).  Not called once the application has
   * closed its side (tcp_conn_close): nobody is left to read. */
  void (*on_eof)       (void *owner, TcpConn *c);
  /* The socket died with an error: ETIMEDOUT (keepalive, rto, uto, syn) or
   * ECONNRESET (@rst is the accepted RST, else NULL).  After this the
   * connection is CLOSED and sends nothing more; on_closed follows at once.
   * Not called for a socket the application already closed (an orphan,
   * as in Linux): its end shows only through tcp_conn_error/cause. */
  void (*on_error)     (void *owner, TcpConn *c, TcpErr err, TcpCause cause,
                        const Packet *rst);
  /* The connection reached CLOSED (TIME_WAIT, FIN_WAIT_2 timeout or
   * LAST_ACK done, a close before the handshake completed, or right after
   * on_error), exactly once, so the owner may drop it from its demux table
   * or free it.  Not called by tcp_conn_clear. */
  void (*on_closed)    (void *owner, TcpConn *c);
} TcpOps;

/* What every connection of one endpoint role shares (a World has one per
 * side, plus one per side for pattern = http, whose sockets have their own
 * TcpOps).  Owned by the caller and borrowed by each connection: it must
 * outlive them, and neither it nor the configuration it points to may
 * change while any of them is open (the timer plans keep-alive ticks
 * ahead from the configuration, tcp_timer.c).  One pointer in
 * TcpConn instead of three saves 16 bytes per socket, 32 per flow. */
typedef struct {
  const TcpConfig *cfg;
  const TcpOps    *ops;      /* ops->output must not be NULL */
  PacketPool      *pool;     /* every segment of these connections comes
                              * from it, and segments they receive go back
                              * to it */
  Sim             *sim;      /* their clock and queue */
  void            *owner;    /* first argument of every TcpOps callback */
  guint            alarm_class;  /* of their timers (sim_alarm_class) */
  /* Where the timers go (sim_alarm_start_in): keep-alive ticks keepidle
   * or keepintvl ahead, and retransmission deadlines, each mostly armed
   * in the order they fall due. */
  SimLane         *lane_idle, *lane_intvl, *lane_rtx;
} TcpEnv;

/* Fills @env; @ops->output must not be NULL.  Registers the connections'
 * timer callback with @sim. */
void     tcp_env_init      (TcpEnv *env, Sim *sim, const TcpConfig *cfg,
                            const TcpOps *ops, PacketPool *pool, void *owner);

/* Private fields: only models/tcp*.c read them (use the accessors below);
 * public for embedding.  sizeof (TcpConn) == 128 on LP64 (checked below),
 * two cache lines: one 24-byte SimAlarm, one pointer, six times, six
 * 32-bit words, seven bytes and the owner's 32-bit word.  Nothing shared is stored per socket:
 * configuration, callbacks, packet pool, Sim and owner sit in the TcpEnv,
 * and the timer is an alarm whose class callback finds the connection
 * from the alarm's address (the first field). */
struct _TcpConn {
  SimAlarm         timer;      /* first; the one timer: min (rtx_due,
                                * ka_tick) */
  const TcpEnv    *env;        /* borrowed: cfg, ops, pool, sim, owner */
  SimTime          last_rx;    /* S2 idle clock */
  SimTime          srtt, rttvar;    /* RFC 6298, valid once a sample exists */
  SimTime          mark;       /* send time of the timed segment in flight
                                * (RTT sample, Karn), or R1 once the RTO
                                * episode has started (S15, S16) */
  SimTime          rtx_due;    /* SYN/data/FIN retransmission or TLP
                                * deadline; TIME_WAIT or FIN_WAIT_2 end;
                                * SIM_TIME_NEVER if none */
  SimTime          ka_tick;    /* keep-alive timer expiry (Linux sk_timer
                                * semantics, lazy), SIM_TIME_NEVER if off */
  FlowKey          key;        /* as this end sends: src = local */
  guint32          snd_una, snd_nxt, rcv_nxt;
  guint32          unsent;     /* bytes queued by the app, not yet sent */
  guint32          probes_sent;     /* keep-alive probes sent, ever */
  guint32          retrans;         /* retransmissions (SYN, RTO, TLP), ever */
  guint8           state;      /* TcpState */
  guint8           backoff;    /* RTO expiries in this episode (saturates) */
  guint8           probes_out; /* unanswered keep-alive probes (saturates) */
  guint8           syn_tries;  /* SYN or SYN-ACK retransmissions */
  guint8           flags;      /* TCP_F_* in tcp_private.h */
  guint8           err;        /* TcpErr once dead */
  guint8           cause;      /* TcpCause once dead or closed */
  guint32          user;       /* the owner's word, in what was padding:
                                * tcp*.c never reads it, tcp_conn_init
                                * zeroes it (a World keeps a NAT entry
                                * hint there, models/world.c) */
};

/* Memory goal (DESIGN.md: a flow in a few hundred bytes): two endpoints per
 * flow, so each must stay small. */
G_STATIC_ASSERT (sizeof (void *) != 8 || sizeof (TcpConn) <= 128);

/* Prepares @c (CLOSED) for the 4-tuple @key (src = local end).  @iss is the
 * initial sequence number (callers draw it from an RNG stream).  @env is
 * borrowed and must outlive @c; every segment @c sends (including
 * retransmissions, probes and RSTs from the timer) comes from env->pool. */
void     tcp_conn_init     (TcpConn *c, const TcpEnv *env, FlowKey key,
                            guint32 iss);
/* Stops the timer and leaves @c CLOSED; no callbacks, no packets (also
 * harmless on a zeroed TcpConn that was never initialized).  Also
 * models a host that loses all TCP state (server restart, S32): the owner
 * then answers the peer's segments with packet_new_rst_reply (S18). */
void     tcp_conn_clear    (TcpConn *c);
/* Active open from CLOSED: sends SYN, SYN_SENT.  The SYN is resent at
 * rto_initial·2^k (1, 3, 7, … s); after syn_retries resends the next expiry
 * fails the connect with on_error (TIMEDOUT, TCP_CAUSE_SYN): 127 s for 6. */
void     tcp_conn_connect  (TcpConn *c);
/* Passive open: @syn arrived for a listening port and no socket exists;
 * answers SYN-ACK, SYN_RECEIVED (resent like a SYN, at most
 * tcp_synack_retries = 5 times, then on_error (TIMEDOUT, TCP_CAUSE_SYN)).
 * on_connected follows the peer's ACK; on_error (that give-up, or an
 * exact RST) may come instead.  Does not take @syn. */
void     tcp_conn_accept   (TcpConn *c, const Packet *syn);
/* Application write of @bytes (> 0): queued and sent as one segment now if
 * nothing else is in flight, else after the ACK (queued before the
 * handshake completes: sent once ESTABLISHED).  On a dead, closed or
 * never-opened socket, or after tcp_conn_close: returns TCP_ERR_PIPE (S7,
 * S17) and sends nothing. */
TcpErr   tcp_conn_send     (TcpConn *c, guint32 bytes);
/* Application close (full close, the socket becomes an orphan): FIN after
 * queued data (FIN_WAIT_1 / LAST_ACK).  Before the handshake completes the
 * connection just goes CLOSED (on_closed).  Otherwise a no-op. */
void     tcp_conn_close    (TcpConn *c);
/* A segment for this connection arrived (transfer full: freed to
 * env->pool, so it must come from that pool).  A CLOSED connection ignores
 * it: answering for "no socket" is the owner's job (packet_new_rst_reply). */
void     tcp_conn_receive  (TcpConn *c, Packet *p);

TcpState tcp_conn_state    (const TcpConn *c);
/* ESTABLISHED or CLOSE_WAIT (the socket still carries data both ways). */
gboolean tcp_conn_is_open  (const TcpConn *c);
/* The outcome cause once dead or closed, else TCP_CAUSE_NONE. */
TcpCause tcp_conn_cause    (const TcpConn *c);
TcpErr   tcp_conn_error    (const TcpConn *c);
/* TRUE when sent data is unacknowledged or unsent data is queued (S9). */
gboolean tcp_conn_busy     (const TcpConn *c);

/* Current RTO before backoff (S12): SRTT + max (4 RTTVAR, rto_min),
 * clamped to rto_max; rto_initial before the first RTT sample (3 s after a
 * retransmitted SYN or SYN-ACK, RFC 6298 §5.7). */
SimTime  tcp_conn_rto      (const TcpConn *c);
/* Smoothed RTT, 0 before the first sample. */
SimTime  tcp_conn_srtt     (const TcpConn *c);
/* S2 idle clock: when this end last accepted a segment from its peer. */
SimTime  tcp_conn_last_rx  (const TcpConn *c);
guint32  tcp_conn_probes_sent (const TcpConn *c);
/* The 4-tuple given to tcp_conn_init, as this end sends (src = local);
 * still readable after the connection is CLOSED or cleared. */
const FlowKey *tcp_conn_key (const TcpConn *c);
/* The owner of its TcpEnv (tcp_env_init; borrowed). */
void    *tcp_conn_owner    (const TcpConn *c);
guint32  tcp_conn_retrans  (const TcpConn *c);

const char *tcp_state_name (TcpState s);
const char *tcp_cause_name (TcpCause c);   /* "keepalive", "rto", "uto", ... */

/* L(N) of S15: retransmission budget for retries2 = N with the fixed
 * 200 ms base and @rto_max. */
SimTime  tcp_retries_budget (guint n, SimTime rto_max);

G_END_DECLS
