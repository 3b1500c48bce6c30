/* sim/rng.c — reproducible random streams.
 *
 * xoshiro256** (Blackman and Vigna 2018), its 256-bit state filled by
 * SplitMix64 as the authors recommend.  The SplitMix64 seed is a chain of
 * SplitMix64 steps over (seed, point, rep, FNV-1a 64 of the name), so a
 * change in any one input changes every state word, and swapping two
 * inputs gives another stream.  Everything up to the double conversion in
 * sim_rng_uniform() is integer arithmetic, so a stream is the same on any
 * platform; the exponential draws use log1p() and depend on libm being
 * correctly rounded in practice (glibc's is).
 *
 * Not here: jump-ahead (streams are derived by name instead), a global or
 * thread-local generator, and cryptographic quality.
 */
#include <math.h>
#include <glib.h>
#include "sim/rng.h"
#include "sim/rng_private.h"

guint64
sim_rng_splitmix64_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

guint64
sim_rng_fnv1a64 (const char *s)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (; *s != '\0'; s++)
    {
      h ^= (guchar) *s;
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

/* One SplitMix64 step from @x: a bijective, well-mixed function. */
static guint64
rng_mix (guint64 x)
{
  return sim_rng_splitmix64_next (&x);
}

void
sim_rng_init (SimRng *rng, guint64 seed, guint64 point, guint64 rep,
              const char *name)
{
  guint64 k;

  g_return_if_fail (rng != NULL);
  g_return_if_fail (name != NULL);

  /* Mixing after each input (rather than XOR-ing them all first) keeps
   * (seed=1, point=2) and (seed=2, point=1) apart. */
  k = rng_mix (seed);
  k = rng_mix (k ^ point);
  k = rng_mix (k ^ rep);
  k = rng_mix (k ^ sim_rng_fnv1a64 (name));

  /* SplitMix64 outputs from four consecutive states are four different
   * values (the output function is a bijection), so at most one is zero
   * and the state is never all zero, which xoshiro cannot leave. */
  for (int i = 0; i < 4; i++)
    rng->s[i] = sim_rng_splitmix64_next (&k);
}

static inline guint64
rng_rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
sim_rng_next_u64 (SimRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rng_rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rng_rotl (s[3], 45);
  return result;
}

double
sim_rng_uniform (SimRng *rng)
{
  /* The top 53 bits times 2^-53: every double k/2^53 equally likely. */
  return (double) (sim_rng_next_u64 (rng) >> 11) * 0x1.0p-53;
}

/* Rejection from the bottom (as OpenBSD's arc4random_uniform): the first
 * 2^64 mod n values of a 64-bit draw are dropped so the rest are a whole
 * number of copies of [0, n).  At most half are dropped, usually almost
 * none. */
guint64
sim_rng_below (SimRng *rng, guint64 n)
{
  guint64 threshold, r;

  g_return_val_if_fail (n > 0, 0);

  threshold = (0 - n) % n;            /* 2^64 mod n */
  do
    r = sim_rng_next_u64 (rng);
  while (r < threshold);
  return r % n;
}

SimTime
sim_rng_time_between (SimRng *rng, SimTime a, SimTime b)
{
  guint64 span, u;

  g_return_val_if_fail (a <= b, a);

  /* Unsigned arithmetic: b - a may not fit in a SimTime. */
  span = (guint64) b - (guint64) a;
  if (span == G_MAXUINT64)
    u = sim_rng_next_u64 (rng);
  else
    u = sim_rng_below (rng, span + 1);
  u += (guint64) a;

  /* Back to signed without the implementation-defined conversion of a
   * value above INT64_MAX: such a u stands for u - 2^64 = -(~u) - 1. */
  return u <= (guint64) INT64_MAX ? (SimTime) u : -(SimTime) ~u - 1;
}

/* Inversion: 1 - u lies in (0, 1], so the log is finite; log1p keeps the
 * small values accurate.  A mean of 0 gives 0. */
double
sim_rng_exponential (SimRng *rng, double mean)
{
  g_return_val_if_fail (mean >= 0, 0.0);

  return -mean * log1p (-sim_rng_uniform (rng));
}

SimTime
sim_rng_exp_time (SimRng *rng, SimTime mean)
{
  double x;

  g_return_val_if_fail (mean >= 0, 0);

  x = sim_rng_exponential (rng, (double) mean);
  /* The tail reaches about 37 means; converting a double beyond the int64
   * range is undefined, so huge means saturate at SIM_TIME_NEVER. */
  if (x >= 0x1.0p63)
    return SIM_TIME_NEVER;
  return (SimTime) floor (x + 0.5);
}

/* Always draws once, even when p <= 0 or p >= 1, so sweeping p keeps the
 * draws after this one aligned across sweep points. */
gboolean
sim_rng_bernoulli (SimRng *rng, double p)
{
  return sim_rng_uniform (rng) < p;
}
