/* sim/wheel.c — two-level bucketed timing wheel queue.
 *
 * Level 0 has 2^16 buckets of 2^20 ns (1.05 ms), spanning 68.7 s; level 1
 * has 2^12 buckets of 68.7 s, spanning 78 h; anything later waits in an
 * overflow heap.  Buckets are arrays of event pointers, not linked lists:
 * appending and redistributing touch entries in sequence, which is what
 * keeps the wheel fast at 10^6 pending (a linked-list wheel takes a cache
 * miss per neighbour on every insert).
 *
 * Invariant: with `cur` the level-0 tick of the cursor, every event whose
 * tick is <= cur is ready: in the run (the level-0 bucket of tick cur,
 * sorted by (when, seq) when it was poured) or in a small heap (events
 * armed for tick cur or earlier after that); an event in the same 68.7 s
 * window as cur sits in level 0, one in the same 78 h window in level 1,
 * the rest in the overflow heap.  So the lesser of the run's head and the
 * heap's top is always the global minimum and order is exact although
 * buckets are unsorted.  When both run dry, the cursor jumps to the next
 * occupied bucket (two-level bitmaps, count-trailing-zeros) and that
 * bucket is sorted into the run or poured one level down; each event
 * moves at most three times.  Sorting a poured bucket once costs about a
 * third of the comparisons of pushing its events through a heap and
 * popping them, and the run is read in order.  Every event in a bucket
 * knows its bucket and index, so stop and re-arm are O(1): the slot is
 * left as a hole (no other event is touched), dropped when the bucket is
 * poured; an event stopped in the run is found by binary search and left
 * as a hole that pop skips.
 */
#include <string.h>

#include "sim/mem.h"
#include "sim/sim_private.h"

#define TICK_SHIFT  20                     /* level-0 bucket width: 2^20 ns */
#define L0_BITS     16
#define L1_BITS     12
#define L0_N        (1u << L0_BITS)
#define L1_N        (1u << L1_BITS)
#define NBUCKETS    (L0_N + L1_N)          /* level 1 buckets follow level 0 */
#define L0_WORDS    (L0_N / 64)
#define L1_WORDS    (L1_N / 64)
/* Bucket arrays hold 8 << k pointers; those of classes 0 .. SPARE_CLASSES-1
 * (8 to 32768) are recycled by class, bigger ones (level-1 buckets of a
 * busy run) are freed when poured. */
#define MIN_CAP       8
#define SPARE_CLASSES 13

/* A removed event leaves NULL in its slot: moving the last event into
 * the hole would write the moved event's pos, a cache miss on an event
 * nobody else is touching.  Holes are dropped when the bucket is poured,
 * or squeezed out when it fills up with at least half of them. */
typedef struct {
  SimEvent **a;          /* unsorted; each live event's pos is its index */
  guint32    n, cap;     /* slots used (live or NULL), slots allocated */
  guint32    live;       /* non-NULL among the n */
} Bucket;

/* The poured level-0 bucket of tick cur, sorted; entries [next, n) are
 * still due, those with ev == NULL were stopped. */
typedef struct {
  SimHeapEntry *a, *tmp;         /* tmp: scratch for sorting */
  guint32       next, n, cap;
  guint32       live;          /* entries in [next, n) with ev != NULL */
} Run;

typedef struct {
  guint64  cur;                /* level-0 tick of the cursor */
  Bucket  *b;                  /* NBUCKETS */
  guint64  bits0[L0_WORDS];    /* occupied level-0 buckets */
  guint64  sum0[(L0_WORDS + 63) / 64]; /* occupied words of bits0 */
  guint64  bits1[L1_WORDS];
  gsize    in_buckets;
  Run      run;                /* tick == cur, sorted when poured */
  SimHeap  ready;              /* tick <= cur, armed after the pour */
  SimHeap  overflow;           /* beyond level 1's window */
  GPtrArray *spare[SPARE_CLASSES]; /* emptied arrays by capacity class */
} SimWheel;

static inline guint64
tick_of (SimTime when)
{
  return (guint64) when >> TICK_SHIFT;
}

static inline void
bit_set (guint64 *bits, unsigned i)
{
  bits[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
}

static inline void
bit_clear (guint64 *bits, unsigned i)
{
  bits[i / 64] &= ~(G_GUINT64_CONSTANT (1) << (i % 64));
}

/* First set bit >= from among @words words, or -1. */
static int
bits_next (const guint64 *bits, unsigned words, unsigned from)
{
  for (unsigned w = from / 64; w < words; w++)
    {
      guint64 m = bits[w];
      if (w == from / 64)
        m &= ~G_GUINT64_CONSTANT (0) << (from % 64);
      if (m)
        return (int) (w * 64 + (unsigned) __builtin_ctzll (m));
    }
  return -1;
}

/* Level 0 with a summary word per 64 words, so an empty wheel is cheap to
 * skip: at most 16 + 2 words are read. */
static int
l0_next (const SimWheel *w, unsigned from)
{
  if (from >= L0_N)
    return -1;
  unsigned word = from / 64;
  guint64 m = w->bits0[word] & (~G_GUINT64_CONSTANT (0) << (from % 64));
  if (m)
    return (int) (word * 64 + (unsigned) __builtin_ctzll (m));
  int next_word = bits_next (w->sum0, (L0_WORDS + 63) / 64, word + 1);
  if (next_word < 0)
    return -1;
  return (int) ((unsigned) next_word * 64 + (unsigned) __builtin_ctzll (w->bits0[next_word]));
}

/* The class of capacity @cap (8 << class), or -1 if it is not recycled. */
static inline int
spare_class (guint32 cap)
{
  int k = __builtin_ctz (cap) - __builtin_ctz (MIN_CAP);
  return k < SPARE_CLASSES ? k : -1;
}

/* Gives up array @a of capacity @cap: kept for reuse by capacity, so an
 * array always goes back to a bucket that needs that many slots.  (With
 * one stack for every size, arrays drifted to the largest size any
 * bucket ever needed: 10^5 keep-alive timers spread one or two per
 * bucket held ~10 MB more after half an hour than after ten minutes.) */
static void
spare_put (SimWheel *w, SimEvent **a, guint32 cap)
{
  int k = spare_class (cap);
  if (k < 0)
    g_free (a);
  else
    g_ptr_array_add (w->spare[k], a);
}

/* Makes room in @b for one more event: its first array or one twice as
 * large, from the spares of that size when there are any. */
static void
bucket_grow (SimWheel *w, Bucket *b)
{
  guint32 cap = b->cap ? b->cap * 2 : MIN_CAP;
  int k = spare_class (cap);
  SimEvent **a;

  if (k >= 0 && w->spare[k]->len > 0)
    {
      a = g_ptr_array_steal_index_fast (w->spare[k], w->spare[k]->len - 1);
      if (b->n > 0)
        memcpy (a, b->a, b->n * sizeof *a);
      if (b->cap > 0)
        spare_put (w, b->a, b->cap);
    }
  else
    a = g_renew (SimEvent *, b->a, cap);
  b->a = a;
  b->cap = cap;
}

/* Drops the holes of @b.  @renumber: write their new index into the
 * events that move; not for a poured bucket, whose events are re-placed
 * anyway (then only pointers move and no event is touched). */
static void
bucket_squeeze (Bucket *b, gboolean renumber)
{
  guint32 j = 0;
  for (guint32 i = 0; i < b->n; i++)
    if (b->a[i] != NULL)
      {
        if (i != j)
          {
            b->a[j] = b->a[i];
            if (renumber)
              b->a[j]->pos = j;
          }
        j++;
      }
  b->n = j;
}

static void
bucket_add (SimWheel *w, unsigned bi, SimEvent *ev)
{
  Bucket *b = &w->b[bi];
  if (b->n == b->cap)
    {
      if (b->cap > 0 && b->n - b->live >= b->cap / 2)
        bucket_squeeze (b, TRUE);
      else
        bucket_grow (w, b);
    }
  b->a[b->n] = ev;
  b->live++;
  ev->pos = b->n++;
  sim_event_place (ev, bi, SIM_WHERE_WHEEL);
  w->in_buckets++;
  if (b->live == 1)
    {
      if (bi < L0_N)
        {
          bit_set (w->bits0, bi);
          bit_set (w->sum0, bi / 64);
        }
      else
        bit_set (w->bits1, bi - L0_N);
    }
}

static void
bucket_emptied (SimWheel *w, unsigned bi)
{
  if (bi < L0_N)
    {
      bit_clear (w->bits0, bi);
      if (w->bits0[bi / 64] == 0)
        bit_clear (w->sum0, bi / 64);
    }
  else
    bit_clear (w->bits1, bi - L0_N);
}

static void
wheel_place (SimWheel *w, SimEvent *ev)
{
  guint64 tick = tick_of (ev->when);
  if (tick <= w->cur)
    sim_heap_push (&w->ready, ev);
  else if ((tick >> L0_BITS) == (w->cur >> L0_BITS))
    bucket_add (w, (unsigned) (tick & (L0_N - 1)), ev);
  else if ((tick >> (L0_BITS + L1_BITS)) == (w->cur >> (L0_BITS + L1_BITS)))
    bucket_add (w, L0_N + (unsigned) ((tick >> L0_BITS) & (L1_N - 1)), ev);
  else
    sim_heap_push (&w->overflow, ev);
}

static inline gboolean
entry_before (const SimHeapEntry *a, const SimHeapEntry *b)
{
  return a->when != b->when ? a->when < b->when : a->seq < b->seq;
}

static void
entries_insertion_sort (SimHeapEntry *a, gsize n)
{
  for (gsize i = 1; i < n; i++)
    {
      SimHeapEntry e = a[i];
      gsize j = i;
      for (; j > 0 && entry_before (&e, &a[j - 1]); j--)
        a[j] = a[j - 1];
      a[j] = e;
    }
}

/* Quicksort by (when, seq), median of three, recursing into the smaller
 * side (depth <= log2 n); keys are unique, so no equal-key care is needed. */
static void
entries_sort (SimHeapEntry *a, gsize n)
{
  while (n > 24)
    {
      SimHeapEntry *m = &a[n / 2], *z = &a[n - 1], t;
      if (entry_before (m, a)) { t = *m; *m = *a; *a = t; }
      if (entry_before (z, m)) { t = *z; *z = *m; *m = t; }
      if (entry_before (m, a)) { t = *m; *m = *a; *a = t; }
      SimHeapEntry pivot = *m;
      gsize i = 0, j = n - 1;
      for (;;)
        {
          while (entry_before (&a[i], &pivot))
            i++;
          while (entry_before (&pivot, &a[j]))
            j--;
          if (i >= j)
            break;
          t = a[i]; a[i] = a[j]; a[j] = t;
          i++;
          j--;
        }
      /* [0, j] <= pivot <= [j + 1, n) */
      gsize left = j + 1;
      if (left < n - left)
        {
          entries_sort (a, left);
          a += left;
          n -= left;
        }
      else
        {
          entries_sort (a + left, n - left);
          n = left;
        }
    }
  entries_insertion_sort (a, n);
}

/* Sorts @n entries of one level-0 tick by (when, seq), using @tmp (n
 * entries) as scratch.  Their whens differ only in the low TICK_SHIFT
 * bits, so two stable counting passes over 10 bits each order them by
 * when without one data-dependent branch; equal whens (rare: timers armed
 * for the same instant) are then put in seq order. */
static void
entries_radix_sort (SimHeapEntry *a, SimHeapEntry *tmp, guint32 n)
{
  enum { BITS = TICK_SHIFT / 2, RADIX = 1u << BITS };
  G_STATIC_ASSERT (2 * BITS == TICK_SHIFT);
  guint32 count[2][RADIX] = { { 0 } };

  for (guint32 i = 0; i < n; i++)
    {
      guint64 k = (guint64) a[i].when;
      count[0][k & (RADIX - 1)]++;
      count[1][(k >> BITS) & (RADIX - 1)]++;
    }
  for (int pass = 0; pass < 2; pass++)
    {
      guint32 *c = count[pass], sum = 0;
      for (guint32 d = 0; d < RADIX; d++)
        {
          guint32 t = c[d];
          c[d] = sum;
          sum += t;
        }
      SimHeapEntry *from = pass == 0 ? a : tmp, *to = pass == 0 ? tmp : a;
      for (guint32 i = 0; i < n; i++)
        {
          guint64 k = (guint64) from[i].when >> (pass * BITS);
          to[c[k & (RADIX - 1)]++] = from[i];
        }
    }
  for (guint32 i = 1; i < n; i++)
    if (a[i].when == a[i - 1].when)
      {
        guint32 j = i + 1;
        while (j < n && a[j].when == a[i].when)
          j++;
        entries_insertion_sort (a + i - 1, j - (i - 1));
        i = j - 1;
      }
}

/* Sorts the events of a level-0 bucket into the (empty) run. */
static void
run_fill (SimWheel *w, SimEvent **evs, guint32 n)
{
  Run *r = &w->run;
  if (r->cap < n)
    {
      r->cap = MAX (n, 2 * r->cap);
      g_free (r->a);
      g_free (r->tmp);
      r->a = g_new (SimHeapEntry, r->cap);
      r->tmp = g_new (SimHeapEntry, r->cap);
    }
  /* The events are cold; fetch a few ahead so their misses overlap. */
  for (guint32 i = 0; i < n && i < 8; i++)
    __builtin_prefetch (evs[i], 1);
  for (guint32 i = 0; i < n; i++)
    {
      if (i + 8 < n)
        __builtin_prefetch (evs[i + 8], 1);
      SimEvent *ev = evs[i];
      if (ev->kind >= SIM_KIND_ALARM)
        {
          /* An alarm's callback reads the owner it is embedded in (a
           * TcpConn is the 128 bytes from its alarm).  Not done for
           * SimTimers, whose owners are unknown: fetching lines nobody
           * reads costs the hold model ~5%. */
          __builtin_prefetch ((const char *) ev + 64, 1);
          __builtin_prefetch ((const char *) ev + 127, 1);
        }
      ev->where = SIM_WHERE_RUN;
      r->a[i] = (SimHeapEntry) { ev->when, ev->seq, ev };
    }
  if (n < 128)
    entries_sort (r->a, n);
  else
    entries_radix_sort (r->a, r->tmp, n);
  r->next = 0;
  r->n = r->live = n;
  /* Pop gives hints eight (stage 1) and four (stage 2) places ahead; the
   * head of the run gets its stage 1 now, and the first four their stage
   * 2 after the others' stage 1 had a moment to land. */
  for (guint32 i = 0; i < n && i < 8; i++)
    sim_event_prefetch (r->a[i].ev, 1);
  for (guint32 i = 0; i < n && i < 4; i++)
    sim_event_prefetch (r->a[i].ev, 2);
}

/* The run's first live entry, or NULL. */
static inline SimHeapEntry *
run_head (Run *r)
{
  while (r->next < r->n && r->a[r->next].ev == NULL)
    r->next++;
  return r->next < r->n ? &r->a[r->next] : NULL;
}

static void
run_remove (Run *r, SimEvent *ev)
{
  SimHeapEntry key = { ev->when, ev->seq, ev };
  guint32 lo = r->next, hi = r->n;
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;
      if (entry_before (&r->a[mid], &key))
        lo = mid + 1;
      else
        hi = mid;
    }
  g_assert (lo < r->n && r->a[lo].ev == ev);
  r->a[lo].ev = NULL;
  r->live--;
}

/* Empties bucket @bi and re-places its events relative to the cursor.
 * The bucket's array goes to the spares of its size (as does the array
 * of a bucket emptied by removals), so the arrays in use hold at most
 * twice the events pending, whatever the history. */
static void
bucket_pour (SimWheel *w, unsigned bi)
{
  Bucket taken = w->b[bi];
  w->b[bi] = (Bucket) { NULL, 0, 0, 0 };
  w->in_buckets -= taken.live;
  bucket_emptied (w, bi);
  if (taken.live < taken.n)
    bucket_squeeze (&taken, FALSE);
  if (bi < L0_N)
    run_fill (w, taken.a, taken.n);     /* all of tick cur */
  else
    {
      /* The events are cold; fetch a few ahead so their misses overlap. */
      for (guint32 i = 0; i < taken.n && i < 8; i++)
        __builtin_prefetch (taken.a[i], 1);
      for (guint32 i = 0; i < taken.n; i++)
        {
          if (i + 8 < taken.n)
            __builtin_prefetch (taken.a[i + 8], 1);
          wheel_place (w, taken.a[i]);
        }
    }
  /* Big arrays (a level-1 bucket holds a whole 68.7 s of events) are
   * freed: one free per level-1 pour. */
  if (taken.cap > 0)
    spare_put (w, taken.a, taken.cap);
}

/* Moves the cursor to the next occupied place and pours it.
 * Precondition: nothing is ready and some event is pending. */
static void
wheel_advance (SimWheel *w)
{
  int s = l0_next (w, (unsigned) (w->cur & (L0_N - 1)) + 1);
  if (s >= 0)
    {
      w->cur = (w->cur & ~(guint64) (L0_N - 1)) | (guint64) s;
      bucket_pour (w, (unsigned) s);
      return;
    }
  unsigned idx1 = (unsigned) ((w->cur >> L0_BITS) & (L1_N - 1));
  s = idx1 + 1 < L1_N ? bits_next (w->bits1, L1_WORDS, idx1 + 1) : -1;
  if (s >= 0)
    {
      guint64 hi = w->cur >> (L0_BITS + L1_BITS) << (L0_BITS + L1_BITS);
      w->cur = hi | ((guint64) s << L0_BITS);
      bucket_pour (w, L0_N + (unsigned) s);
      return;
    }
  /* Both levels empty: jump to the level-1 window of the earliest
   * overflow event and bring that whole window in. */
  g_assert (w->overflow.n > 0);
  guint64 window = tick_of (sim_heap_min_when (&w->overflow)) >> (L0_BITS + L1_BITS);
  w->cur = window << (L0_BITS + L1_BITS);
  while (w->overflow.n > 0
         && tick_of (sim_heap_min_when (&w->overflow)) >> (L0_BITS + L1_BITS) == window)
    wheel_place (w, sim_heap_pop (&w->overflow));
}

static void *
wheel_create (Sim *sim, GError **error)
{
  SimWheel *w = g_new0 (SimWheel, 1);
  /* The bucket table (1.6 MiB) is read at random by every insert and
   * remove.  One huge page makes it one TLB entry instead of 400, and its
   * cost the same whatever the run: on 4 KiB pages a run touched as much
   * of it as its events spread over 68.7 s, from 0.1 MiB for one flow to
   * all of it at a few hundred. */
  G_STATIC_ASSERT (NBUCKETS * sizeof (Bucket) <= SIM_MEM_HUGE);
  w->b = sim_mem_alloc0 (1, SIM_MEM_HUGE);
  for (int k = 0; k < SPARE_CLASSES; k++)
    w->spare[k] = g_ptr_array_new_with_free_func (g_free);
  sim_heap_init (&w->ready, SIM_WHERE_READY);
  sim_heap_init (&w->overflow, SIM_WHERE_OVERFLOW);
  return w;
}

static void
wheel_destroy (void *q)
{
  SimWheel *w = q;
  for (unsigned i = 0; i < NBUCKETS; i++)
    g_free (w->b[i].a);
  for (int k = 0; k < SPARE_CLASSES; k++)
    g_ptr_array_unref (w->spare[k]);
  sim_mem_free (w->b, 1, SIM_MEM_HUGE);
  g_free (w->run.a);
  g_free (w->run.tmp);
  sim_heap_clear (&w->ready);
  sim_heap_clear (&w->overflow);
  g_free (w);
}

static void
wheel_insert (void *q, SimEvent *ev)
{
  wheel_place (q, ev);
}

static void
wheel_remove (void *q, SimEvent *ev)
{
  SimWheel *w = q;
  switch (ev->where)
    {
    case SIM_WHERE_READY:
      sim_heap_remove (&w->ready, ev);
      return;
    case SIM_WHERE_RUN:
      run_remove (&w->run, ev);
      ev->where = SIM_WHERE_IDLE;
      return;
    case SIM_WHERE_OVERFLOW:
      sim_heap_remove (&w->overflow, ev);
      return;
    default:
      break;
    }
  g_assert (ev->where == SIM_WHERE_WHEEL);
  Bucket *b = &w->b[ev->bucket];
  guint32 i = ev->pos;
  /* The slot is only written (a load of its cold line would wait). */
  g_assert (i < b->n);
  b->a[i] = NULL;
  b->live--;
  if (i + 1 == b->n)
    b->n--;                     /* a hole at the end is just shorter */
  if (b->live == 0)
    {
      bucket_emptied (w, ev->bucket);
      spare_put (w, b->a, b->cap);
      *b = (Bucket) { NULL, 0, 0, 0 };
    }
  w->in_buckets--;
  ev->where = SIM_WHERE_IDLE;
}

static SimEvent *
wheel_pop (void *q, SimTime until, guint64 until_seq, SimTime *lo_when, guint64 *lo_seq)
{
  SimWheel *w = q;
  SimHeapEntry *head;
  while ((head = run_head (&w->run)) == NULL && w->ready.n == 0)
    {
      /* Nothing queued at all: the ready heap, empty, reports that. */
      if (w->in_buckets == 0 && w->overflow.n == 0)
        return sim_heap_pop_before (&w->ready, until, until_seq, lo_when, lo_seq);
      /* Everything not ready is due after cur's tick. */
      if (until != SIM_TIME_NEVER && tick_of (until) <= w->cur)
        {
          *lo_when = (SimTime) ((w->cur + 1) << TICK_SHIFT);
          *lo_seq = 0;
          return NULL;
        }
      wheel_advance (w);
    }
  const SimHeapSlot *top = w->ready.n ? &w->ready.a[0] : NULL;
  if (head != NULL && (top == NULL || head->when < top->when
                       || (head->when == top->when && head->seq < top->ev->seq)))
    {
      if (!sim_before_limit (head->when, head->seq, until, until_seq))
        {
          *lo_when = head->when;
          *lo_seq = head->seq;
          return NULL;
        }
      SimEvent *ev = head->ev;
      Run *r = &w->run;
      /* Hints for the events a few places ahead (sim_schedule_hinted):
       * stage 1 eight ahead, stage 2 (which may read what stage 1
       * fetched) four ahead. */
      if (r->next + 8 < r->n && r->a[r->next + 8].ev != NULL)
        sim_event_prefetch (r->a[r->next + 8].ev, 1);
      if (r->next + 4 < r->n && r->a[r->next + 4].ev != NULL)
        sim_event_prefetch (r->a[r->next + 4].ev, 2);
      r->next++;
      r->live--;
      ev->where = SIM_WHERE_IDLE;
      return ev;
    }
  return sim_heap_pop_before (&w->ready, until, until_seq, lo_when, lo_seq);
}

static gsize
wheel_size (void *q)
{
  SimWheel *w = q;
  return w->in_buckets + w->run.live + w->ready.n + w->overflow.n;
}

const SimQueueOps sim_wheel_ops = {
  .name = "wheel",
  .create = wheel_create,
  .destroy = wheel_destroy,
  .insert = wheel_insert,
  .remove = wheel_remove,
  .pop = wheel_pop,
  .run_until = NULL,
  .any_seq = TRUE,
  .size = wheel_size,
};
