/* models/latency.c — an exact multiset of latencies (latency.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "models/latency.h"

/* Distinct values and samples at which counting stops paying: a bin is
 * 16 bytes, a sample 8. */
#define LATENCY_MIN_EVIDENCE 256

static int
cmp_time (const void *a, const void *b)
{
  SimTime x = *(const SimTime *) a, y = *(const SimTime *) b;

  return x < y ? -1 : x > y;
}

static int
cmp_bin (const void *a, const void *b)
{
  return cmp_time (&((const LatencyBin *) a)->value, &((const LatencyBin *) b)->value);
}

/* qsort, which must not see the NULL of an empty GArray. */
static void
sort_array (void *data, gsize n, gsize size, int (*cmp) (const void *, const void *))
{
  if (n > 1)
    qsort (data, n, size, cmp);
}

guint64
latency_rank (guint percent, guint64 n)
{
  return ((guint64) percent * n + 99) / 100;     /* ceil, >= 1 */
}

void
latency_sort_times (SimTime *v, gsize n)
{
  sort_array (v, n, sizeof *v, cmp_time);
}

void
latency_init (Latencies *l)
{
  l->recent = g_array_new (FALSE, FALSE, sizeof (SimTime));
  l->bins = g_array_new (FALSE, FALSE, sizeof (LatencyBin));
  l->n = 0;
  l->sorted = TRUE;
}

void
latency_clear (Latencies *l)
{
  g_clear_pointer (&l->recent, g_array_unref);
  g_clear_pointer (&l->bins, g_array_unref);
  l->n = 0;
}

guint64
latency_count (const Latencies *l)
{
  return l->n;
}

/* Folds the sorted samples @v[0..@n) into the sorted bins @bins: a
 * merge into a new array. */
static GArray *
bins_fold (GArray *bins, const SimTime *v, guint n)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (LatencyBin), bins->len + 1);
  guint i = 0, k = 0;

  while (i < bins->len || k < n)
    {
      LatencyBin b;

      if (k == n || (i < bins->len && g_array_index (bins, LatencyBin, i).value <= v[k]))
        b = g_array_index (bins, LatencyBin, i++);
      else
        b = (LatencyBin) { v[k++], 1 };
      while (k < n && v[k] == b.value)
        {
          b.count++;
          k++;
        }
      if (out->len > 0 && g_array_index (out, LatencyBin, out->len - 1).value == b.value)
        g_array_index (out, LatencyBin, out->len - 1).count += b.count;
      else
        g_array_append_val (out, b);
    }
  g_array_unref (bins);
  return out;
}

/* Every bin back to samples: counting does not pay for @l. */
static void
bins_expand (Latencies *l)
{
  for (guint i = 0; i < l->bins->len; i++)
    {
      const LatencyBin *b = &g_array_index (l->bins, LatencyBin, i);

      for (guint64 c = 0; c < b->count; c++)
        g_array_append_val (l->recent, b->value);
    }
  g_clear_pointer (&l->bins, g_array_unref);
}

void
latency_add (Latencies *l, SimTime v)
{
  g_array_append_val (l->recent, v);
  l->n++;
  l->sorted = FALSE;
  if (l->bins == NULL || l->recent->len < MAX (8u, l->bins->len))
    return;
  sort_array (l->recent->data, l->recent->len, sizeof (SimTime), cmp_time);
  l->bins = bins_fold (l->bins, (const SimTime *) l->recent->data, l->recent->len);
  g_array_set_size (l->recent, 0);
  if (l->n >= LATENCY_MIN_EVIDENCE && 2 * (guint64) l->bins->len > l->n)
    bins_expand (l);
}

void
latency_merge (Latencies *into, const Latencies *from)
{
  if (from->recent->len > 0)
    g_array_append_vals (into->recent, from->recent->data, from->recent->len);
  if (from->bins != NULL && from->bins->len > 0)
    {
      if (into->bins == NULL)
        into->bins = g_array_new (FALSE, FALSE, sizeof (LatencyBin));
      g_array_append_vals (into->bins, from->bins->data, from->bins->len);
    }
  into->n += from->n;
  into->sorted = FALSE;
}

void
latency_sort (Latencies *l)
{
  sort_array (l->recent->data, l->recent->len, sizeof (SimTime), cmp_time);
  if (l->bins != NULL)
    sort_array (l->bins->data, l->bins->len, sizeof (LatencyBin), cmp_bin);
  l->sorted = TRUE;
}

SimTime
latency_percentile (const Latencies *l, guint percent)
{
  g_autofree SimTime *v_copy = NULL;
  g_autofree LatencyBin *b_copy = NULL;
  const SimTime *v = (const SimTime *) l->recent->data;
  guint nv = l->recent->len, nb = l->bins != NULL ? l->bins->len : 0;
  const LatencyBin *b = nb > 0 ? (const LatencyBin *) l->bins->data : NULL;
  guint64 rank, seen = 0;
  guint i = 0, k = 0;

  g_return_val_if_fail (percent >= 1 && percent <= 100, SIM_TIME_NEVER);
  if (l->n == 0)
    return SIM_TIME_NEVER;
  if (!l->sorted)
    {
      if (nv > 0)
        {
          v = v_copy = g_memdup2 (v, (gsize) nv * sizeof *v);
          sort_array (v_copy, nv, sizeof *v_copy, cmp_time);
        }
      if (nb > 0)
        {
          b = b_copy = g_memdup2 (b, (gsize) nb * sizeof *b);
          sort_array (b_copy, nb, sizeof *b_copy, cmp_bin);
        }
    }
  rank = latency_rank (percent, l->n);
  for (;;)
    {
      SimTime value;

      /* The lesser head of the two sorted sequences; rank <= n, so one
       * of them still holds a value whenever this loop runs. */
      if (k == nv || (i < nb && b[i].value <= v[k]))
        {
          value = b[i].value;
          seen += b[i++].count;
        }
      else
        {
          value = v[k++];
          seen++;
        }
      if (seen >= rank)
        return value;
    }
}
