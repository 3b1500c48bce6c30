/* sim/lane.c — lanes of alarms armed in firing order (sim_lane_*).
 *
 * Many alarms are armed a fixed delay ahead: a keep-alive timer keepidle
 * after the segment just received, a retransmission timer one RTO after a
 * send that every flow of a path computes alike.  Their due times then
 * come in the order they are armed, and a lane keeps them as just that:
 * a ring of event pointers in append order, which is (when, seq) order.
 * Arming appends at the tail, which was written a moment ago; firing
 * takes the head; a stop leaves NULL in the slot (the event knows its
 * slot), dropped when the head reaches it.  The queue never sees these
 * alarms, so they are not bucketed, sorted or moved between levels, and
 * a stop touches one slot instead of a bucket header and a slot.
 *
 * The Sim merges lanes with streams and the queue by the (when, seq) of
 * their first events (sim.c).  An alarm due before the lane's last is
 * refused (sim_lane_append returns FALSE) and goes to the queue, so the
 * order is exact whatever the owner's hint.
 *
 * Hints: each slot's event is fetched once it is within eight slots of
 * the head (its when and seq become the lane's key soon), and its owner's
 * other lines within four (an alarm is embedded first in its owner, as
 * the wheel assumes when it sorts a tick); lane_hints.
 */
#include "config.h"

#include "sim/sim_private.h"

SimLane *
sim_lane_new (Sim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  SimLane *l = g_new0 (SimLane, 1);
  l->src.lane = TRUE;
  l->sim = sim;
  l->id = sim_adopt_lane (sim, l);
  return l;
}

void
sim_lane_free (SimLane *l)
{
  g_free (l->a);
  g_free (l);
}

static inline SimEvent **
lane_slot (SimLane *l, guint32 abs)
{
  return &l->a[abs & (l->cap - 1)];
}

/* Doubles the ring; every slot keeps its absolute index, so the events'
 * pos stay right. */
static void
lane_grow (SimLane *l)
{
  guint32 cap = l->cap ? 2 * l->cap : 256;
  g_assert (cap != 0 && cap <= (1u << 31));
  SimEvent **a = g_new (SimEvent *, cap);
  for (guint32 i = 0; i < l->n; i++)
    {
      guint32 abs = l->first + i;
      a[abs & (cap - 1)] = *lane_slot (l, abs);
    }
  g_free (l->a);
  l->a = a;
  l->cap = cap;
}

gboolean
sim_lane_append (SimLane *l, SimEvent *ev, SimTime when)
{
  if (l->n > 0 && when < l->last_when)
    return FALSE;
  if (l->n == l->cap)
    lane_grow (l);
  guint32 abs = l->first + l->n;
  *lane_slot (l, abs) = ev;
  ev->when = when;
  ev->seq = sim_seq_take (l->sim);
  ev->pos = abs;
  sim_event_place (ev, l->id, SIM_WHERE_LANE);
  l->last_when = when;
  l->live++;
  if (l->n++ == 0)
    {
      l->src.when = when;
      l->src.seq = ev->seq;
      sim_source_wake (l->sim, &l->src);
    }
  return TRUE;
}

void
sim_lane_remove (SimLane *l, SimEvent *ev)
{
  g_assert (ev->where == SIM_WHERE_LANE && (guint32) (ev->pos - l->first) < l->n);
  /* Only written, never read: the slot is cold (armed long ago), and a
   * store need not wait for its line the way a load would. */
  *lane_slot (l, ev->pos) = NULL;
  l->live--;
  ev->where = SIM_WHERE_IDLE;
  /* The lane stays in the Sim's heap with its key; if that was this
   * event's, the Sim cleans the head before it trusts the key. */
}

gboolean
sim_lane_head_live (const SimLane *l)
{
  return l->a[l->first & (l->cap - 1)] != NULL;
}

/* Hints: every slot up to eight ahead of the head has had its event's
 * line fetched (its when and seq become the lane's key when it is the
 * head), and up to four ahead its owner's other lines.  Cursors, not
 * fixed distances: stopped alarms leave runs of NULL slots that the head
 * jumps over, so a slot may never sit exactly eight ahead. */
static inline void
lane_hints (SimLane *l)
{
  guint32 end1 = l->first + MIN (l->n, 8u), end2 = l->first + MIN (l->n, 4u);

  if ((gint32) (l->seen1 - l->first) < 0)
    l->seen1 = l->first;
  for (; (gint32) (end1 - l->seen1) > 0; l->seen1++)
    {
      const SimEvent *ev = *lane_slot (l, l->seen1);
      if (ev != NULL)
        __builtin_prefetch (ev, 1);
    }
  if ((gint32) (l->seen2 - l->first) < 0)
    l->seen2 = l->first;
  for (; (gint32) (end2 - l->seen2) > 0; l->seen2++)
    {
      const char *o = (const char *) *lane_slot (l, l->seen2);
      if (o != NULL)
        {
          __builtin_prefetch (o + 64, 1);
          __builtin_prefetch (o + 127, 1);
        }
    }
}

/* Drops NULL slots at the head, then sets the key from the first live
 * event or tells the Sim the lane is empty.  @l is the Sim's first
 * source. */
void
sim_lane_clean (SimLane *l)
{
  while (l->n > 0 && *lane_slot (l, l->first) == NULL)
    {
      l->first++;
      l->n--;
    }
  if (l->n > 0)
    {
      const SimEvent *ev = *lane_slot (l, l->first);
      l->src.when = ev->when;
      l->src.seq = ev->seq;
    }
  sim_source_advanced (l->sim, l->n == 0);
  lane_hints (l);
}

SimEvent *
sim_lane_take (SimLane *l)
{
  SimEvent *ev = *lane_slot (l, l->first);
  g_assert (ev != NULL);
  *lane_slot (l, l->first) = NULL;
  l->first++;
  l->n--;
  l->live--;
  ev->where = SIM_WHERE_IDLE;
  sim_lane_clean (l);
  return ev;
}
