/* sim/stream.c — ordered streams of one-shot events (sim_stream_*).
 *
 * A stream holds events its owner pushes in nondecreasing time: the
 * arrivals of one direction of a link, whose transmitter is FIFO.  Each
 * push takes the sequence number a sim_schedule_hinted () would have
 * taken at that moment, so the stream's events sort among all others
 * exactly as one-shots would: same (when, seq), same order, same results.
 * The difference is where they wait: in a ring, in push order, which is
 * their firing order.  None of them is in the event queue.  The Sim keeps
 * the non-empty streams in a small heap by their first event and, at each
 * step, fires the lesser of that and the queue's least (sim.c).  A busy
 * link thus costs the queue nothing: its arrivals need no sorting, no
 * bucket and no record of their own.
 *
 * An event pushed earlier than the stream's last (a link whose queue an
 * outage flushed, with lost packets still in flight) is scheduled on its
 * own, a one-shot with the same (when, seq), so the ring stays in order:
 * a "shot", which the stream keeps on a list until it fires, so that
 * sim_stream_drop finds it.  An event's data is its callback's once it
 * fires; the destroy notify is only for events that never do.
 *
 * Holding events back needs a queue that orders by (when, seq) whatever
 * order events are inserted in (SimQueueOps.any_seq: the heap and the
 * wheel).  ns-3 breaks ties by its own insertion counter and runs its own
 * loop, so on the ns3 queue every push is a shot: the same order again,
 * one ns-3 event each.
 *
 * Hints: when an event fires, the one eight places behind it in the ring
 * gets stage 1 and the one four places behind stage 2 (the wheel gives
 * run events theirs the same distance ahead in global order).
 */
#include "config.h"

#include "sim/sim_private.h"

SimStream *
sim_stream_new (Sim *sim, SimEventFunc func, GDestroyNotify destroy,
                SimPrefetchFunc prefetch)
{
  g_return_val_if_fail (sim != NULL && func != NULL, NULL);
  SimStream *s = g_new0 (SimStream, 1);
  s->sim = sim;
  s->func = func;
  s->destroy = destroy;
  s->prefetch = prefetch;
  sim_adopt_stream (sim, s);
  return s;
}

static inline SimStreamItem *
stream_at (SimStream *s, guint32 i)
{
  return &s->a[(s->first + i) & (s->cap - 1)];
}

static void
stream_set_head (SimStream *s)
{
  const SimStreamItem *it = stream_at (s, 0);
  s->src.when = it->when;
  s->src.seq = it->seq;
}

void
sim_stream_fire (SimStream *s)
{
  SimStreamItem it = *stream_at (s, 0);

  s->first = (s->first + 1) & (s->cap - 1);
  s->n--;
  /* The Sim's heap is right again before the callback runs, which may
   * push to this stream or others. */
  if (s->n > 0)
    stream_set_head (s);
  sim_source_advanced (s->sim, s->n == 0);
  if (s->prefetch != NULL && s->n > 8)
    s->prefetch (stream_at (s, 8)->data, 1);
  if (s->prefetch != NULL && s->n > 4)
    s->prefetch (stream_at (s, 4)->data, 2);
  s->func (s->sim, it.data);
}

/* Takes waiting shot @x off its stream's list. */
static void
stream_shot_unlink (SimStream *s, SimStreamShot *x)
{
  if (x->prev != NULL)
    x->prev->next = x->next;
  else
    s->shots = x->next;
  if (x->next != NULL)
    x->next->prev = x->prev;
}

/* A shot: an event of @s scheduled on its own. */
static void
stream_shot_fire (Sim *sim, void *data)
{
  SimStreamShot *x = data;
  SimStream *s = x->s;
  void *d = x->data;

  if (d == NULL)
    return;                             /* dropped by sim_stream_drop */
  x->data = NULL;
  stream_shot_unlink (s, x);
  s->func (sim, d);
}

/* After the fire, or alone when the Sim is freed first. */
static void
stream_shot_done (void *data)
{
  SimStreamShot *x = data;
  SimStream *s = x->s;

  if (x->data != NULL)
    {
      stream_shot_unlink (s, x);
      if (s->destroy != NULL)
        s->destroy (x->data);
    }
  x->next = s->spare;
  s->spare = x;
}

static void
stream_shot_prefetch (void *data, int stage)
{
  const SimStreamShot *x = data;

  if (x->data != NULL && x->s->prefetch != NULL)
    x->s->prefetch (x->data, stage);
}

static void
stream_shot (SimStream *s, SimTime when, void *data)
{
  SimStreamShot *x = s->spare;

  if (x != NULL)
    s->spare = x->next;
  else
    x = g_new (SimStreamShot, 1);
  x->s = s;
  x->data = data;
  x->prev = NULL;
  x->next = s->shots;
  if (s->shots != NULL)
    s->shots->prev = x;
  s->shots = x;
  sim_schedule_hinted (s->sim, when, stream_shot_fire, x, stream_shot_done,
                       s->prefetch != NULL ? stream_shot_prefetch : NULL);
}

void
sim_stream_set_weak (SimStream *s, SimStream **where)
{
  g_return_if_fail (s != NULL);
  s->weak = where;
}

void
sim_stream_drop (SimStream *s)
{
  g_return_if_fail (s != NULL);
  if (s->n > 0)
    sim_source_remove (s->sim, &s->src);
  for (; s->n > 0; s->n--)
    {
      void *d = stream_at (s, 0)->data;
      s->first = (s->first + 1) & (s->cap - 1);
      if (s->destroy != NULL)
        s->destroy (d);
    }
  /* Shots stay scheduled and fire as no-ops. */
  while (s->shots != NULL)
    {
      SimStreamShot *x = s->shots;
      void *d = x->data;
      s->shots = x->next;
      x->data = NULL;
      if (s->destroy != NULL)
        s->destroy (d);
    }
}

void
sim_stream_push (SimStream *s, SimTime when, void *data)
{
  g_return_if_fail (s != NULL);
  if (!sim_any_seq (s->sim) || (s->n > 0 && when < stream_at (s, s->n - 1)->when))
    {
      stream_shot (s, when, data);
      return;
    }
  g_return_if_fail (when >= sim_now (s->sim));
  if (s->n == s->cap)
    {
      guint32 cap = s->cap ? 2 * s->cap : 64;
      SimStreamItem *a = g_new (SimStreamItem, cap);
      for (guint32 i = 0; i < s->n; i++)
        a[i] = *stream_at (s, i);
      g_free (s->a);
      s->a = a;
      s->cap = cap;
      s->first = 0;
    }
  *stream_at (s, s->n) = (SimStreamItem) { when, sim_seq_take (s->sim), data };
  if (s->n++ == 0)
    {
      stream_set_head (s);
      sim_source_wake (s->sim, &s->src);
    }
}

/* Only from sim_free (): the Sim's heap of streams is going too. */
void
sim_stream_free (SimStream *s)
{
  for (guint32 i = 0; i < s->n; i++)
    if (s->destroy != NULL)
      s->destroy (stream_at (s, i)->data);
  if (s->weak != NULL)
    *s->weak = NULL;
  /* The Sim destroyed its one-shots first: every shot is spare. */
  g_assert (s->shots == NULL);
  while (s->spare != NULL)
    {
      SimStreamShot *x = s->spare;
      s->spare = x->next;
      g_free (x);
    }
  g_free (s->a);
  g_free (s);
}
