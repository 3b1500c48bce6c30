/* models/latency.h — an exact multiset of latencies in little memory.
 *
 * Every answered HTTP request leaves one latency, and flows.tsv and
 * points.tsv report exact nearest-rank percentiles of them, so no sample
 * may be dropped or rounded.  But a simulated path has fixed delays, so
 * most latencies repeat exactly: a Latencies keeps each distinct value
 * once with its count (LatencyBin, sorted), folding in the newest samples
 * every few (latency_add).  When the values turn out mostly distinct (at
 * least 256 samples, and more than half as many distinct values), it
 * stops counting and keeps every sample, 8 bytes each, as a plain array
 * would.  Percentiles are the same either way.
 */
#pragma once

#include <glib.h>

#include "sim/time.h"

G_BEGIN_DECLS

typedef struct {
  SimTime value;
  guint64 count;
} LatencyBin;

typedef struct {
  GArray  *recent;     /* SimTime, samples not yet in bins (or all of them) */
  GArray  *bins;       /* LatencyBin by value, or NULL: every sample is in recent */
  guint64  n;          /* samples in all */
  gboolean sorted;     /* recent and bins are sorted (latency_sort) */
} Latencies;

/* The nearest rank of @percent (1..100) among @n >= 1 samples:
 * ceil (@percent·n/100), in integer arithmetic. */
guint64  latency_rank       (guint percent, guint64 n);
/* Sorts @n samples ascending, in place. */
void     latency_sort_times (SimTime *v, gsize n);

void     latency_init       (Latencies *l);
void     latency_clear      (Latencies *l);
void     latency_add        (Latencies *l, SimTime v);
guint64  latency_count      (const Latencies *l);
/* Adds every sample of @from to @into (for a total over many). */
void     latency_merge      (Latencies *into, const Latencies *from);
/* Sorts in place, so latency_percentile on @l needs no copy. */
void     latency_sort       (Latencies *l);
/* Nearest-rank percentile: the value of rank ceil (@percent·n/100),
 * @percent in 1..100 (http_latency_percentile over every sample);
 * SIM_TIME_NEVER when empty.  Copies what latency_sort has not sorted. */
SimTime  latency_percentile (const Latencies *l, guint percent);

G_END_DECLS
