/* models/flow_table.h — a compact hash set of 32-bit ids keyed by the
 * FlowKey each id stands for (the NAT's tuple tables, the world's server
 * demux).
 *
 * Why not GHashTable: at 10^6 entries a GLib set costs 12 bytes per slot
 * (an 8-byte pointer and a 4-byte hash) over 2^21 slots, ~25 bytes per
 * entry; this table keeps one 32-bit word per slot, at most 3/4 full:
 * 5-11 bytes per entry.  The owner keeps the keys (in its flow or entry
 * records) and hands a function that returns the key of an id; the table
 * stores no keys and allocates only its slot array.
 *
 * A slot holds id + 1 in its low id_bits bits (just enough for the
 * largest id added so far) and, above them, a tag: the top bits of the
 * key's 64-bit hash.  A probe whose tag differs skips the key compare, so
 * at 10^6 entries a lookup reads one key record (a cache miss) instead of
 * one per occupied slot it passes (1.5-2.5 at this load).  With 20-bit ids
 * the tag has 12 bits: one in 4096 foreign slots still costs a compare.
 *
 * Open addressing with linear probing; removal shifts the following run
 * back (Knuth 6.4 Algorithm R), so there are no tombstones and lookups
 * stay short whatever the history.  Iteration order is never exposed:
 * callers must not depend on it (STYLE.md determinism).  Costs: lookup,
 * add and remove O(1) expected; growth (of the array, or of id_bits when
 * an id needs one more bit) rebuilds the array, O(n) once per doubling.
 * Header-only (static inline), so each user's key function is inlined.
 */
#pragma once

#include <string.h>
#include <glib.h>
#include "models/packet.h"

G_BEGIN_DECLS

#define FLOW_TABLE_NONE G_MAXUINT32   /* "no id" */

typedef struct {
  guint32 *slot;     /* tag | (id + 1); 0 = empty */
  guint32  mask;     /* slots - 1 (a power of two minus 1), 0 before first add */
  guint32  n;        /* ids held */
  guint32  id_mask;  /* low bits that hold id + 1 (2^id_bits - 1) */
} FlowTable;

/* The key of @id (borrowed; valid while @id is in the table). */
typedef const FlowKey *(*FlowTableKeyFunc) (const void *ctx, guint32 id);

static inline void
flow_table_init (FlowTable *t)
{
  t->slot = NULL;
  t->mask = 0;
  t->n = 0;
  t->id_mask = 0;
}

static inline void
flow_table_clear (FlowTable *t)
{
  g_free (t->slot);
  flow_table_init (t);
}

static inline guint32
flow_table_size (const FlowTable *t)
{
  return t->n;
}

/* Removes every id; keeps the slot array. */
static inline void
flow_table_remove_all (FlowTable *t)
{
  if (t->slot != NULL)
    memset (t->slot, 0, ((gsize) t->mask + 1) * sizeof (guint32));
  t->n = 0;
}

/* Where a probe for a key hashing to @h starts. */
static inline guint32
flow_table_home_of (const FlowTable *t, guint64 h)
{
  return (guint32) h & t->mask;
}

/* The tag bits of a slot for a key hashing to @h (above id_mask). */
static inline guint32
flow_table_tag_of (const FlowTable *t, guint64 h)
{
  return (guint32) (h >> 32) & ~t->id_mask;
}

static inline guint32
flow_table_home (const FlowTable *t, const FlowKey *k)
{
  return flow_table_home_of (t, flow_key_hash64 (k));
}

/* The id whose key equals @key, or FLOW_TABLE_NONE. */
static inline guint32
flow_table_lookup (const FlowTable *t, const FlowKey *key,
                   FlowTableKeyFunc key_of, const void *ctx)
{
  if (t->n == 0)
    return FLOW_TABLE_NONE;
  guint64 h = flow_key_hash64 (key);
  guint32 tag = flow_table_tag_of (t, h);
  for (guint32 i = flow_table_home_of (t, h);; i = (i + 1) & t->mask)
    {
      guint32 s = t->slot[i];
      if (s == 0)
        return FLOW_TABLE_NONE;
      if ((s & ~t->id_mask) == tag
          && flow_key_same (key_of (ctx, (s & t->id_mask) - 1), key))
        return (s & t->id_mask) - 1;
    }
}

/* A prefetch hint (sim_schedule_hinted); changes nothing.  Stage 1 fetches
 * the slot where a lookup of @key starts, stage 2 reads the run there
 * (fetched by then) and fetches the key of the first id whose tag
 * matches, the one the lookup will compare.  @key_of must only compute
 * an address. */
static inline void
flow_table_prefetch (const FlowTable *t, const FlowKey *key, int stage,
                     FlowTableKeyFunc key_of, const void *ctx)
{
  if (t->n == 0)
    return;
  guint64 h = flow_key_hash64 (key);
  guint32 i = flow_table_home_of (t, h);
  if (stage == 1)
    {
      __builtin_prefetch (&t->slot[i]);
      return;
    }
  guint32 tag = flow_table_tag_of (t, h);
  for (int k = 0; k < 4; k++, i = (i + 1) & t->mask)
    {
      guint32 s = t->slot[i];
      if (s == 0)
        return;
      if ((s & ~t->id_mask) == tag)
        {
          __builtin_prefetch (key_of (ctx, (s & t->id_mask) - 1));
          return;
        }
    }
}

static inline void
flow_table_put (FlowTable *t, guint32 id, FlowTableKeyFunc key_of, const void *ctx)
{
  guint64 h = flow_key_hash64 (key_of (ctx, id));
  guint32 i = flow_table_home_of (t, h);

  while (t->slot[i] != 0)
    i = (i + 1) & t->mask;
  t->slot[i] = flow_table_tag_of (t, h) | (id + 1);
}

/* Adds @id, whose key must not be in the table yet (callers look up
 * first).  @id < FLOW_TABLE_NONE. */
static inline void
flow_table_add (FlowTable *t, guint32 id, FlowTableKeyFunc key_of, const void *ctx)
{
  g_assert (id < FLOW_TABLE_NONE);
  /* Keep at most 3/4 full, and room for id + 1 below the tag: rebuild
   * before an add that would break either. */
  gboolean full = t->slot == NULL
                  || (guint64) (t->n + 1) * 4 > ((guint64) t->mask + 1) * 3;
  if (full || ((id + 1) & ~t->id_mask) != 0)
    {
      guint32 *old = t->slot;
      guint32 old_n = t->slot != NULL ? t->mask + 1 : 0;
      guint32 old_ids = t->id_mask;
      guint32 n = old_n == 0 ? 64 : full ? old_n * 2 : old_n;

      while (((id + 1) & ~t->id_mask) != 0)
        t->id_mask = t->id_mask * 2 + 1;
      t->slot = g_new0 (guint32, n);
      t->mask = n - 1;
      for (guint32 i = 0; i < old_n; i++)
        if (old[i] != 0)
          flow_table_put (t, (old[i] & old_ids) - 1, key_of, ctx);
      g_free (old);
    }
  flow_table_put (t, id, key_of, ctx);
  t->n++;
}

/* Removes @id (found through its key); FALSE if it was not there. */
static inline gboolean
flow_table_remove (FlowTable *t, guint32 id, FlowTableKeyFunc key_of, const void *ctx)
{
  guint32 i, j;

  if (t->n == 0)
    return FALSE;
  for (i = flow_table_home (t, key_of (ctx, id));; i = (i + 1) & t->mask)
    {
      if (t->slot[i] == 0)
        return FALSE;
      if ((t->slot[i] & t->id_mask) == id + 1)
        break;
    }
  /* Shift back every later member of the run that may live at i. */
  for (j = (i + 1) & t->mask; t->slot[j] != 0; j = (j + 1) & t->mask)
    {
      guint32 h = flow_table_home (t, key_of (ctx, (t->slot[j] & t->id_mask) - 1));
      /* The entry at j may move to i iff its home is not in (i, j]. */
      if (((j - h) & t->mask) >= ((j - i) & t->mask))
        {
          t->slot[i] = t->slot[j];
          i = j;
        }
    }
  t->slot[i] = 0;
  t->n--;
  return TRUE;
}

G_END_DECLS
