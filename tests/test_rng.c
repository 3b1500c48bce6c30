/* tests/test_rng.c — random streams (sim/rng.c).
 *
 * The building blocks are checked against published reference vectors
 * (SplitMix64, FNV-1a, xoshiro256**); the streams themselves are checked
 * for determinism, independence and their distributions.  Statistical
 * bounds are at least six standard deviations wide, so with fixed seeds
 * they only fail when the code is wrong.  No stream output is pinned as a
 * golden value: that would only copy the program's own output.
 */
#include <math.h>
#include <string.h>
#include <glib.h>
#include "sim/rng.h"
#include "sim/rng_private.h"

#define N_DRAWS 1000000

static void
test_splitmix64_reference (void)
{
  /* Vigna's splitmix64.c from state 0 */
  static const guint64 want[] = {
    G_GUINT64_CONSTANT (0xe220a8397b1dcdaf),
    G_GUINT64_CONSTANT (0x6e789e6aa1b965f4),
    G_GUINT64_CONSTANT (0x06c45d188009454f),
    G_GUINT64_CONSTANT (0xf88bb8a8724c81ec),
  };
  guint64 state = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmphex (sim_rng_splitmix64_next (&state), ==, want[i]);
}

static void
test_fnv1a64_reference (void)
{
  /* the FNV test suite: the empty string gives the offset basis */
  g_assert_cmphex (sim_rng_fnv1a64 (""), ==,
                   G_GUINT64_CONSTANT (0xcbf29ce484222325));
  g_assert_cmphex (sim_rng_fnv1a64 ("a"), ==,
                   G_GUINT64_CONSTANT (0xaf63dc4c8601ec8c));
  g_assert_cmphex (sim_rng_fnv1a64 ("foobar"), ==,
                   G_GUINT64_CONSTANT (0x85944171f73967e8));
}

static void
test_xoshiro_reference (void)
{
  /* xoshiro256** from state {1, 2, 3, 4}, the reference sequence used by
   * several independent ports.  White-box: sets the private state. */
  static const guint64 want[] = {
    G_GUINT64_CONSTANT (11520),
    G_GUINT64_CONSTANT (0),
    G_GUINT64_CONSTANT (1509978240),
    G_GUINT64_CONSTANT (1215971899390074240),
    G_GUINT64_CONSTANT (1216172134540287360),
    G_GUINT64_CONSTANT (607988272756665600),
    G_GUINT64_CONSTANT (16172922978634559625),
    G_GUINT64_CONSTANT (8476171486693032832),
    G_GUINT64_CONSTANT (10595114339597558777),
    G_GUINT64_CONSTANT (2904607092377533576),
  };
  SimRng rng = { { 1, 2, 3, 4 } };

  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpuint (sim_rng_next_u64 (&rng), ==, want[i]);
}

static void
test_init_deterministic (void)
{
  SimRng a, b;

  sim_rng_init (&a, 42, 3, 1, "link:wan:loss");
  sim_rng_init (&b, 42, 3, 1, "link:wan:loss");
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (sim_rng_next_u64 (&a), ==, sim_rng_next_u64 (&b));

  /* re-initialising restarts the stream, whatever was drawn before */
  sim_rng_init (&a, 42, 3, 1, "link:wan:loss");
  sim_rng_init (&b, 42, 3, 1, "link:wan:loss");
  for (int i = 0; i < 1000; i++)
    g_assert_cmpfloat (sim_rng_uniform (&a), ==, sim_rng_uniform (&b));
}

/* Each tuple differs from the first in one input only. */
static void
test_init_independent (void)
{
  static const struct {
    guint64     seed, point, rep;
    const char *name;
  } tuples[] = {
    { 42, 3, 1, "link:wan:loss" },
    { 43, 3, 1, "link:wan:loss" },
    { 42, 4, 1, "link:wan:loss" },
    { 42, 3, 2, "link:wan:loss" },
    { 42, 3, 1, "link:wan:lost" },
    { 42, 3, 1, "link:wan:loss2" },
    { 42, 3, 1, "" },
    { 3, 42, 1, "link:wan:loss" },          /* seed and point swapped */
    { 42, 1, 3, "link:wan:loss" },          /* point and rep swapped */
    { 0, 0, 0, "" },
  };
  enum { N = G_N_ELEMENTS (tuples), DRAWS = 1000 };
  g_autofree guint64 *v = g_new (guint64, N * DRAWS);

  for (gsize i = 0; i < N; i++)
    {
      SimRng rng;

      sim_rng_init (&rng, tuples[i].seed, tuples[i].point, tuples[i].rep,
                    tuples[i].name);
      for (int k = 0; k < DRAWS; k++)
        v[i * DRAWS + k] = sim_rng_next_u64 (&rng);
    }

  /* Two unrelated 64-bit streams agree at a given position with
   * probability 2^-64: any equal position means the streams are related. */
  for (gsize i = 0; i < N; i++)
    for (gsize j = i + 1; j < N; j++)
      for (int k = 0; k < DRAWS; k++)
        if (v[i * DRAWS + k] == v[j * DRAWS + k])
          g_error ("tuples %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT
                   " agree at draw %d", i, j, k);
}

static void
test_init_state_nonzero (void)
{
  static const char *names[] = { "", "a", "link:wan:loss" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    for (guint64 seed = 0; seed < 4; seed++)
      {
        SimRng rng;

        sim_rng_init (&rng, seed, 0, 0, names[i]);
        g_assert_true ((rng.s[0] | rng.s[1] | rng.s[2] | rng.s[3]) != 0);
      }
}

static void
test_uniform (void)
{
  SimRng rng;
  double sum = 0, sum_sq = 0, mean, var;

  sim_rng_init (&rng, 1, 0, 0, "test:uniform");
  for (int i = 0; i < N_DRAWS; i++)
    {
      double u = sim_rng_uniform (&rng);

      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
      sum_sq += (u - 0.5) * (u - 0.5);
    }
  /* mean 1/2, sd of the mean sqrt(1/12) / 1000 = 2.9e-4 */
  mean = sum / N_DRAWS;
  g_assert_cmpfloat (fabs (mean - 0.5), <, 0.002);
  /* variance 1/12, sd of the estimate sqrt(1/80 - 1/144) / 1000 = 7.5e-5 */
  var = sum_sq / N_DRAWS;
  g_assert_cmpfloat (fabs (var - 1.0 / 12), <, 0.0006);
}

static void
test_below_range (void)
{
  static const guint64 ns[] = {
    1, 2, 3, 7, 1000,
    G_GUINT64_CONSTANT (0x8000000000000001),     /* 2^63 + 1: worst case */
    G_MAXUINT64,
  };
  SimRng rng;

  sim_rng_init (&rng, 2, 0, 0, "test:below");
  for (gsize i = 0; i < G_N_ELEMENTS (ns); i++)
    for (int k = 0; k < 10000; k++)
      g_assert_cmpuint (sim_rng_below (&rng, ns[i]), <, ns[i]);
  for (int k = 0; k < 100; k++)
    g_assert_cmpuint (sim_rng_below (&rng, 1), ==, 0);
}

static void
test_below_uniform (void)
{
  guint counts[10] = { 0 };
  SimRng rng;

  sim_rng_init (&rng, 3, 0, 0, "test:below");
  for (int i = 0; i < N_DRAWS; i++)
    counts[sim_rng_below (&rng, 10)]++;
  /* each count: 100000 expected, sd sqrt(10^6 * 0.1 * 0.9) = 300 */
  for (int k = 0; k < 10; k++)
    {
      g_assert_cmpuint (counts[k], >, 98000);
      g_assert_cmpuint (counts[k], <, 102000);
    }
}

/* With n = 3 * 2^62, a plain r % n maps both [0, 2^62) and [3 * 2^62, 2^64)
 * onto [0, 2^62), so half the results would fall there instead of a
 * third. */
static void
test_below_unbiased (void)
{
  const guint64 n = G_GUINT64_CONSTANT (3) << 62;
  const guint64 quarter = G_GUINT64_CONSTANT (1) << 62;
  const int draws = 100000;
  int low = 0;
  SimRng rng;

  sim_rng_init (&rng, 4, 0, 0, "test:below");
  for (int i = 0; i < draws; i++)
    if (sim_rng_below (&rng, n) < quarter)
      low++;
  /* sd of the fraction: sqrt(2/9 / 10^5) = 0.0015 */
  g_assert_cmpfloat (fabs ((double) low / draws - 1.0 / 3), <, 0.01);
}

static void
test_time_between (void)
{
  gboolean seen[11] = { FALSE };
  gboolean top = FALSE, below_top = FALSE, neg = FALSE, pos = FALSE;
  gboolean bottom = FALSE, above_bottom = FALSE;
  double sum = 0;
  SimRng rng;

  sim_rng_init (&rng, 5, 0, 0, "test:time");

  for (int i = 0; i < 100; i++)
    g_assert_cmpint (sim_rng_time_between (&rng, SIM_S (7), SIM_S (7)), ==,
                     SIM_S (7));

  /* both ends are included */
  for (int i = 0; i < 10000; i++)
    {
      SimTime t = sim_rng_time_between (&rng, -5, 5);

      g_assert_cmpint (t, >=, -5);
      g_assert_cmpint (t, <=, 5);
      seen[t + 5] = TRUE;
    }
  for (int k = 0; k < 11; k++)
    g_assert_true (seen[k]);

  for (int i = 0; i < 1000; i++)
    {
      SimTime t = sim_rng_time_between (&rng, INT64_MAX - 1, INT64_MAX);

      top |= t == INT64_MAX;
      below_top |= t == INT64_MAX - 1;
      t = sim_rng_time_between (&rng, INT64_MIN, INT64_MIN + 1);
      bottom |= t == INT64_MIN;
      above_bottom |= t == INT64_MIN + 1;
      /* the whole range: the span does not fit in a SimTime */
      t = sim_rng_time_between (&rng, INT64_MIN, INT64_MAX);
      neg |= t < 0;
      pos |= t > 0;
    }
  g_assert_true (top && below_top && bottom && above_bottom && neg && pos);

  /* uniform on [0, 10 s]: mean 5 s, sd of the mean 2.89 s / 1000 */
  for (int i = 0; i < N_DRAWS; i++)
    sum += SIM_TIME_TO_S (sim_rng_time_between (&rng, 0, SIM_S (10)));
  g_assert_cmpfloat (fabs (sum / N_DRAWS - 5.0), <, 0.02);
}

static void
test_exponential (void)
{
  const double mean = 2.5;
  double sum = 0;
  int above = 0;
  SimRng rng;

  sim_rng_init (&rng, 6, 0, 0, "test:exp");
  for (int i = 0; i < N_DRAWS; i++)
    {
      double x = sim_rng_exponential (&rng, mean);

      g_assert_cmpfloat (x, >=, 0.0);
      g_assert_true (isfinite (x));
      sum += x;
      above += x > mean;
    }
  /* sd of the mean: mean / 1000, so 1% is 10 sd */
  g_assert_cmpfloat (fabs (sum / N_DRAWS / mean - 1), <, 0.01);
  /* P(X > mean) = 1/e = 0.3679, sd 4.8e-4 */
  g_assert_cmpfloat (fabs ((double) above / N_DRAWS - exp (-1)), <, 0.003);

  g_assert_cmpfloat (sim_rng_exponential (&rng, 0), ==, 0.0);
}

static void
test_exp_time (void)
{
  const SimTime mean = SIM_MS (100);
  double sum = 0;
  gint64 sum_ns = 0;
  SimRng rng;

  sim_rng_init (&rng, 7, 0, 0, "test:exp");
  for (int i = 0; i < N_DRAWS; i++)
    {
      SimTime t = sim_rng_exp_time (&rng, mean);

      g_assert_cmpint (t, >=, 0);
      sum += (double) t;
    }
  g_assert_cmpfloat (fabs (sum / N_DRAWS / (double) mean - 1), <, 0.01);

  /* Rounding to nearest, with mean 1 ns: E[round(X)] = sum over k >= 1 of
   * P(X >= k - 1/2) = e^(-1/2) / (1 - e^-1) = 0.95951 (truncation would
   * give 0.58198); sd of the mean about 1e-3. */
  for (int i = 0; i < N_DRAWS; i++)
    sum_ns += sim_rng_exp_time (&rng, 1);
  g_assert_cmpfloat (fabs ((double) sum_ns / N_DRAWS - 0.95951), <, 0.005);

  g_assert_cmpint (sim_rng_exp_time (&rng, 0), ==, 0);
  /* the tail beyond INT64_MAX saturates instead of overflowing */
  for (int i = 0; i < 1000; i++)
    g_assert_cmpint (sim_rng_exp_time (&rng, INT64_MAX / 2), >=, 0);
}

static void
test_bernoulli (void)
{
  int hits = 0;
  SimRng rng, a, b;

  sim_rng_init (&rng, 8, 0, 0, "test:bernoulli");
  for (int i = 0; i < N_DRAWS; i++)
    hits += sim_rng_bernoulli (&rng, 0.3);
  /* sd of the frequency: sqrt(0.21 / 10^6) = 4.6e-4 */
  g_assert_cmpfloat (fabs ((double) hits / N_DRAWS - 0.3), <, 0.003);

  for (int i = 0; i < 10000; i++)
    {
      g_assert_false (sim_rng_bernoulli (&rng, 0.0));
      g_assert_false (sim_rng_bernoulli (&rng, -1.0));
      g_assert_true (sim_rng_bernoulli (&rng, 1.0));
      g_assert_true (sim_rng_bernoulli (&rng, 2.0));
    }

  /* one draw whatever p is, so the rest of a stream does not depend on a
   * swept probability */
  sim_rng_init (&a, 9, 0, 0, "test:bernoulli");
  sim_rng_init (&b, 9, 0, 0, "test:bernoulli");
  sim_rng_bernoulli (&a, 0.0);
  sim_rng_bernoulli (&b, 0.5);
  g_assert_cmpuint (sim_rng_next_u64 (&a), ==, sim_rng_next_u64 (&b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rng/splitmix64/reference", test_splitmix64_reference);
  g_test_add_func ("/rng/fnv1a64/reference", test_fnv1a64_reference);
  g_test_add_func ("/rng/xoshiro256ss/reference", test_xoshiro_reference);
  g_test_add_func ("/rng/init/deterministic", test_init_deterministic);
  g_test_add_func ("/rng/init/independent", test_init_independent);
  g_test_add_func ("/rng/init/state-nonzero", test_init_state_nonzero);
  g_test_add_func ("/rng/uniform/range-mean-variance", test_uniform);
  g_test_add_func ("/rng/below/range", test_below_range);
  g_test_add_func ("/rng/below/uniform", test_below_uniform);
  g_test_add_func ("/rng/below/unbiased", test_below_unbiased);
  g_test_add_func ("/rng/time-between/inclusive", test_time_between);
  g_test_add_func ("/rng/exponential/mean", test_exponential);
  g_test_add_func ("/rng/exp-time/mean-rounding", test_exp_time);
  g_test_add_func ("/rng/bernoulli/frequency", test_bernoulli);

  return g_test_run ();
}
