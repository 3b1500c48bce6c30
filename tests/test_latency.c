/* tests/test_latency.c — models/latency.h against the plain definition.
 *
 * The expected value of every percentile is http_latency_percentile
 * (models/http.h) over a plain array of the same samples: nearest rank,
 * ceil (p·n/100), after sorting.  Samples come from GRand with fixed
 * seeds, in three shapes: a few values repeated (what a simulated path
 * gives), all distinct, and a mix that turns distinct half way.
 */
#include "config.h"

#include <glib.h>

#include "models/http.h"
#include "models/latency.h"

typedef enum { FEW, DISTINCT, MIXED } Shape;

static SimTime
draw (GRand *r, Shape shape, guint i, guint n)
{
  if (shape == FEW || (shape == MIXED && i < n / 2))
    return SIM_MS (40) + SIM_MS (42) * g_rand_int_range (r, 0, 4);
  return g_rand_int_range (r, 1, G_MAXINT32);
}

/* Every percent of @l equals the plain nearest rank over @plain. */
static void
assert_same (const Latencies *l, GArray *plain)
{
  for (guint p = 1; p <= 100; p++)
    {
      g_autofree SimTime *v = g_memdup2 (plain->data, plain->len * sizeof (SimTime));

      g_assert_cmpint (latency_percentile (l, p), ==,
                       http_latency_percentile (v, plain->len, p));
    }
}

static void
test_shapes (gconstpointer data)
{
  Shape shape = GPOINTER_TO_INT (data);
  static const guint sizes[] = { 0, 1, 2, 7, 8, 9, 100, 255, 256, 257, 3000 };

  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autoptr(GRand) r = g_rand_new_with_seed (1000 + sizes[s]);
      g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (SimTime));
      Latencies l;

      latency_init (&l);
      for (guint i = 0; i < sizes[s]; i++)
        {
          SimTime v = draw (r, shape, i, sizes[s]);

          latency_add (&l, v);
          g_array_append_val (plain, v);
        }
      g_assert_cmpuint (latency_count (&l), ==, sizes[s]);
      assert_same (&l, plain);
      if (shape == FEW)
        /* Four values at most: never more than four bins, and a handful
         * of samples not yet folded in. */
        g_assert_true (l.bins != NULL && l.bins->len <= 4 && l.recent->len < 8);
      if (shape == DISTINCT && sizes[s] >= 300)
        /* Counting did not pay: every sample kept, 8 bytes each. */
        g_assert_null (l.bins);
      latency_sort (&l);
      assert_same (&l, plain);
      latency_clear (&l);
    }
}

/* A total over many clients of every shape, as world_point_result makes
 * it: merged, sorted in place, then the same percentiles as one array. */
static void
test_merge (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (7);
  g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (SimTime));
  Latencies each[9], all;

  latency_init (&all);
  for (guint c = 0; c < G_N_ELEMENTS (each); c++)
    {
      guint n = 50 * c + 3;

      latency_init (&each[c]);
      for (guint i = 0; i < n; i++)
        {
          SimTime v = draw (r, (Shape) (c % 3), i, n);

          latency_add (&each[c], v);
          g_array_append_val (plain, v);
        }
      latency_merge (&all, &each[c]);
    }
  g_assert_cmpuint (latency_count (&all), ==, plain->len);
  assert_same (&all, plain);
  latency_sort (&all);
  assert_same (&all, plain);
  for (guint c = 0; c < G_N_ELEMENTS (each); c++)
    latency_clear (&each[c]);
  latency_clear (&all);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/latency/few-values", GINT_TO_POINTER (FEW), test_shapes);
  g_test_add_data_func ("/latency/all-distinct", GINT_TO_POINTER (DISTINCT), test_shapes);
  g_test_add_data_func ("/latency/repeating-then-distinct", GINT_TO_POINTER (MIXED), test_shapes);
  g_test_add_func ("/latency/merged-total", test_merge);
  return g_test_run ();
}
