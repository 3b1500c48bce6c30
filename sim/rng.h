/* sim/rng.h — reproducible random streams.
 *
 * Each consumer draws from its own stream, derived from
 * (seed, point, repetition, stream name), so adding a consumer never shifts
 * another one's draws, and a sweep point gives the same numbers on any
 * thread or cluster shard.  The generator is xoshiro256** seeded through
 * SplitMix64 from a 64-bit FNV-1a hash of the name; all arithmetic is
 * integer, so streams are identical on every platform.
 */
#pragma once

#include <glib.h>
#include "sim/time.h"

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];           /* private */
} SimRng;

/* Derives the stream for (seed, point, rep, name) into @rng (embedded). */
void     sim_rng_init        (SimRng *rng, guint64 seed, guint64 point,
                              guint64 rep, const char *name);
guint64  sim_rng_next_u64    (SimRng *rng);
/* Uniform in [0, 1) with 53 random bits. */
double   sim_rng_uniform     (SimRng *rng);
/* Uniform integer in [0, n), unbiased (n > 0). */
guint64  sim_rng_below       (SimRng *rng, guint64 n);
/* Uniform SimTime in [a, b] (a <= b). */
SimTime  sim_rng_time_between (SimRng *rng, SimTime a, SimTime b);
/* Exponential with the given mean (> 0), as a double. */
double   sim_rng_exponential (SimRng *rng, double mean);
/* Exponential with mean @mean, rounded to whole ns (>= 0). */
SimTime  sim_rng_exp_time    (SimRng *rng, SimTime mean);
/* TRUE with probability p (p <= 0: never, p >= 1: always). */
gboolean sim_rng_bernoulli   (SimRng *rng, double p);

G_END_DECLS
