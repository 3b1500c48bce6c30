/* sim/heap.c — 8-ary array min-heap of events, and the heap queue.
 *
 * Eight children per node make the tree a third as deep as a binary heap.
 * A slot is 16 bytes (when and the event; seq is read from the event only
 * to break a tie), and the array starts three slots before a 64-byte
 * boundary, so the eight children of any node fill exactly two cache
 * lines: at 10^6 pending, where the lowest levels miss on every pop, that
 * is two misses per level instead of three or four, and in a heap that
 * big sift-down prefetches all eight children's blocks while it compares
 * them, so the next level's wait overlaps this one's.  Every move writes
 * the new index into the event (pos), which makes remove and re-arm
 * O(log n) instead of ns-3 HeapScheduler's linear search.
 */
#include <string.h>

#include "sim/mem.h"
#include "sim/sim_private.h"

#define ARITY 8
#define SKEW  3        /* children of slot i: 8i+1 .. 8i+8 = 8(i+1)-7 .. */
#define PREFETCH_MIN (1u << 17)   /* slots (2 MiB): prefetch grandchildren */
#define PREFETCH_FROM 512         /* ... of nodes below the cached top levels */

static inline void
place (SimHeap *h, guint32 i, SimHeapSlot e)
{
  h->a[i] = e;
  e.ev->pos = i;
}

static void
sift_up (SimHeap *h, guint32 i, SimHeapSlot e)
{
  while (i > 0)
    {
      guint32 parent = (i - 1) / ARITY;
      if (!sim_heap_slot_before (&e, &h->a[parent]))
        break;
      place (h, i, h->a[parent]);
      i = parent;
    }
  place (h, i, e);
}

static void
sift_down (SimHeap *h, guint32 i, SimHeapSlot e)
{
  for (;;)
    {
      guint32 first = ARITY * i + 1;
      if (first >= h->n)
        break;
      guint32 last = MIN (first + ARITY, h->n);
      guint32 best = first;
      /* The next level down is one of these children's blocks: in a
       * heap too big for the caches, ask for all eight (16 lines) now,
       * so the wait for the chosen one overlaps this level's work
       * instead of following it (hold model at 10^6 pending: 2.5 M →
       * 4.0 M events/s).  In a cached heap the prefetches only cost
       * (-6% at 10^5). */
      if (h->n >= PREFETCH_MIN && first >= PREFETCH_FROM)
        for (guint32 c = first; c < last && ARITY * c + 1 < h->n; c++)
          {
            __builtin_prefetch (&h->a[ARITY * c + 1]);
            __builtin_prefetch (&h->a[MIN (ARITY * c + 5, h->n - 1)]);
          }
      for (guint32 c = first + 1; c < last; c++)
        if (sim_heap_slot_before (&h->a[c], &h->a[best]))
          best = c;
      if (!sim_heap_slot_before (&h->a[best], &e))
        break;
      place (h, i, h->a[best]);
      i = best;
    }
  place (h, i, e);
}

void
sim_heap_init (SimHeap *h, guint8 where)
{
  h->mem = h->a = NULL;
  h->n = h->cap = 0;
  h->where = where;
}

void
sim_heap_clear (SimHeap *h)
{
  sim_mem_free (h->mem, h->cap + SKEW, sizeof (SimHeapSlot));
  h->mem = h->a = NULL;
  h->n = h->cap = 0;
}

void
sim_heap_push (SimHeap *h, SimEvent *ev)
{
  G_STATIC_ASSERT (sizeof (SimHeapSlot) == 16);
  if (h->n == h->cap)
    {
      g_assert (h->cap < G_MAXUINT32 / 4);
      guint32 cap = h->cap ? h->cap * 2 : 64;
      SimHeapSlot *mem = sim_mem_alloc0 (cap + SKEW, sizeof (SimHeapSlot));
      if (h->n > 0)
        memcpy (mem + SKEW, h->a, h->n * sizeof (SimHeapSlot));
      sim_mem_free (h->mem, h->cap + SKEW, sizeof (SimHeapSlot));
      h->mem = mem;
      h->a = mem + SKEW;
      h->cap = cap;
    }
  ev->where = h->where;
  SimHeapSlot e = { ev->when, ev };
  sift_up (h, h->n++, e);
}

void
sim_heap_remove (SimHeap *h, SimEvent *ev)
{
  guint32 i = ev->pos;
  g_assert (i < h->n && h->a[i].ev == ev);
  ev->where = SIM_WHERE_IDLE;
  SimHeapSlot last = h->a[--h->n];
  if (i == h->n)
    return;
  /* The moved entry may belong above or below the hole. */
  if (i > 0 && sim_heap_slot_before (&last, &h->a[(i - 1) / ARITY]))
    sift_up (h, i, last);
  else
    sift_down (h, i, last);
}

SimEvent *
sim_heap_pop (SimHeap *h)
{
  if (h->n == 0)
    return NULL;
  SimEvent *top = h->a[0].ev;
  top->where = SIM_WHERE_IDLE;
  SimHeapSlot last = h->a[--h->n];
  if (h->n > 0)
    {
      sift_down (h, 0, last);
      /* The next pop returns this one, and its owner will write it. */
      __builtin_prefetch (h->a[0].ev, 1);
    }
  return top;
}

/* The heap queue: SimQueueOps over one SimHeap. */

static void *
heap_create (Sim *sim, GError **error)
{
  SimHeap *h = g_new (SimHeap, 1);
  sim_heap_init (h, SIM_WHERE_HEAP);
  return h;
}

static void
heap_destroy (void *q)
{
  sim_heap_clear (q);
  g_free (q);
}

static void
heap_insert (void *q, SimEvent *ev)
{
  sim_heap_push (q, ev);
}

static void
heap_remove (void *q, SimEvent *ev)
{
  sim_heap_remove (q, ev);
}

static SimEvent *
heap_pop (void *q, SimTime until, guint64 until_seq, SimTime *lo_when, guint64 *lo_seq)
{
  return sim_heap_pop_before (q, until, until_seq, lo_when, lo_seq);
}

static gsize
heap_size (void *q)
{
  return ((SimHeap *) q)->n;
}

const SimQueueOps sim_heap_ops = {
  .name = "heap",
  .create = heap_create,
  .destroy = heap_destroy,
  .insert = heap_insert,
  .remove = heap_remove,
  .pop = heap_pop,
  .run_until = NULL,
  .any_seq = TRUE,
  .size = heap_size,
};
