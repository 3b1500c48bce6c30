/* models/tcp_timer.c — the one timer of a connection.
 *
 * Two deadlines share one SimTimer, armed for the earlier:
 *  - rtx_due: SYN / SYN-ACK retransmission, the tail-loss probe (S13), the
 *    RTO with backoff (S14) and the retries2 / user-timeout aborts (S15,
 *    S16); reused for the end of TIME_WAIT and of an orphan's FIN_WAIT_2,
 *    when nothing can be in flight.
 *  - ka_tick: the keep-alive timer with Linux tcp_keepalive_timer()
 *    semantics (S3–S9).  The receive path only stamps last_rx; when the
 *    tick finds traffic since it was armed it re-arms for the remainder, so
 *    the observable probe times equal SEMANTICS.md's formulas while the
 *    packet path never touches the timer.
 * A tick that would only re-arm for the remainder costs an event and
 * changes nothing anyone sees (in an idle flow kept alive every keepidle,
 * the tick keepintvl after each answered probe: one event in six).  So
 * tcp_timer_update () arms the alarm for the tick after it, and ka_tick
 * keeps the time Linux's sk_timer would hold.  Everything that tick reads
 * (state, flags, what is in flight, last_rx) changes only inside an entry
 * point (receive, send, close, the timer), and each entry point first
 * settles a tick that fell due meanwhile (tcp_ka_settle), with the inputs
 * the tick would have seen.  A tick due at the same nanosecond as an entry
 * point counts as having run first.
 * Keep-alive is suspended while anything is in flight or queued (S9), so
 * the two never race: a tick that finds the connection busy just re-arms
 * keepidle later, as Linux does.
 *
 * Kernel-timer mode (timer_hz > 0, SEMANTICS.md §7): every expiry goes
 * through the jiffy timer wheel of models/ktimer.h (tcp_arm), and the
 * keep-alive tick measures idle time as Linux does, in whole jiffies
 * (tcp_jiffies32 - lrcvtime against keepidle·HZ).  A tick that re-arms
 * for the remainder then lands on a bucket that depends on when it ran,
 * which tcp_ka_next computes from the skipped tick's own time.
 */
#include "config.h"

#include <glib.h>

#include "sim/sim.h"
#include "models/ktimer.h"
#include "models/tcp_private.h"

SimTime
tcp_arm_kernel (const TcpConn *c, SimTime delay)
{
  guint hz = c->env->cfg->timer_hz;

  return ktimer_fire_time (hz, tcp_now (c), ktimer_to_jiffies (hz, delay),
                           (c->flags & TCP_F_IN_TIMER) != 0);
}

static G_GNUC_NO_INLINE gboolean
tcp_idle_below_kernel (const TcpConn *c, SimTime t, SimTime limit)
{
  guint hz = c->env->cfg->timer_hz;

  return ktimer_jiffies (hz, t) - ktimer_jiffies (hz, c->last_rx)
         < ktimer_to_jiffies (hz, limit);
}

/* TRUE if at @t less than @limit has passed since last_rx: in ns, or in
 * whole jiffies in kernel-timer mode (keepalive_time_elapsed ()). */
static inline gboolean
tcp_idle_below (const TcpConn *c, SimTime t, SimTime limit)
{
  if (G_LIKELY (c->env->cfg->timer_hz == 0))
    return t - c->last_rx < limit;
  return tcp_idle_below_kernel (c, t, limit);
}

static G_GNUC_NO_INLINE SimTime
tcp_ka_next_kernel (const TcpConn *c, SimTime t)
{
  guint hz = c->env->cfg->timer_hz;

  return ktimer_fire_time (hz, t, ktimer_to_jiffies (hz, c->env->cfg->keepidle)
                                  - (ktimer_jiffies (hz, t) - ktimer_jiffies (hz, c->last_rx)),
                           TRUE);
}

/* The tick after a keep-alive tick at @t that found traffic since it was
 * armed and re-armed for the rest of keepidle (S3): last_rx + keepidle,
 * or, in kernel-timer mode, the bucket of that remainder in jiffies,
 * armed from the tick's own callback. */
static inline SimTime
tcp_ka_next (const TcpConn *c, SimTime t)
{
  if (G_LIKELY (c->env->cfg->timer_hz == 0))
    return c->last_rx + c->env->cfg->keepidle;
  return tcp_ka_next_kernel (c, t);
}

/* TRUE if a keep-alive tick at ka_tick, seeing the connection as it is
 * now, would only re-arm for the remainder (S3): the branch of
 * tcp_on_keepalive () that ends in ka_tick = last_rx + keepidle. */
static inline gboolean
tcp_ka_rearms_only (const TcpConn *c)
{
  const TcpConfig *cfg = c->env->cfg;

  return cfg->keepalive && !(c->flags & TCP_F_APP_CLOSED)
         && (c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT)
         && !tcp_conn_busy (c)
         && tcp_idle_below (c, c->ka_tick, cfg->keepidle);
}

void
tcp_ka_settle (TcpConn *c)
{
  if (c->ka_tick <= tcp_now (c) && tcp_ka_rearms_only (c))
    c->ka_tick = tcp_ka_next (c, c->ka_tick);
}

void
tcp_timer_update (TcpConn *c)
{
  SimTime ka = c->ka_tick;

  /* A tick that would only re-arm is not scheduled: the alarm goes
   * straight to the tick after it.  Nothing that tick reads can change
   * before some entry point runs, and each settles it first. */
  if (ka != SIM_TIME_NEVER && tcp_ka_rearms_only (c))
    ka = tcp_ka_next (c, ka);

  SimTime when = MIN (c->rtx_due, ka);

  if (when == SIM_TIME_NEVER)
    sim_alarm_stop (tcp_sim (c), &c->timer);
  else if (sim_alarm_when (&c->timer) != when)
    {
      /* The lane whose alarms are armed the same delay ahead (a hint:
       * the Sim keeps the order exact either way). */
      const TcpEnv *env = c->env;
      SimTime ahead = when - tcp_now (c);
      SimLane *lane = when == c->rtx_due ? env->lane_rtx
                    : ahead == env->cfg->keepidle ? env->lane_idle
                    : ahead == env->cfg->keepintvl ? env->lane_intvl : NULL;
      sim_alarm_start_in (tcp_sim (c), &c->timer, when, lane);
    }
}

void
tcp_enter_established (TcpConn *c)
{
  SimTime now = tcp_now (c);

  c->state = TCP_ESTABLISHED;
  /* The segment that completed the handshake starts the S2 clock. */
  c->last_rx = now;
  c->probes_out = 0;
  c->backoff = 0;
  c->flags &= ~(TCP_F_TIMING | TCP_F_TLP | TCP_F_R1);
  c->rtx_due = SIM_TIME_NEVER;
  /* Linux arms the keep-alive timer keepidle after establishment
   * (tcp_finish_connect, tcp_create_openreq_child). */
  c->ka_tick = c->env->cfg->keepalive ? tcp_arm (c, c->env->cfg->keepidle) : SIM_TIME_NEVER;
}

void
tcp_finish (TcpConn *c)
{
  tcp_conn_clear (c);
  if (c->env->ops->on_closed)
    c->env->ops->on_closed (tcp_owner (c), c);
}

void
tcp_die (TcpConn *c, TcpErr err, TcpCause cause, gboolean send_rst,
         const Packet *rst)
{
  if (send_rst)
    tcp_send_segment (c, TCP_RST | TCP_ACK, c->snd_nxt, c->rcv_nxt, 0);
  c->err = err;
  c->cause = cause;
  tcp_conn_clear (c);
  /* Linux reports to an orphan's owner nobody: the application closed. */
  if (!(c->flags & TCP_F_APP_CLOSED) && c->env->ops->on_error)
    c->env->ops->on_error (tcp_owner (c), c, err, cause, rst);
  if (c->env->ops->on_closed)
    c->env->ops->on_closed (tcp_owner (c), c);
}

/* SYN or SYN-ACK expiry.  Linux counts resends here (tcp_write_timeout:
 * icsk_retransmits >= syn_retries), so with ideal timers connect() fails at
 * rto_initial·(2^(syn_retries+1) − 1): 127 s for 6.  TRUE if @c died. */
static gboolean
tcp_on_syn_timeout (TcpConn *c)
{
  guint limit = c->state == TCP_SYN_SENT ? c->env->cfg->syn_retries
                                         : TCP_SYNACK_RETRIES;

  if (c->syn_tries >= limit)
    {
      tcp_die (c, TCP_ERR_TIMEDOUT, TCP_CAUSE_SYN, FALSE, NULL);
      return TRUE;
    }
  c->syn_tries++;
  c->flags |= TCP_F_SYN_RTX;
  tcp_retransmit (c);
  c->rtx_due = tcp_arm (c, tcp_backoff (c, c->env->cfg->rto_initial, c->syn_tries));
  return FALSE;
}

/* Data or FIN unacknowledged at rtx_due.  TRUE if @c died. */
static gboolean
tcp_on_rto (TcpConn *c)
{
  const TcpConfig *cfg = c->env->cfg;
  SimTime now = tcp_now (c);
  SimTime next;

  if (c->flags & TCP_F_TLP)
    {
      /* S13: one tail-loss probe, then the RTO timer restarts from it, so
       * R1 = t_TLP + RTO. */
      c->flags &= ~TCP_F_TLP;
      tcp_retransmit (c);
      c->rtx_due = tcp_arm (c, tcp_conn_rto (c));
      return FALSE;
    }

  if (!(c->flags & TCP_F_R1))
    {
      /* S15: the budget is measured from R1, not from the original send
       * nor from the TLP. */
      c->flags |= TCP_F_R1;
      c->mark = now;
    }
  else if (cfg->user_timeout > 0)
    {
      /* S16: UTO replaces retries2; the timer was shortened to fire at
       * exactly R1 + UTO. */
      if (now - c->mark >= cfg->user_timeout)
        {
          tcp_die (c, TCP_ERR_TIMEDOUT, TCP_CAUSE_UTO, FALSE, NULL);
          return TRUE;
        }
    }
  else
    {
      /* S15: L(N) is a time with a fixed 200 ms base, so the abort is the
       * first expiry at or past R1 + L(N) (the boundary trap).  An orphan
       * uses tcp_orphan_retries instead.  S17: no RST. */
      guint n = (c->flags & TCP_F_APP_CLOSED) ? TCP_ORPHAN_RETRIES
                                              : cfg->retries2;

      if (now - c->mark >= tcp_retries_budget (n, cfg->rto_max))
        {
          tcp_die (c, TCP_ERR_TIMEDOUT, TCP_CAUSE_RTO, FALSE, NULL);
          return TRUE;
        }
    }

  tcp_retransmit (c);
  if (c->backoff < G_MAXUINT8)
    c->backoff++;
  /* S14: R(k+1) − R(k) = min (RTO·2^k, rto_max). */
  next = tcp_backoff (c, tcp_conn_rto (c), c->backoff);
  if (cfg->user_timeout > 0)
    next = MIN (next, c->mark + cfg->user_timeout - now);
  c->rtx_due = tcp_arm (c, next);
  return FALSE;
}

static gboolean
tcp_on_rtx (TcpConn *c)
{
  switch (c->state)
    {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
      return tcp_on_syn_timeout (c);
    case TCP_TIME_WAIT:
    case TCP_FIN_WAIT_2:
      /* 2·MSL over, or an orphan's tcp_fin_timeout: Linux lets both go
       * silently. */
      tcp_finish (c);
      return TRUE;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
      return tcp_in_flight (c) ? tcp_on_rto (c) : FALSE;
    default:
      return FALSE;
    }
}

/* The keep-alive tick (Linux tcp_keepalive_timer).  TRUE if @c died. */
static gboolean
tcp_on_keepalive (TcpConn *c)
{
  const TcpConfig *cfg = c->env->cfg;
  SimTime now = tcp_now (c);
  gboolean give_up;

  if (!cfg->keepalive || (c->flags & TCP_F_APP_CLOSED)
      || (c->state != TCP_ESTABLISHED && c->state != TCP_CLOSE_WAIT))
    return FALSE;

  if (tcp_conn_busy (c))
    {
      /* S9: the retransmission rules alone decide; look again later. */
      c->ka_tick = tcp_arm (c, cfg->keepidle);
      return FALSE;
    }

  if (tcp_idle_below (c, now, cfg->keepidle))
    {
      /* S3: traffic since arming; re-arm for the remainder. */
      c->ka_tick = tcp_ka_next (c, now);
      return FALSE;
    }

  /* S6: keepcnt unanswered probes; S8: with UTO only the elapsed time at a
   * tick counts, and only once a probe is unanswered. */
  if (cfg->user_timeout > 0)
    give_up = !tcp_idle_below (c, now, cfg->user_timeout) && c->probes_out > 0;
  else
    give_up = c->probes_out >= cfg->keepcnt;
  if (give_up)
    {
      /* S7: one RST (seq = snd_nxt) towards the peer, ETIMEDOUT. */
      tcp_die (c, TCP_ERR_TIMEDOUT, TCP_CAUSE_KEEPALIVE, TRUE, NULL);
      return TRUE;
    }

  /* S4: a bare ACK one below snd_una, so the peer must answer with a
   * duplicate ACK; Linux never sends the one-byte form. */
  tcp_send_segment (c, TCP_ACK, c->snd_una - 1, c->rcv_nxt, 0);
  if (c->probes_out < G_MAXUINT8)
    c->probes_out++;
  c->probes_sent++;
  c->ka_tick = tcp_arm (c, cfg->keepintvl);
  return FALSE;
}

void
tcp_on_timer (Sim *sim, SimAlarm *alarm)
{
  TcpConn *c = (TcpConn *) alarm;   /* the first field */
  SimTime now = tcp_now (c);

  tcp_ka_settle (c);

  /* Cleared again below, or by tcp_conn_clear when @c dies. */
  c->flags |= TCP_F_IN_TIMER;
  if (c->rtx_due <= now)
    {
      c->rtx_due = SIM_TIME_NEVER;
      if (tcp_on_rtx (c))
        return;                 /* CLOSED; @c may be freed */
    }
  if (c->ka_tick <= now)
    {
      c->ka_tick = SIM_TIME_NEVER;
      if (tcp_on_keepalive (c))
        return;
    }
  c->flags &= ~TCP_F_IN_TIMER;
  tcp_timer_update (c);
}
