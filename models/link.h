/* models/link.h — a point-to-point link with two sides, A and B.
 *
 * Delay, optional bandwidth (serialization: a packet occupies the sender's
 * side for len*8/rate, queued FIFO behind earlier ones, no queue limit),
 * Bernoulli loss from the link's own RNG stream ("link:NAME:loss"), and an
 * up/down switch for outages: a packet sent while the link is down, or that
 * would arrive after it went down, is lost.  Delivery is a fire-and-forget
 * event that owns the packet, so freeing the Sim frees packets in flight.
 */
#pragma once

#include <glib.h>
#include "sim/sim.h"
#include "sim/rng.h"
#include "models/packet.h"

G_BEGIN_DECLS

typedef enum { LINK_SIDE_A = 0, LINK_SIDE_B = 1 } LinkSide;

typedef struct {
  SimTime delay;           /* one-way propagation */
  guint64 rate_bps;        /* 0 = infinite (no serialization delay) */
  double  loss;            /* drop probability per packet, 0..1 */
} LinkConfig;

typedef struct _Link Link;

/* A packet arrives at side @at of the link (transfer full). */
typedef void (*LinkReceiveFunc) (void *node, Packet *p, LinkSide at);
/* Observes every packet put on the link at send time, and whether it will
 * be delivered (for pcap and traces).  Does not own @p. */
typedef void (*LinkTapFunc) (void *user, const Link *link, const Packet *p,
                             LinkSide from, gboolean dropped);

Link       *link_new      (Sim *sim, PacketPool *pool, const char *name,
                           const LinkConfig *cfg, const SimRng *loss_rng);
void        link_free     (Link *link);
void        link_attach   (Link *link, LinkSide side, LinkReceiveFunc func, void *node);
/* Optional: shortly before a packet arrives at side @side, the engine may
 * call @func (node, p, stage) with stage 1, then 2, so the node can
 * prefetch what receiving @p will read (sim_schedule_hinted).  @func must
 * not change anything and may never be called. */
typedef void (*LinkPrefetchFunc) (void *node, const Packet *p, int stage);
void        link_attach_prefetch (Link *link, LinkSide side, LinkPrefetchFunc func);
void        link_set_tap  (Link *link, LinkTapFunc func, void *user);
/* Sends @p from side @from towards the other side (transfer full). */
void        link_send     (Link *link, LinkSide from, Packet *p);
void        link_set_up   (Link *link, gboolean up);
gboolean    link_is_up    (const Link *link);
const char *link_name     (const Link *link);
const LinkConfig *link_config (const Link *link);
guint64     link_sent     (const Link *link);     /* packets offered */
guint64     link_dropped  (const Link *link);     /* lost to loss or outage */

G_END_DECLS
