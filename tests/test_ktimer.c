/* tests/test_ktimer.c — the Linux timer wheel arithmetic of SEMANTICS.md
 * §7 (models/ktimer.h).
 *
 * Level n of the wheel holds delays D from 63·8^(n-1) to 63·8^n - 1
 * jiffies (level 0: below 63) with a granularity of 8^n jiffies; a timer
 * due at jiffy E fires at the next multiple of the granularity above E.
 * At HZ = 250 (4 ms jiffies) that gives §7's table of how late a timer
 * can be: 4 ms, 32 ms, 256 ms, 2.048 s, 16.384 s (the table's "16.4 s")
 * and 131.072 s ("131 s") for levels 0 to 5.  Every expected value below
 * is one of those or worked out next to it.
 */
#include "config.h"

#include <glib.h>

#include "models/ktimer.h"

static void
test_hz_valid (void)
{
  g_assert_true (ktimer_hz_valid (0));
  g_assert_true (ktimer_hz_valid (100));
  g_assert_true (ktimer_hz_valid (250));
  g_assert_true (ktimer_hz_valid (1000));
  /* 10^9 / 300 = 3 333 333.3 ns: not a whole number. */
  g_assert_false (ktimer_hz_valid (300));
  g_assert_false (ktimer_hz_valid (1024));
}

static void
test_jiffies (void)
{
  g_assert_cmpint (ktimer_jiffy (250), ==, SIM_MS (4));
  g_assert_cmpint (ktimer_jiffy (1000), ==, SIM_MS (1));
  /* Floor for a time, ceiling for a delay (msecs_to_jiffies). */
  g_assert_cmpuint (ktimer_jiffies (250, SIM_MS (7)), ==, 1);
  g_assert_cmpuint (ktimer_jiffies (250, SIM_MS (8)), ==, 2);
  g_assert_cmpuint (ktimer_to_jiffies (250, SIM_MS (7)), ==, 2);
  g_assert_cmpuint (ktimer_to_jiffies (250, SIM_MS (8)), ==, 2);
  g_assert_cmpuint (ktimer_to_jiffies (250, 1), ==, 1);
  g_assert_cmpuint (ktimer_to_jiffies (250, 0), ==, 0);
  g_assert_cmpuint (ktimer_to_jiffies (250, SIM_S (7200)), ==, 1800000);
}

/* §7's table at HZ 250, row by row: for the shortest and longest delay
 * of the level and every arming jiffy over two granularities, the timer
 * fires on a multiple of the granularity, after its due jiffy and at most
 * one granularity after it; and both the least and the greatest lateness
 * occur. */
static void
test_table_hz250 (void)
{
  static const struct { guint64 d_lo, d_hi, gran; SimTime late_max; } rows[] = {
    { 1, 62, 1, SIM_MS (4) },                          /* below 0.252 s */
    { 63, 503, 8, SIM_MS (32) },                       /* 0.252 - 2.016 s */
    { 504, 4031, 64, SIM_MS (256) },                   /* 2.016 - 16.13 s */
    { 4032, 32255, 512, SIM_MS (2048) },               /* 16.13 - 129.0 s */
    { 32256, 258047, 4096, SIM_MS (16384) },           /* 129.0 - 1032 s */
    { 258048, 2064383, 32768, SIM_MS (131072) },       /* 1032 - 8258 s */
  };

  for (gsize r = 0; r < G_N_ELEMENTS (rows); r++)
    for (int end = 0; end < 2; end++)
      {
        guint64 d = end ? rows[r].d_hi : rows[r].d_lo;
        SimTime most = 0, least = G_MAXINT64;

        for (guint64 j = 1000; j < 1000 + 2 * rows[r].gran; j++)
          {
            SimTime now = (SimTime) j * SIM_MS (4);
            SimTime fire = ktimer_fire_time (250, now, d, FALSE);
            SimTime late = fire - (now + (SimTime) d * SIM_MS (4));

            g_assert_cmpuint (ktimer_granularity (250, d), ==, rows[r].gran);
            g_assert_cmpint (fire % ((SimTime) rows[r].gran * SIM_MS (4)), ==, 0);
            g_assert_cmpint (late, >, 0);
            g_assert_cmpint (late, <=, rows[r].late_max);
            most = MAX (most, late);
            least = MIN (least, late);
          }
        g_assert_cmpint (most, ==, rows[r].late_max);
        g_assert_cmpint (least, ==, SIM_MS (4));
      }
}

/* Inside a timer callback the wheel's clock is one jiffy ahead, so the
 * delay that picks the level is one less.  At jiffy 5 a 63-jiffy timer
 * armed from outside is due at 68 on level 1: (8 + 1) · 8 = 72.  Armed
 * from a callback, the delay counts 62, level 0: 68 + 1 = 69. */
static void
test_callback_clock (void)
{
  g_assert_cmpint (ktimer_fire_time (250, SIM_MS (20), 63, FALSE), ==, 72 * SIM_MS (4));
  g_assert_cmpint (ktimer_fire_time (250, SIM_MS (20), 63, TRUE), ==, 69 * SIM_MS (4));
  /* A zero delay from a callback goes in the clock's own bucket: the
   * next jiffy. */
  g_assert_cmpint (ktimer_fire_time (250, SIM_MS (20), 0, TRUE), ==, 6 * SIM_MS (4));
}

/* §7's derived example: keepidle 7200 s armed at jiffy 0.  HZ 250:
 * 1 800 000 jiffies, level 5, (54 + 1) · 32 768 = 1 802 240 = 7208.96 s.
 * HZ 1000: 7 200 000, level 6 (granularity 262 144), (27 + 1) · 262 144
 * = 7 340 032 = 7340.032 s; armed just after a bucket boundary instead
 * (jiffy 140 032, so due at 7 340 032 = 28 · 262 144 exactly), it fires a
 * whole granularity later: 7 602 176, 7462.144 s after arming, the "~7462
 * s" of §7. */
static void
test_keepidle_7200 (void)
{
  g_assert_cmpint (ktimer_fire_time (250, 0, 1800000, FALSE), ==, SIM_MS (7208960));
  g_assert_cmpint (ktimer_fire_time (1000, 0, 7200000, FALSE), ==, SIM_MS (7340032));
  g_assert_cmpint (ktimer_fire_time (1000, SIM_MS (140032), 7200000, FALSE)
                   - SIM_MS (140032), ==, SIM_MS (7462144));
}

/* Delays at or beyond the wheel's capacity (LVL_START (9) = 63 · 8^8 =
 * 1 056 964 608 jiffies at HZ > 100) are capped to WHEEL_TIMEOUT_MAX =
 * that minus 8^8, 1 040 187 392, whose bucket is (62 + 1) · 8^8 =
 * 1 056 964 608.  At HZ 100 the wheel has 8 levels: LVL_START (8) =
 * 63 · 8^7 = 132 120 576, cap 132 120 576 − 8^7 = 130 023 424, bucket
 * (62 + 1) · 8^7 = 132 120 576. */
static void
test_capacity (void)
{
  g_assert_cmpuint (ktimer_bucket (250, 0, G_GUINT64_CONSTANT (2000000000)), ==,
                    G_GUINT64_CONSTANT (1056964608));
  g_assert_cmpuint (ktimer_bucket (100, 0, G_GUINT64_CONSTANT (200000000)), ==,
                    G_GUINT64_CONSTANT (132120576));
  /* Just below the cut-off the last level applies as is. */
  g_assert_cmpuint (ktimer_bucket (100, 0, G_GUINT64_CONSTANT (132120575)), ==,
                    G_GUINT64_CONSTANT (132120576));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ktimer/hz-valid", test_hz_valid);
  g_test_add_func ("/ktimer/jiffies", test_jiffies);
  g_test_add_func ("/ktimer/S7-table-hz250", test_table_hz250);
  g_test_add_func ("/ktimer/callback-clock", test_callback_clock);
  g_test_add_func ("/ktimer/S7-keepidle-7200", test_keepidle_7200);
  g_test_add_func ("/ktimer/wheel-capacity", test_capacity);
  return g_test_run ();
}
