/* models/link.c — a point-to-point link: delay, serialization, loss, outages.
 *
 * Each side has its own transmitter.  A packet starts serializing at
 * max(now, next_free[side]) and occupies the transmitter for
 * (LINK_HEADER_BYTES + len) * 8 / rate_bps, rounded up to whole ns, so
 * packets queue FIFO behind earlier ones (no queue limit, no drops from
 * queueing); it arrives at start + tx_time + delay.  Per direction, arrivals
 * are therefore in send order, and equal times keep that order through the
 * engine's (time, seq) rule.
 *
 * Loss is Bernoulli from the link's private copy of its RNG stream.  A draw
 * is made for every packet sent while the link is up, in send order, but
 * only when loss > 0: a lossless link costs nothing and a link whose loss
 * changes from 0 does not shift any other stream (each link has its own).
 * A lost packet still occupies the transmitter (it dies on the wire).
 *
 * Outages: a packet sent while the link is down is dropped at once and does
 * not occupy the transmitter.  Every packet in flight when the link goes
 * down is lost on arrival, even if the link is up again by then; the
 * transmit queues are flushed too, so the transmitters are free at once.
 * This is tracked exactly, not by comparing times: the link counts the
 * times it went down and a packet carries the count at its send, so it is
 * lost iff the count moved during its flight, however many outages that
 * was.
 *
 * The tap sees every packet at send time.  Its dropped flag covers loss and
 * a link that is down at send time; a packet later killed by an outage was
 * reported as not dropped (a capture at the sender would have seen it too).
 * link_dropped() counts all three kinds.
 *
 * A packet in flight is its own delivery record: it carries its Link, the
 * side it goes to and that outage count (packet.h), so a send allocates
 * nothing and an arrival reads no line but the packet's.  Each
 * direction's arrivals go through one SimStream (sim.h): they fire exactly
 * as one-shot events scheduled at send time would, but they wait in send
 * order outside the event queue, which the Sim merges with the first
 * arrival of each direction.  (After an outage the transmitter's queue is
 * flushed, so a new packet can arrive before a lost one still in flight;
 * the stream schedules such a packet on its own.)  The Sim owns the
 * streams and gives back the packets of arrivals that never fire
 * (link_packet_drop).  link_free() has the streams drop the packets still
 * in flight, back to the pool at once.  So Link and Sim may be freed in
 * either order; the PacketPool must outlive both.  A receive callback
 * must not free the Link it is called from.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "sim/sim.h"
#include "sim/rng.h"
#include "models/link.h"

/* IPv4 (20) + TCP (20) header bytes on the wire, no options, no L2. */
#define LINK_HEADER_BYTES 40

typedef struct {
  LinkReceiveFunc  func;
  void            *node;
  LinkPrefetchFunc prefetch;    /* optional hint, see link.h */
} LinkEnd;

struct _Link {
  Sim          *sim;
  PacketPool   *pool;
  char         *name;
  LinkConfig    cfg;
  SimRng        rng;            /* private copy of "link:NAME:loss" */
  gboolean      up;
  SimTime       next_free[2];   /* per sending side: transmitter idle from */
  LinkEnd       end[2];
  LinkTapFunc   tap;
  void         *tap_user;
  SimStream    *arrivals[2];    /* deliveries to each side, in arrival order */
  guint32       downs;          /* times the link went down (outages) */
  guint64       sent;           /* packets offered to link_send */
  guint64       dropped;        /* loss + down at send + outage in flight */
};

static void link_on_deliver (Sim *sim, void *data);
static void link_packet_drop (void *data);
static void link_on_prefetch (void *data, int stage);

Link *
link_new (Sim *sim, PacketPool *pool, const char *name,
          const LinkConfig *cfg, const SimRng *loss_rng)
{
  Link *link;

  g_return_val_if_fail (sim != NULL, NULL);
  g_return_val_if_fail (pool != NULL, NULL);
  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (cfg->delay >= 0, NULL);
  g_return_val_if_fail (cfg->loss >= 0.0 && cfg->loss <= 1.0, NULL);
  g_return_val_if_fail (cfg->loss == 0.0 || loss_rng != NULL, NULL);

  link = g_new0 (Link, 1);
  link->sim = sim;
  link->pool = pool;
  link->name = g_strdup (name != NULL ? name : "");
  link->cfg = *cfg;
  if (loss_rng != NULL)
    link->rng = *loss_rng;
  link->up = TRUE;
  for (int side = 0; side < 2; side++)
    {
      link->arrivals[side] = sim_stream_new (sim, link_on_deliver, link_packet_drop,
                                             link_on_prefetch);
      sim_stream_set_weak (link->arrivals[side], &link->arrivals[side]);
    }
  return link;
}

void
link_free (Link *link)
{
  if (link == NULL)
    return;

  /* Packets in flight go back to the pool now; the streams stay with the
   * Sim, empty (unless the Sim went first, and they with it). */
  for (int side = 0; side < 2; side++)
    if (link->arrivals[side] != NULL)
      {
        sim_stream_drop (link->arrivals[side]);
        sim_stream_set_weak (link->arrivals[side], NULL);
      }
  g_free (link->name);
  g_free (link);
}

void
link_attach (Link *link, LinkSide side, LinkReceiveFunc func, void *node)
{
  g_return_if_fail (link != NULL);
  g_return_if_fail (side == LINK_SIDE_A || side == LINK_SIDE_B);

  link->end[side].func = func;
  link->end[side].node = node;
}

void
link_attach_prefetch (Link *link, LinkSide side, LinkPrefetchFunc func)
{
  g_return_if_fail (link != NULL);
  g_return_if_fail (side == LINK_SIDE_A || side == LINK_SIDE_B);

  link->end[side].prefetch = func;
}

void
link_set_tap (Link *link, LinkTapFunc func, void *user)
{
  g_return_if_fail (link != NULL);

  link->tap = func;
  link->tap_user = user;
}

/* Transmission time of @len payload bytes at @rate_bps, rounded up to the
 * next whole ns so back-to-back packets never overlap. */
static SimTime
link_tx_time (guint64 rate_bps, guint32 len)
{
  guint64 bits = ((guint64) LINK_HEADER_BYTES + len) * 8;
  guint64 scaled;

  if (rate_bps == 0)
    return 0;
  if (g_uint64_checked_mul (&scaled, bits, G_GUINT64_CONSTANT (1000000000)))
    return (SimTime) (scaled / rate_bps + (scaled % rate_bps != 0));
  /* Only for multi-gigabyte "packets"; double is exact enough there. */
  return (SimTime) ceil ((double) bits * 1e9 / (double) rate_bps);
}

static void
link_on_deliver (Sim *sim, void *data)
{
  Packet *p = data;
  Link *link = p->link;
  LinkSide to = p->link_to;
  LinkEnd *end = &link->end[to];

  p->link = NULL;           /* the pool's next_free again: off the link */
  if (p->link_downs != link->downs || end->func == NULL)
    {
      /* An outage during the flight, or nobody attached at this side. */
      link->dropped++;
      packet_free (link->pool, p);
      return;
    }
  end->func (end->node, p, to);
}

/* The engine's hint shortly before a delivery: the receiving node may
 * prefetch what it will read for this packet. */
static void
link_on_prefetch (void *data, int stage)
{
  const Packet *p = data;
  const LinkEnd *end = &p->link->end[p->link_to];

  if (end->prefetch != NULL)
    end->prefetch (end->node, p, stage);
}

/* An arrival that never fires (the Sim freed first, or link_free). */
static void
link_packet_drop (void *data)
{
  Packet *p = data;
  Link *link = p->link;

  p->link = NULL;
  packet_free (link->pool, p);
}

void
link_send (Link *link, LinkSide from, Packet *p)
{
  SimTime now, start, arrival;
  gboolean lost;

  g_return_if_fail (link != NULL);
  g_return_if_fail (from == LINK_SIDE_A || from == LINK_SIDE_B);
  g_return_if_fail (p != NULL);

  link->sent++;
  if (!link->up)
    {
      if (link->tap != NULL)
        link->tap (link->tap_user, link, p, from, TRUE);
      link->dropped++;
      packet_free (link->pool, p);
      return;
    }

  /* Draw only when the link can lose anything (see the file comment). */
  lost = link->cfg.loss > 0.0 && sim_rng_bernoulli (&link->rng, link->cfg.loss);

  now = sim_now (link->sim);
  start = MAX (now, link->next_free[from]);
  link->next_free[from] = start + link_tx_time (link->cfg.rate_bps, p->len);

  if (link->tap != NULL)
    link->tap (link->tap_user, link, p, from, lost);
  if (lost)
    {
      link->dropped++;
      packet_free (link->pool, p);
      return;
    }

  arrival = link->next_free[from] + link->cfg.delay;

  p->link = link;
  p->link_to = from == LINK_SIDE_A ? LINK_SIDE_B : LINK_SIDE_A;
  p->link_downs = link->downs;
  sim_stream_push (link->arrivals[p->link_to], arrival, p);
}

void
link_set_up (Link *link, gboolean up)
{
  g_return_if_fail (link != NULL);

  if (!up && link->up)
    {
      SimTime now = sim_now (link->sim);

      link->downs++;        /* every packet in flight is lost on arrival */
      /* The queues behind the transmitters died with the link. */
      for (int side = 0; side < 2; side++)
        link->next_free[side] = MIN (link->next_free[side], now);
    }
  link->up = up != FALSE;
}

gboolean
link_is_up (const Link *link)
{
  g_return_val_if_fail (link != NULL, FALSE);
  return link->up;
}

const char *
link_name (const Link *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return link->name;
}

const LinkConfig *
link_config (const Link *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  return &link->cfg;
}

guint64
link_sent (const Link *link)
{
  g_return_val_if_fail (link != NULL, 0);
  return link->sent;
}

guint64
link_dropped (const Link *link)
{
  g_return_val_if_fail (link != NULL, 0);
  return link->dropped;
}
