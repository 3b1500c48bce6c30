/* sim/sim_private.h — the event-queue interface behind Sim.
 * Included only by the .c files of sim/ and by sim/ns3/. */
#pragma once

#include <string.h>

#include "sim/sim.h"

G_BEGIN_DECLS

enum { SIM_WHERE_IDLE = 0, SIM_WHERE_HEAP, SIM_WHERE_READY, SIM_WHERE_WHEEL,
       SIM_WHERE_OVERFLOW, SIM_WHERE_EXT, SIM_WHERE_RUN, SIM_WHERE_LANE };
/* SimEvent.kind: 0 and 1, or SIM_KIND_ALARM + the alarm's class. */
enum { SIM_KIND_TIMER = 0, SIM_KIND_ONESHOT, SIM_KIND_ALARM };
G_STATIC_ASSERT (SIM_KIND_ALARM + SIM_ALARM_CLASSES <= 16);   /* 4 bits */

/* Sets @ev's bucket and where in one 32-bit store of their word, reading
 * only kind's byte.  Assigned field by field, the 24-bit bucket would be
 * a load of the whole word, merge and store, and stopping the event has
 * just written where with a one-byte store: a wider load cannot take its
 * value from a narrower store still in the store buffer, so it waits
 * until that store is written, and stores are written in order, behind
 * any that wait for a cold line (a stopped event's slot).  perf put most
 * of the wheel's insert and of the lane append on that one load.  The
 * local struct has the same bit-fields as SimEvent's last word, so the
 * same layout (test_sched checks the fields read back). */
static inline void
sim_event_place (SimEvent *ev, guint32 bucket, guint where)
{
  struct { guint32 bucket : 24; guint32 where : 4; guint32 kind : 4; } w;

  G_STATIC_ASSERT (sizeof w == 4 && sizeof (SimEvent) == 24
                   && G_STRUCT_OFFSET (SimEvent, pos) == 16);
  w.bucket = bucket;
  w.where = where;
  w.kind = ev->kind;
  memcpy ((char *) ev + 20, &w, sizeof w);
}

/* Events fire in (time, seq) order: seq breaks ties, so equal times fire
 * FIFO.  TRUE if (when, seq) sorts before the limit (until, until_seq);
 * with until_seq = G_MAXUINT64 that is when <= until. */
static inline gboolean
sim_before_limit (SimTime when, guint64 seq, SimTime until, guint64 until_seq)
{
  return when < until || (when == until && seq < until_seq);
}

/* One queue implementation.  A queue only orders events; Sim owns them.
 *  insert: @ev is idle, when/seq set.       remove: @ev is in this queue.
 *  pop:    the least event if it sorts before (@until, @until_seq)
 *          (sim_before_limit; removed), else NULL, and then a (when,
 *          seq) in *@lo_when, *@lo_seq that no queued event sorts before
 *          (the least event's, or a bound below it): until an insert
 *          goes below it, the Sim need not ask again for anything earlier.
 *  run_until: optional; a queue that runs its own loop (ns-3) fires every
 *          event <= until through sim_dispatch() and returns. */
typedef struct {
  const char *name;
  void     *(*create)    (Sim *sim, GError **error);
  void      (*destroy)   (void *q);
  void      (*insert)    (void *q, SimEvent *ev);
  void      (*remove)    (void *q, SimEvent *ev);
  SimEvent *(*pop)       (void *q, SimTime until, guint64 until_seq,
                          SimTime *lo_when, guint64 *lo_seq);
  void      (*run_until) (void *q, SimTime until);
  gsize     (*size)      (void *q);
  /* Optional: a queue with its own clock (ns-3) reports it, so sim_now ()
   * is right also inside callbacks that are not natkeep's events. */
  SimTime   (*now)       (void *q);
  /* TRUE if the queue orders by (when, seq) whatever order events are
   * inserted in, so an event may carry a seq reserved earlier
   * (sim_stream_push); FALSE for ns-3, which breaks ties by insertion. */
  gboolean  any_seq;
} SimQueueOps;

extern const SimQueueOps sim_heap_ops;
extern const SimQueueOps sim_wheel_ops;
extern const SimQueueOps sim_ns3_ops;     /* only when SIM_HAVE_NS3 */

/* The queue's own state (SimQueueOps.create's result). */
void    *sim_queue_state    (Sim *sim);
/* ns3 queue only (sim/ns3/ns3_queue.cc): renumber the queued events, as
 * after ns-3's 32-bit uid wraps, also every @n schedules (0: only then),
 * so tests reach that path; and how many times it was done. */
void     sim_ns3_renumber_every (Sim *sim, guint32 n);
guint64  sim_ns3_renumbered     (Sim *sim);

/* Runs @ev's prefetch hint (sim_schedule_hinted), if it has one. */
void     sim_event_prefetch (SimEvent *ev, int stage);
/* For queues with their own loop: fires @ev (already removed) at its time. */
void     sim_dispatch       (Sim *sim, SimEvent *ev);
/* TRUE once sim_stop() was called during the current run. */
gboolean sim_stop_requested (const Sim *sim);

/* Sources: streams (sim/stream.c) and lanes (sim/lane.c) hold events
 * outside the queue, each in firing order.  The Sim keeps every source
 * that holds events in a small binary heap by the (when, seq) of its
 * first one and merges it with the queue: each step fires the lesser of
 * the queue's least event and the first source's.  A lane's key may be
 * stale (its first event was stopped); it is then below the truth, and
 * the Sim has the lane drop its stopped events before using the key. */
typedef struct {
  SimTime  when;       /* (when, seq) of the first event, while it holds one */
  guint64  seq;
  gboolean lane;       /* a SimLane, else a SimStream */
} SimSource;

typedef struct {
  SimTime  when;
  guint64  seq;
  void    *data;
} SimStreamItem;

/* An event of a stream scheduled on its own (sim_stream_push): while it
 * waits, data is the pushed data and the shot is on its stream's list;
 * fired or dropped, data is NULL. */
typedef struct _SimStreamShot SimStreamShot;
struct _SimStreamShot {
  SimStream     *s;
  void          *data;
  SimStreamShot *prev, *next;  /* s->shots, or the spare list via next */
};

struct _SimStream {
  SimSource       src;        /* first: a SimSource * is a SimStream * */
  Sim            *sim;
  SimEventFunc    func;
  GDestroyNotify  destroy;
  SimPrefetchFunc prefetch;
  SimStreamItem  *a;          /* ring of cap (a power of two) items */
  guint32         first, n, cap;
  SimStreamShot  *shots;      /* waiting outside the ring */
  SimStreamShot  *spare;
  SimStream     **weak;       /* set to NULL when the Sim frees it */
};

/* A lane: alarms armed in nondecreasing (when, seq), each an event
 * pointer in a ring; a stopped one leaves NULL.  While in a lane, an
 * event's bucket is the lane's number and its pos the absolute index of
 * its slot (slot pos & (cap - 1); indices wrap at 2^32). */
struct _SimLane {
  SimSource  src;             /* first: a SimSource * is a SimLane * */
  Sim       *sim;
  SimEvent **a;
  guint32    first;           /* absolute index of the first slot */
  guint32    n, cap;          /* slots in use (live or NULL), allocated */
  guint32    live;            /* non-NULL among the n */
  guint32    id;              /* the lane's number in its Sim */
  guint32    seen1, seen2;    /* hints: the slots before these absolute
                               * indices had theirs (lane_hints) */
  SimTime    last_when;       /* of the last event appended */
};

/* sim_seq_take: the seq the next schedule would get, used up.
 * sim_any_seq: the queue orders by (when, seq) whatever the insertion
 * order (SimQueueOps.any_seq), so sources may hold events back.
 * sim_adopt_stream / sim_adopt_lane: the Sim frees them with itself.
 * sim_source_wake: @src was empty and now holds an event (key set).
 * sim_source_advanced: the first source's key changed, or (@empty) it
 * holds no events any more.  sim_source_remove: @src, in the heap, holds
 * no events any more.
 * sim_stream_fire: @s is the first source and the clock is set: takes
 * its first event, calls sim_source_advanced, then runs it.
 * sim_lane_clean: drops the stopped events at the head of the first
 * source @l (sim_source_advanced).  sim_lane_take: the first event of
 * the first source @l, alive, taken out (idle), for sim_dispatch.
 * sim_lane_append: FALSE, and nothing done, if @when is before the last
 * appended.  sim_lane_remove: @ev is in @l. */
guint64   sim_seq_take        (Sim *sim);
gboolean  sim_any_seq         (const Sim *sim);
void      sim_adopt_stream    (Sim *sim, SimStream *s);
guint32   sim_adopt_lane      (Sim *sim, SimLane *l);
void      sim_source_wake     (Sim *sim, SimSource *src);
void      sim_source_advanced (Sim *sim, gboolean empty);
void      sim_source_remove   (Sim *sim, SimSource *src);
void      sim_stream_fire     (SimStream *s);
void      sim_stream_free     (SimStream *s);
gboolean  sim_lane_head_live  (const SimLane *l);
void      sim_lane_clean      (SimLane *l);
SimEvent *sim_lane_take       (SimLane *l);
gboolean  sim_lane_append     (SimLane *l, SimEvent *ev, SimTime when);
void      sim_lane_remove     (SimLane *l, SimEvent *ev);
SimLane  *sim_lane_of         (Sim *sim, const SimEvent *ev);
void      sim_lane_free       (SimLane *l);

G_END_DECLS

G_BEGIN_DECLS

/* An 8-ary array min-heap of events ordered by (when, seq).  Each slot
 * caches when, so sifting reads no event memory except to break a tie;
 * the event stores its index (pos), so remove is O(log n).  Used as the
 * heap queue and as the wheel's ready and overflow heaps. */
typedef struct {
  SimTime   when;
  SimEvent *ev;
} SimHeapSlot;

typedef struct {
  SimHeapSlot *mem;     /* allocation, 64-byte aligned */
  SimHeapSlot *a;       /* mem + 3: slot i's children start on a line */
  guint32      n;
  guint32      cap;
  guint8       where;   /* SIM_WHERE_* written into queued events */
} SimHeap;

/* (when, seq) order of two slots; seq is read from the events only when
 * the times are equal. */
static inline gboolean
sim_heap_slot_before (const SimHeapSlot *a, const SimHeapSlot *b)
{
  return a->when != b->when ? a->when < b->when : a->ev->seq < b->ev->seq;
}

void      sim_heap_init   (SimHeap *h, guint8 where);
void      sim_heap_clear  (SimHeap *h);
void      sim_heap_push   (SimHeap *h, SimEvent *ev);     /* O(log n) */
void      sim_heap_remove (SimHeap *h, SimEvent *ev);     /* O(log n) */
SimEvent *sim_heap_pop    (SimHeap *h);                   /* NULL if empty */
static inline SimEvent *
sim_heap_peek (const SimHeap *h)
{
  return h->n ? h->a[0].ev : NULL;
}
/* Due time of the least event; the heap must not be empty. */
static inline SimTime
sim_heap_min_when (const SimHeap *h)
{
  return h->a[0].when;
}
/* TRUE if the heap's least event sorts before (@until, @until_seq)
 * (sim_before_limit); its seq is read from the event only on a tie.
 * The heap must not be empty. */
static inline gboolean
sim_heap_top_before (const SimHeap *h, SimTime until, guint64 until_seq)
{
  SimTime when = h->a[0].when;
  return when < until || (when == until && h->a[0].ev->seq < until_seq);
}

/* SimQueueOps.pop over one heap: its least event if it sorts before
 * (@until, @until_seq), taken out; else NULL, with the least event's
 * (when, seq) in *@lo_when, *@lo_seq, or (NEVER, G_MAXUINT64) if the
 * heap is empty.  The heap queue's pop, and the wheel's for its ready
 * heap. */
static inline SimEvent *
sim_heap_pop_before (SimHeap *h, SimTime until, guint64 until_seq,
                     SimTime *lo_when, guint64 *lo_seq)
{
  if (h->n == 0)
    {
      *lo_when = SIM_TIME_NEVER;
      *lo_seq = G_MAXUINT64;
      return NULL;
    }
  if (!sim_heap_top_before (h, until, until_seq))
    {
      *lo_when = h->a[0].when;
      *lo_seq = h->a[0].ev->seq;
      return NULL;
    }
  return sim_heap_pop (h);
}

/* Run entries of the wheel (sim/wheel.c): when and seq copied out, so a
 * sorted run can be searched after its event is gone. */
typedef struct {
  SimTime   when;
  guint64   seq;
  SimEvent *ev;
} SimHeapEntry;

G_END_DECLS
