/* models/tcp_out.c — segment output and the RTT estimator.
 *
 * At most one segment (SYN, data or FIN) is in flight: the next one leaves
 * when the previous one is acknowledged, and everything the application
 * queued meanwhile goes out as one segment.  That is enough for the
 * questions natkeep asks (when does an idle or stuck connection die, who
 * learns), and it makes the Linux timer rules exact and simple: the PTO is
 * the one-segment case of S13, and S14's backoff always resends the one
 * segment at snd_una.  RTO per RFC 6298 with Linux's variance-term rto_min
 * (S12); Karn's rule, since there are no TCP timestamps.
 */
#include "config.h"

#include <glib.h>

#include "sim/sim.h"
#include "models/tcp_private.h"

void
tcp_send_segment (TcpConn *c, guint8 flags, guint32 seq, guint32 ack,
                  guint32 len)
{
  Packet *p = packet_new (c->env->pool);

  p->key = c->key;
  p->seq = seq;
  p->ack = ack;
  p->len = len;
  p->flags = flags;
  p->window = (flags & TCP_RST) ? 0 : TCP_WINDOW;
  p->origin = PACKET_ORIGIN_HOST;
  c->env->ops->output (tcp_owner (c), c, p);
}

void
tcp_send_ack (TcpConn *c)
{
  tcp_send_segment (c, TCP_ACK, c->snd_nxt, c->rcv_nxt, 0);
}

void
tcp_output (TcpConn *c)
{
  SimTime now, rto;

  if (tcp_in_flight (c))
    return;
  switch (c->state)
    {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_LAST_ACK:
      break;
    default:
      return;
    }

  if (c->unsent > 0)
    {
      guint32 len = c->unsent;

      c->unsent = 0;
      tcp_send_segment (c, TCP_ACK | TCP_PSH, c->snd_nxt, c->rcv_nxt, len);
      c->snd_nxt += len;
    }
  else if ((c->flags & TCP_F_APP_CLOSED) && !(c->flags & TCP_F_FIN_SENT)
           && (c->state == TCP_FIN_WAIT_1 || c->state == TCP_LAST_ACK))
    {
      tcp_send_segment (c, TCP_FIN | TCP_ACK, c->snd_nxt, c->rcv_nxt, 0);
      c->snd_nxt += 1;
      c->flags |= TCP_F_FIN_SENT;
    }
  else
    return;

  /* A new segment opens a new loss episode: it is timed (RTT sample on its
   * ACK), backoff and R1 start afresh. */
  now = tcp_now (c);
  rto = tcp_conn_rto (c);
  c->mark = now;
  c->flags |= TCP_F_TIMING;
  c->flags &= ~(TCP_F_R1 | TCP_F_TLP);
  c->backoff = 0;
  if (c->env->cfg->tlp)
    {
      /* S13: PTO = 2·SRTT + 200 ms with one segment in flight (1 s
       * without a sample, as Linux), never later than the RTO. */
      SimTime pto = (c->flags & TCP_F_RTT)
                    ? 2 * c->srtt + TCP_TLP_SLACK : c->env->cfg->rto_initial;

      c->rtx_due = tcp_arm (c, MIN (pto, rto));
      c->flags |= TCP_F_TLP;
    }
  else
    c->rtx_due = tcp_arm (c, rto);
  tcp_timer_update (c);
}

void
tcp_retransmit (TcpConn *c)
{
  switch (c->state)
    {
    case TCP_SYN_SENT:
      tcp_send_segment (c, TCP_SYN, c->snd_una, 0, 0);
      break;
    case TCP_SYN_RECEIVED:
      tcp_send_segment (c, TCP_SYN | TCP_ACK, c->snd_una, c->rcv_nxt, 0);
      break;
    default:
      if (!tcp_in_flight (c))
        return;
      /* The FIN always travels alone (tcp_output), so when it has been
       * sent it is the segment in flight. */
      if (c->flags & TCP_F_FIN_SENT)
        tcp_send_segment (c, TCP_FIN | TCP_ACK, c->snd_una, c->rcv_nxt, 0);
      else
        tcp_send_segment (c, TCP_ACK | TCP_PSH, c->snd_una, c->rcv_nxt,
                          c->snd_nxt - c->snd_una);
      break;
    }
  c->retrans++;
  /* Karn: an ACK can no longer tell which copy it answers. */
  c->flags &= ~TCP_F_TIMING;
}

void
tcp_rtt_sample (TcpConn *c, SimTime r)
{
  if (!(c->flags & TCP_F_RTT))
    {
      /* RFC 6298 §2.2 */
      c->srtt = r;
      c->rttvar = r / 2;
      c->flags |= TCP_F_RTT;
    }
  else
    {
      /* RFC 6298 §2.3, RTTVAR first (it uses the old SRTT); one integer
       * division each, so no rounding error accumulates in two steps. */
      SimTime delta = c->srtt > r ? c->srtt - r : r - c->srtt;

      c->rttvar = (3 * c->rttvar + delta) / 4;
      c->srtt = (7 * c->srtt + r) / 8;
    }
}

SimTime
tcp_backoff (const TcpConn *c, SimTime base, guint k)
{
  SimTime max = c->env->cfg->rto_max;
  SimTime iv = base;

  for (guint i = 0; i < k && iv < max; i++)
    iv = iv <= max / 2 ? iv * 2 : max;
  return MIN (iv, max);
}
