/* models/tcp_private.h — shared by models/tcp*.c only.
 *
 * tcp.c holds the API, configuration and small accessors; tcp_out.c builds
 * and sends segments and keeps the RTT estimator; tcp_in.c is the receive
 * path; tcp_timer.c is the one timer (retransmission, TLP, keep-alive,
 * TIME_WAIT).  Split along lwIP/Linux lines (STYLE.md §3).
 */
#pragma once

#include "models/tcp.h"

/* Advertised receive window (unscaled; we never scale).  Also the width of
 * the acceptability test and of RST's "in window" (S18). */
#define TCP_WINDOW            65535u
/* RFC 6298 §5.7, Linux TCP_TIMEOUT_FALLBACK: RTO when the handshake was
 * retransmitted and gave no RTT sample. */
#define TCP_RTO_FALLBACK      SIM_S (3)
/* Linux net.ipv4.tcp_synack_retries (a passive open's SYN-ACK resends).
 * Not a scenario key yet; see the lead's note about defaults.h. */
#define TCP_SYNACK_RETRIES    5
/* S13: what Linux adds to 2·SRTT for the PTO when one segment is in flight
 * (TCP_RTO_MIN, a constant there, not the route's rto_min). */
#define TCP_TLP_SLACK         SIM_MS (200)
/* Linux tcp_orphan_retries() with the sysctl at its default 0: a socket the
 * application has closed (FIN in flight) gives up after 8 retries. */
#define TCP_ORPHAN_RETRIES    8

/* TcpConn.flags */
enum {
  TCP_F_RTT        = 1 << 0,  /* srtt/rttvar hold at least one sample */
  TCP_F_TIMING     = 1 << 1,  /* segment in flight is timed: mark = send time */
  TCP_F_R1         = 1 << 2,  /* RTO episode started: mark = R1 */
  TCP_F_TLP        = 1 << 3,  /* rtx_due is the tail-loss probe (S13) */
  TCP_F_FIN_SENT   = 1 << 4,  /* our FIN occupies snd_nxt - 1 */
  TCP_F_APP_CLOSED = 1 << 5,  /* tcp_conn_close was called: an orphan */
  TCP_F_SYN_RTX    = 1 << 6,  /* SYN or SYN-ACK retransmitted (RFC 6298 §5.7) */
  TCP_F_IN_TIMER   = 1 << 7,  /* inside tcp_on_timer: the kernel's timer
                                 wheel clock is one jiffy ahead (§7) */
};

/* The connection's Sim and owner are its env's (tcp.h). */
static inline Sim *
tcp_sim (const TcpConn *c)
{
  return c->env->sim;
}

static inline void *
tcp_owner (const TcpConn *c)
{
  return c->env->owner;
}

static inline SimTime
tcp_now (const TcpConn *c)
{
  return sim_now (tcp_sim (c));
}

/* Something is in flight: SYN, data or FIN (one segment at most). */
static inline gboolean
tcp_in_flight (const TcpConn *c)
{
  return c->snd_una != c->snd_nxt;
}

/* tcp_out.c */
/* Builds a segment of this connection and hands it to ops->output. */
void     tcp_send_segment  (TcpConn *c, guint8 flags, guint32 seq, guint32 ack,
                            guint32 len);
/* ACK with the current seq/ack: also the duplicate ACK (S4) and the
 * challenge ACK (RFC 5961). */
void     tcp_send_ack      (TcpConn *c);
/* If nothing is in flight: sends the queued data, else a pending FIN, as
 * one new segment, and starts its retransmission/TLP timer (S13). */
void     tcp_output        (TcpConn *c);
/* Resends the segment in flight (SYN, SYN-ACK, data or FIN); Karn: the
 * segment is no longer timed. */
void     tcp_retransmit    (TcpConn *c);
/* Feeds one RTT sample @r (>= 0) to the RFC 6298 estimator (S12). */
void     tcp_rtt_sample    (TcpConn *c, SimTime r);
/* min (@base·2^@k, rto_max) without overflow (S14). */
SimTime  tcp_backoff       (const TcpConn *c, SimTime base, guint k);

/* tcp_timer.c */
/* Arms the one timer for min (rtx_due, ka_tick), or stops it; a
 * keep-alive tick that would only re-arm is skipped (tcp_timer.c). */
void     tcp_timer_update  (TcpConn *c);
/* When a timer armed now for @delay fires: now + @delay, or in the
 * kernel-timer mode the wheel's bucket for @delay in whole jiffies
 * (SEMANTICS.md §7, tcp_arm_kernel).  Every rtx_due and ka_tick is set
 * through it. */
SimTime  tcp_arm_kernel    (const TcpConn *c, SimTime delay);
static inline SimTime
tcp_arm (const TcpConn *c, SimTime delay)
{
  if (G_LIKELY (c->env->cfg->timer_hz == 0))
    return tcp_now (c) + delay;
  return tcp_arm_kernel (c, delay);
}
/* Runs a skipped keep-alive tick that is due by now; every entry point
 * calls it before it changes anything. */
void     tcp_ka_settle     (TcpConn *c);
void     tcp_on_timer      (Sim *sim, SimAlarm *alarm);
/* ESTABLISHED from a handshake: starts the S2 clock and keep-alive. */
void     tcp_enter_established (TcpConn *c);
/* The connection dies: optional RST (S7), CLOSED, on_error (unless an
 * orphan), on_closed.  @c may be freed on return. */
void     tcp_die           (TcpConn *c, TcpErr err, TcpCause cause,
                            gboolean send_rst, const Packet *rst);
/* Orderly end (TIME_WAIT, LAST_ACK, FIN_WAIT_2 timeout, early close):
 * CLOSED and on_closed.  @c may be freed on return. */
void     tcp_finish        (TcpConn *c);
