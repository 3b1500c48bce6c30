/* models/tcp.c — TCP endpoint: configuration, the application-facing calls
 * (connect, accept, send, close) and accessors.
 *
 * The model follows RFC 9293 where Linux does and Linux where the RFC leaves
 * room (SEMANTICS.md S1–S18 were measured on Linux 6.18): RFC 6298 RTO with
 * Linux's rto_min on the variance term, RFC 8985 tail-loss probe, RFC 5961
 * RST acceptance, tcp_retries2, TCP_USER_TIMEOUT and keep-alive exactly as
 * tcp_write_timeout() and tcp_keepalive_timer() decide them.  What is left
 * out is listed in tcp.h.  The receive path is in tcp_in.c, segment output
 * and the RTT estimator in tcp_out.c, the one timer in tcp_timer.c.
 */
#include "config.h"

#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "models/defaults.h"
#include "models/ktimer.h"
#include "models/tcp_private.h"

/* sizeof (TcpConn) is checked next to the struct (tcp.h).
 * tcp_on_timer finds the connection from its timer. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (TcpConn, timer) == 0);

void
tcp_config_init_defaults (TcpConfig *cfg)
{
  g_return_if_fail (cfg != NULL);

  cfg->keepalive = TCP_DEFAULT_KEEPALIVE;
  cfg->keepidle = TCP_DEFAULT_KEEPIDLE;
  cfg->keepintvl = TCP_DEFAULT_KEEPINTVL;
  cfg->keepcnt = TCP_DEFAULT_KEEPCNT;
  cfg->user_timeout = TCP_DEFAULT_USER_TIMEOUT;
  cfg->retries2 = TCP_DEFAULT_RETRIES2;
  cfg->syn_retries = TCP_DEFAULT_SYN_RETRIES;
  cfg->rto_min = TCP_DEFAULT_RTO_MIN;
  cfg->rto_max = TCP_DEFAULT_RTO_MAX;
  cfg->rto_initial = TCP_DEFAULT_RTO_INITIAL;
  cfg->time_wait = TCP_DEFAULT_TIME_WAIT;
  cfg->fin_timeout = TCP_DEFAULT_FIN_TIMEOUT;
  cfg->tlp = TRUE;                  /* Linux net.ipv4.tcp_early_retrans = 3 */
}

void
tcp_env_init (TcpEnv *env, Sim *sim, const TcpConfig *cfg, const TcpOps *ops,
              PacketPool *pool, void *owner)
{
  g_return_if_fail (env != NULL && sim != NULL && cfg != NULL && pool != NULL);
  g_return_if_fail (ops != NULL && ops->output != NULL);

  env->cfg = cfg;
  env->ops = ops;
  env->pool = pool;
  env->sim = sim;
  env->owner = owner;
  env->alarm_class = sim_alarm_class (sim, tcp_on_timer);
  env->lane_idle = sim_lane_new (sim);
  env->lane_intvl = sim_lane_new (sim);
  env->lane_rtx = sim_lane_new (sim);
}

void
tcp_conn_init (TcpConn *c, const TcpEnv *env, FlowKey key, guint32 iss)
{
  g_return_if_fail (c != NULL && env != NULL && env->sim != NULL);

  memset (c, 0, sizeof *c);
  sim_alarm_init (&c->timer, env->alarm_class);
  c->env = env;
  c->key = key;
  c->snd_una = c->snd_nxt = iss;
  c->last_rx = sim_now (env->sim);
  c->rtx_due = SIM_TIME_NEVER;
  c->ka_tick = SIM_TIME_NEVER;
  c->state = TCP_CLOSED;
}

void
tcp_conn_clear (TcpConn *c)
{
  g_return_if_fail (c != NULL);

  if (sim_alarm_is_armed (&c->timer))   /* armed => initialized */
    sim_alarm_stop (tcp_sim (c), &c->timer);
  c->rtx_due = SIM_TIME_NEVER;
  c->ka_tick = SIM_TIME_NEVER;
  c->unsent = 0;
  c->state = TCP_CLOSED;
  c->flags &= ~TCP_F_IN_TIMER;
}

void
tcp_conn_connect (TcpConn *c)
{
  g_return_if_fail (c != NULL);
  g_return_if_fail (c->state == TCP_CLOSED && c->err == TCP_ERR_NONE);

  c->state = TCP_SYN_SENT;
  c->syn_tries = 0;
  tcp_send_segment (c, TCP_SYN, c->snd_una, 0, 0);
  c->snd_nxt = c->snd_una + 1;
  /* The SYN/SYN-ACK exchange gives the first RTT sample (S12). */
  c->mark = tcp_now (c);
  c->flags |= TCP_F_TIMING;
  c->rtx_due = tcp_arm (c, c->env->cfg->rto_initial);
  tcp_timer_update (c);
}

void
tcp_conn_accept (TcpConn *c, const Packet *syn)
{
  g_return_if_fail (c != NULL && syn != NULL);
  g_return_if_fail (c->state == TCP_CLOSED && (syn->flags & TCP_SYN));

  c->state = TCP_SYN_RECEIVED;
  c->syn_tries = 0;
  c->rcv_nxt = syn->seq + 1;
  tcp_send_segment (c, TCP_SYN | TCP_ACK, c->snd_una, c->rcv_nxt, 0);
  c->snd_nxt = c->snd_una + 1;
  /* Linux takes the passive side's first sample from SYN-ACK → ACK. */
  c->mark = tcp_now (c);
  c->flags |= TCP_F_TIMING;
  c->rtx_due = tcp_arm (c, c->env->cfg->rto_initial);
  tcp_timer_update (c);
}

TcpErr
tcp_conn_send (TcpConn *c, guint32 bytes)
{
  g_return_val_if_fail (c != NULL, TCP_ERR_PIPE);
  g_return_val_if_fail (bytes > 0, TCP_ERR_NONE);

  switch (c->state)
    {
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
      break;
    default:
      /* S7, S17: a dead socket (or one closed for writing) fails with
       * EPIPE and sends nothing. */
      return TCP_ERR_PIPE;
    }
  if (c->flags & TCP_F_APP_CLOSED)
    return TCP_ERR_PIPE;

  tcp_ka_settle (c);
  c->unsent += bytes;
  tcp_output (c);
  tcp_timer_update (c);         /* busy now, even if nothing could leave */
  return TCP_ERR_NONE;
}

void
tcp_conn_close (TcpConn *c)
{
  g_return_if_fail (c != NULL);

  if (c->flags & TCP_F_APP_CLOSED)
    return;
  tcp_ka_settle (c);
  switch (c->state)
    {
    case TCP_ESTABLISHED:
      c->state = TCP_FIN_WAIT_1;
      break;
    case TCP_CLOSE_WAIT:
      c->state = TCP_LAST_ACK;
      break;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
      /* Linux: closing a connecting socket just drops it, no FIN. */
      c->flags |= TCP_F_APP_CLOSED;
      tcp_finish (c);
      return;
    default:
      return;
    }
  /* RFC 9293 §3.10.4: the state changes now, the FIN waits for the queued
   * data.  An orphan no longer probes (Linux: keep-alive would be
   * suspended anyway while the FIN is in flight, S9). */
  c->flags |= TCP_F_APP_CLOSED;
  c->ka_tick = SIM_TIME_NEVER;
  tcp_output (c);
  tcp_timer_update (c);
}

TcpState
tcp_conn_state (const TcpConn *c)
{
  return (TcpState) c->state;
}

gboolean
tcp_conn_is_open (const TcpConn *c)
{
  return c->state == TCP_ESTABLISHED || c->state == TCP_CLOSE_WAIT;
}

TcpCause
tcp_conn_cause (const TcpConn *c)
{
  return (TcpCause) c->cause;
}

TcpErr
tcp_conn_error (const TcpConn *c)
{
  return (TcpErr) c->err;
}

gboolean
tcp_conn_busy (const TcpConn *c)
{
  return tcp_in_flight (c) || c->unsent > 0;
}

/* §7: the kernel keeps icsk_rto in whole jiffies (usecs_to_jiffies). */
static G_GNUC_NO_INLINE SimTime
tcp_rto_jiffies (guint hz, SimTime rto)
{
  return (SimTime) ktimer_to_jiffies (hz, rto) * ktimer_jiffy (hz);
}

SimTime
tcp_conn_rto (const TcpConn *c)
{
  SimTime rto;

  if (!(c->flags & TCP_F_RTT))
    return (c->flags & TCP_F_SYN_RTX)
           ? MAX (TCP_RTO_FALLBACK, c->env->cfg->rto_initial) : c->env->cfg->rto_initial;
  /* S12: Linux puts rto_min on the variance term, not on the total. */
  rto = c->srtt + MAX (4 * c->rttvar, c->env->cfg->rto_min);
  if (G_UNLIKELY (c->env->cfg->timer_hz > 0))
    rto = tcp_rto_jiffies (c->env->cfg->timer_hz, rto);
  return MIN (rto, c->env->cfg->rto_max);
}

SimTime
tcp_conn_srtt (const TcpConn *c)
{
  return (c->flags & TCP_F_RTT) ? c->srtt : 0;
}

SimTime
tcp_conn_last_rx (const TcpConn *c)
{
  return c->last_rx;
}

const FlowKey *
tcp_conn_key (const TcpConn *c)
{
  return &c->key;
}

void *
tcp_conn_owner (const TcpConn *c)
{
  return tcp_owner (c);
}

guint32
tcp_conn_probes_sent (const TcpConn *c)
{
  return c->probes_sent;
}

guint32
tcp_conn_retrans (const TcpConn *c)
{
  return c->retrans;
}

const char *
tcp_state_name (TcpState s)
{
  static const char *const names[] = {
    "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
    "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
    "TIME_WAIT",
  };

  return (guint) s < G_N_ELEMENTS (names) ? names[s] : "?";
}

const char *
tcp_cause_name (TcpCause c)
{
  static const char *const names[] = {
    "none", "keepalive", "rto", "uto", "syn", "rst", "fin",
  };

  return (guint) c < G_N_ELEMENTS (names) ? names[c] : "?";
}

SimTime
tcp_retries_budget (guint n, SimTime rto_max)
{
  const SimTime base = TCP_RETRIES_BASE;
  guint b = 0;

  /* S15, Linux tcp_model_timeout(): B = floor (log2 (rto_max / 200 ms)),
   * doubling up to B, then rto_max per further retry. */
  while (b < 34 && (base << (b + 1)) <= rto_max)
    b++;
  if (n <= b)
    return base * (((SimTime) 2 << n) - 1);
  return base * (((SimTime) 2 << b) - 1) + (SimTime) (n - b) * rto_max;
}
