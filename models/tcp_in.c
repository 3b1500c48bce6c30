/* models/tcp_in.c — the receive path.
 *
 * Order of checks as in RFC 9293 §3.10.7.4 and Linux
 * tcp_validate_incoming(): sequence acceptability, RST (RFC 5961 §3
 * exact match, else a challenge ACK), SYN (challenge ACK, RFC 5961 §4),
 * the ACK field, then payload and FIN.  The acceptability test is Linux's
 * tcp_sequence(): the segment must end at or after rcv_nxt and start
 * within the window.  A keep-alive probe (seq = rcv_nxt − 1, no payload)
 * fails it, so it draws a duplicate ACK and nothing else (S4, S10); a
 * retransmission of the last segment received (ending exactly at rcv_nxt)
 * passes, so its ACK field counts for S2 as in Linux, and its payload draws
 * a duplicate ACK.  No out-of-order queue: a segment beyond rcv_nxt is
 * answered with a duplicate ACK and dropped.  Every in-order segment is
 * ACKed at once (no delayed ACK, S21).
 *
 * The only state the receive path touches for keep-alive is last_rx and
 * the unanswered-probe count (S2, S5); the timer re-arms itself lazily.
 */
#include "config.h"

#include <glib.h>

#include "sim/sim.h"
#include "models/tcp_private.h"

typedef enum {
  TCP_ACKED_NOTHING = 0,    /* only a FIN, or nothing new */
  TCP_ACKED_DATA,           /* payload acknowledged */
  TCP_ACKED_CLOSED,         /* LAST_ACK done: @c is gone */
} TcpAcked;

/* SYN_SENT (RFC 9293 §3.10.7.3).  A RST is acceptable only if it ACKs our
 * SYN (S18); simultaneous open is not modelled. */
static void
tcp_in_syn_sent (TcpConn *c, const Packet *p)
{
  if ((p->flags & TCP_ACK) && p->ack != c->snd_nxt)
    {
      if (!(p->flags & TCP_RST))
        tcp_send_segment (c, TCP_RST, p->ack, 0, 0);
      return;
    }
  if (p->flags & TCP_RST)
    {
      if (p->flags & TCP_ACK)
        tcp_die (c, TCP_ERR_RESET, TCP_CAUSE_RST, FALSE, p);
      return;
    }
  if (!(p->flags & TCP_SYN) || !(p->flags & TCP_ACK))
    return;

  c->rcv_nxt = p->seq + 1;
  c->snd_una = p->ack;
  if (c->flags & TCP_F_TIMING)
    tcp_rtt_sample (c, tcp_now (c) - c->mark);
  tcp_enter_established (c);
  tcp_send_ack (c);
  tcp_timer_update (c);
  if (c->env->ops->on_connected)
    c->env->ops->on_connected (tcp_owner (c), c);
  tcp_output (c);               /* data queued while connecting */
}

/* TIME_WAIT: only a retransmitted FIN matters (our last ACK was lost);
 * Linux lets an exact RST kill the socket (tcp_rfc1337 = 0). */
static void
tcp_in_time_wait (TcpConn *c, const Packet *p)
{
  guint32 end = p->seq + packet_seq_len (p);

  if (p->flags & TCP_RST)
    {
      if (p->seq == c->rcv_nxt)
        tcp_finish (c);
      return;
    }
  if ((p->flags & TCP_FIN) && end == c->rcv_nxt)
    {
      c->rtx_due = tcp_arm (c, c->env->cfg->time_wait);
      tcp_send_ack (c);
      tcp_timer_update (c);
      return;
    }
  if (packet_seq_len (p) > 0)
    tcp_send_ack (c);
}

/* New data acknowledged: one loss episode is over.  Moves the closing
 * states on when our FIN is covered. */
static TcpAcked
tcp_ack_advance (TcpConn *c, guint32 ack)
{
  SimTime now = tcp_now (c);
  gboolean fin_acked = (c->flags & TCP_F_FIN_SENT) && ack == c->snd_nxt;
  gboolean data = ack - c->snd_una > (fin_acked ? 1u : 0u);

  /* Karn: only a segment that was never resent gives a sample. */
  if ((c->flags & TCP_F_TIMING) && ack == c->snd_nxt)
    tcp_rtt_sample (c, now - c->mark);
  c->snd_una = ack;
  c->flags &= ~(TCP_F_TIMING | TCP_F_TLP | TCP_F_R1);
  c->backoff = 0;
  c->rtx_due = tcp_in_flight (c) ? tcp_arm (c, tcp_conn_rto (c)) : SIM_TIME_NEVER;

  if (fin_acked)
    switch (c->state)
      {
      case TCP_FIN_WAIT_1:
        /* An orphan waits tcp_fin_timeout for the peer's FIN. */
        c->state = TCP_FIN_WAIT_2;
        c->rtx_due = tcp_arm (c, c->env->cfg->fin_timeout);
        break;
      case TCP_CLOSING:
        c->state = TCP_TIME_WAIT;
        c->rtx_due = tcp_arm (c, c->env->cfg->time_wait);
        break;
      case TCP_LAST_ACK:
        tcp_finish (c);
        return TCP_ACKED_CLOSED;
      default:
        break;
      }
  tcp_output (c);
  tcp_timer_update (c);
  return data ? TCP_ACKED_DATA : TCP_ACKED_NOTHING;
}

/* Payload and FIN of an acceptable segment, then the application
 * callbacks.  @acked_data: the ACK field just covered our last data. */
static void
tcp_in_data (TcpConn *c, const Packet *p, gboolean acked_data)
{
  gboolean fin = (p->flags & TCP_FIN) != 0;
  guint32 end = p->seq + p->len + (fin ? 1 : 0);
  guint32 delivered = 0;
  gboolean eof = FALSE;

  if (p->len == 0 && !fin)
    goto notify;                /* pure ACK: nothing to acknowledge */
  if (seq_gt (p->seq, c->rcv_nxt) || seq_leq (end, c->rcv_nxt))
    {
      /* A gap (no out-of-order queue) or an old duplicate. */
      tcp_send_ack (c);
      goto notify;
    }

  if (p->len > c->rcv_nxt - p->seq)
    {
      guint32 fresh = p->len - (c->rcv_nxt - p->seq);

      if (c->flags & TCP_F_APP_CLOSED)
        {
          /* RFC 1122 §4.2.2.13, Linux TCPAbortOnData: nobody will read
           * it, so the stack resets (the RST answers this segment) and
           * the orphan goes. */
          Packet *rst = packet_new_rst_reply (c->env->pool, p);

          if (rst != NULL)
            c->env->ops->output (tcp_owner (c), c, rst);
          tcp_finish (c);
          return;
        }
      if (c->state != TCP_ESTABLISHED)
        {
          tcp_send_ack (c);     /* data after the peer's FIN: ignore */
          goto notify;
        }
      c->rcv_nxt += fresh;
      delivered = fresh;
      c->last_rx = tcp_now (c);  /* S2: in-window data arrival */
    }

  if (fin)
    {
      c->rcv_nxt += 1;
      c->last_rx = tcp_now (c);
      switch (c->state)
        {
        case TCP_ESTABLISHED:
          c->state = TCP_CLOSE_WAIT;
          c->cause = TCP_CAUSE_FIN;
          eof = TRUE;
          break;
        case TCP_FIN_WAIT_1:
          /* Our FIN is not acknowledged yet (else FIN_WAIT_2 by now). */
          c->state = TCP_CLOSING;
          break;
        case TCP_FIN_WAIT_2:
          c->state = TCP_TIME_WAIT;
          c->rtx_due = tcp_arm (c, c->env->cfg->time_wait);
          c->ka_tick = SIM_TIME_NEVER;
          break;
        default:
          break;
        }
    }
  tcp_send_ack (c);

notify:
  /* After every change this segment made (last_rx above all): the
   * keep-alive prediction in tcp_timer_update () reads them. */
  tcp_timer_update (c);
  if (acked_data && !tcp_conn_busy (c) && c->env->ops->on_acked)
    c->env->ops->on_acked (tcp_owner (c), c);
  if (delivered > 0 && c->env->ops->on_recv)
    c->env->ops->on_recv (tcp_owner (c), c, delivered);
  if (eof && c->env->ops->on_eof)
    c->env->ops->on_eof (tcp_owner (c), c);
}

/* SYN_RECEIVED and every state with both sequence spaces known, except
 * TIME_WAIT. */
static void
tcp_in_synchronized (TcpConn *c, const Packet *p)
{
  guint32 end = p->seq + packet_seq_len (p);
  gboolean acked_data = FALSE;

  if (seq_lt (end, c->rcv_nxt) || seq_gt (p->seq, c->rcv_nxt + TCP_WINDOW))
    {
      /* Not acceptable: duplicate ACK, nothing else — in particular no
       * ACK processing, so the peer's probe leaves last_rx alone (S10).
       * A RST is dropped silently, except that Linux (tcp_reset_check)
       * takes one at rcv_nxt − 1 once the peer's FIN is in: the RST that
       * follows a FIN, or answers data sent before the FIN arrived. */
      if (!(p->flags & TCP_RST))
        tcp_send_ack (c);
      else if (p->seq == c->rcv_nxt - 1
               && (c->state == TCP_CLOSE_WAIT || c->state == TCP_LAST_ACK
                   || c->state == TCP_CLOSING))
        tcp_die (c, TCP_ERR_RESET, TCP_CAUSE_RST, FALSE, p);
      return;
    }

  if (p->flags & TCP_RST)
    {
      /* S18, RFC 5961 §3: exact match resets at once, even while idle.
       * In the window but inexact: challenge ACK only. */
      if (p->seq == c->rcv_nxt)
        tcp_die (c, TCP_ERR_RESET, TCP_CAUSE_RST, FALSE, p);
      else
        tcp_send_ack (c);
      return;
    }

  if (p->flags & TCP_SYN)
    {
      if (c->state == TCP_SYN_RECEIVED && p->seq == c->rcv_nxt - 1
          && !(p->flags & TCP_ACK))
        {
          /* The peer resent its SYN: our SYN-ACK was lost. */
          c->flags |= TCP_F_SYN_RTX;
          tcp_retransmit (c);
        }
      else
        tcp_send_ack (c);       /* RFC 5961 §4 challenge ACK */
      return;
    }
  if (!(p->flags & TCP_ACK))
    return;

  if (c->state == TCP_SYN_RECEIVED)
    {
      if (!seq_gt (p->ack, c->snd_una) || seq_gt (p->ack, c->snd_nxt))
        {
          tcp_send_segment (c, TCP_RST, p->ack, 0, 0);
          return;
        }
      c->snd_una = p->ack;
      if (c->flags & TCP_F_TIMING)
        tcp_rtt_sample (c, tcp_now (c) - c->mark);
      tcp_enter_established (c);
      tcp_timer_update (c);
      if (c->env->ops->on_connected)
        c->env->ops->on_connected (tcp_owner (c), c);
      tcp_output (c);
    }
  else
    {
      if (seq_gt (p->ack, c->snd_nxt))
        {
          /* Acknowledges data never sent: Linux drops it, silently in
           * ESTABLISHED (tcp_rcv_established), with a challenge ACK in the
           * other states (tcp_rcv_state_process). */
          if (c->state != TCP_ESTABLISHED)
            tcp_send_ack (c);
          return;
        }
      if (seq_geq (p->ack, c->snd_una))
        {
          /* S2: an acceptable ACK, a duplicate included, restarts the idle
           * clock; S5: it answers the probes. */
          c->last_rx = tcp_now (c);
          c->probes_out = 0;
          if (seq_gt (p->ack, c->snd_una))
            switch (tcp_ack_advance (c, p->ack))
              {
              case TCP_ACKED_CLOSED:
                return;
              case TCP_ACKED_DATA:
                acked_data = TRUE;
                break;
              case TCP_ACKED_NOTHING:
                break;
              }
        }
      /* else: an old ACK; its payload may still be new. */
    }

  tcp_in_data (c, p, acked_data);
}

void
tcp_conn_receive (TcpConn *c, Packet *p)
{
  PacketPool *pool;

  g_return_if_fail (c != NULL && p != NULL);

  /* Read now: on_closed may free @c, never its env (tcp.h). */
  pool = c->env->pool;
  tcp_ka_settle (c);
  switch (c->state)
    {
    case TCP_CLOSED:
    case TCP_LISTEN:
      break;
    case TCP_SYN_SENT:
      tcp_in_syn_sent (c, p);
      break;
    case TCP_TIME_WAIT:
      tcp_in_time_wait (c, p);
      break;
    default:
      tcp_in_synchronized (c, p);
      break;
    }
  /* @c may be gone here (on_closed); @p is ours to free either way. */
  packet_free (pool, p);
}
