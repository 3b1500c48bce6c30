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
 * tick is <= cur sits in a small ready heap ordered by (when, seq); an
 * event in the same 68.7 s window as cur sits in level 0, one in the same
 * 78 h window in level 1, the rest in the overflow heap.  So the ready
 * heap's top is always the global minimum and order is exact although
 * buckets are unsorted.  When the ready heap runs dry, the cursor jumps to
 * the next occupied bucket (two-level bitmaps, count-trailing-zeros) and
 * that bucket is poured into the ready heap or one level down; each event
 * moves at most three times.  Every event knows its bucket and index, so
 * stop and re-arm are O(1) swap-removals.
 */
#include <string.h>

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
 * (8 to 256) are recycled by class, bigger ones are freed when poured. */
#define MIN_CAP       8
#define SPARE_CLASSES 6

typedef struct {
  SimEvent **a;          /* unsorted; each event's pos is its index */
  guint32    n, cap;
} Bucket;

typedef struct {
  guint64  cur;                /* level-0 tick of the cursor */
  Bucket  *b;                  /* NBUCKETS */
  guint64  bits0[L0_WORDS];    /* occupied level-0 buckets */
  guint64  sum0[(L0_WORDS + 63) / 64]; /* occupied words of bits0 */
  guint64  bits1[L1_WORDS];
  gsize    in_buckets;
  SimHeap  ready;              /* tick <= cur */
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

static void
bucket_add (SimWheel *w, unsigned bi, SimEvent *ev)
{
  Bucket *b = &w->b[bi];
  if (b->n == b->cap)
    bucket_grow (w, b);
  b->a[b->n] = ev;
  ev->pos = b->n++;
  ev->bucket = bi;
  ev->where = SIM_WHERE_WHEEL;
  w->in_buckets++;
  if (b->n == 1)
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

/* Empties bucket @bi and re-places its events relative to the cursor.
 * The bucket's array goes to the spares of its size (as does the array
 * of a bucket emptied by removals), so the arrays in use hold at most
 * twice the events pending, whatever the history. */
static void
bucket_pour (SimWheel *w, unsigned bi)
{
  Bucket taken = w->b[bi];
  w->b[bi] = (Bucket) { NULL, 0, 0 };
  w->in_buckets -= taken.n;
  bucket_emptied (w, bi);
  /* The events are cold; fetch a few ahead so their misses overlap. */
  for (guint32 i = 0; i < taken.n && i < 8; i++)
    __builtin_prefetch (taken.a[i], 1);
  for (guint32 i = 0; i < taken.n; i++)
    {
      if (i + 8 < taken.n)
        __builtin_prefetch (taken.a[i + 8], 1);
      wheel_place (w, taken.a[i]);
    }
  /* Big arrays (a level-1 bucket holds a whole 68.7 s of events) are
   * freed: one free per level-1 pour. */
  if (taken.cap > 0)
    spare_put (w, taken.a, taken.cap);
}

/* Moves the cursor to the next occupied place and pours it.
 * Precondition: the ready heap is empty and some event is pending. */
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
  w->b = g_new0 (Bucket, NBUCKETS);
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
  g_free (w->b);
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
    case SIM_WHERE_OVERFLOW:
      sim_heap_remove (&w->overflow, ev);
      return;
    default:
      break;
    }
  g_assert (ev->where == SIM_WHERE_WHEEL);
  Bucket *b = &w->b[ev->bucket];
  guint32 i = ev->pos;
  g_assert (i < b->n && b->a[i] == ev);
  b->a[i] = b->a[--b->n];
  if (i < b->n)
    b->a[i]->pos = i;
  if (b->n == 0)
    {
      bucket_emptied (w, ev->bucket);
      spare_put (w, b->a, b->cap);
      *b = (Bucket) { NULL, 0, 0 };
    }
  w->in_buckets--;
  ev->where = SIM_WHERE_IDLE;
}

static SimEvent *
wheel_pop (void *q, SimTime until)
{
  SimWheel *w = q;
  while (w->ready.n == 0)
    {
      if (w->in_buckets == 0 && w->overflow.n == 0)
        return NULL;
      /* Everything outside the ready heap is due after cur's tick. */
      if (until != SIM_TIME_NEVER && tick_of (until) <= w->cur)
        return NULL;
      wheel_advance (w);
    }
  if (sim_heap_min_when (&w->ready) > until)
    return NULL;
  return sim_heap_pop (&w->ready);
}

static gsize
wheel_size (void *q)
{
  SimWheel *w = q;
  return w->in_buckets + w->ready.n + w->overflow.n;
}

const SimQueueOps sim_wheel_ops = {
  .name = "wheel",
  .create = wheel_create,
  .destroy = wheel_destroy,
  .insert = wheel_insert,
  .remove = wheel_remove,
  .pop = wheel_pop,
  .run_until = NULL,
  .size = wheel_size,
};
