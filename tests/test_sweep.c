/* tests/test_sweep.c — [sweep] expansion.
 *
 * Every expected value list and message below is written out by hand, not
 * computed: the point is to pin the canonical spellings ("90s", not
 * "1m30s", is what sim_time_format() calls shortest), the inclusive-end
 * rule and the nested-loop point order that TSV rows and shards rely on.
 * Scenarios come from strings through sim_scenario_load_data(), named
 * "t.ini" (good input) or "bad.ini" (bad input, [sweep] on line 1).
 */
#include <string.h>
#include <glib.h>
#include "sim/scenario.h"
#include "sim/sweep.h"

static SimScenario *
load (const char *text)
{
  g_autoptr (GError) error = NULL;
  SimScenario *sc = sim_scenario_load_data ("t.ini", text, -1, &error);

  g_assert_no_error (error);
  return sc;
}

/* The sweep of a scenario that must be good. */
static SimSweep *
sweep_of (const char *text)
{
  g_autoptr (SimScenario) sc = load (text);
  g_autoptr (GError) error = NULL;
  SimSweep *sweep = sim_sweep_new (sc, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sweep);
  return sweep;
}

/* Key @i takes exactly the NULL-terminated @expected values, in order. */
static void
assert_values (const SimSweep *sweep, guint i, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected);
  guint64 stride = 1;

  for (guint j = i + 1; j < sim_sweep_n_keys (sweep); j++)
    stride *= sim_sweep_n_values (sweep, j);
  g_assert_cmpuint (sim_sweep_n_values (sweep, i), ==, n);
  for (guint v = 0; v < n; v++)
    g_assert_cmpstr (sim_sweep_value (sweep, v * stride, i), ==, expected[v]);
}

/* The values one line "[sweep]\ng.k = @spec" sweeps. */
static void
assert_spec (const char *spec, const char *const *expected)
{
  g_autofree char *text = g_strdup_printf ("[sweep]\ng.k = %s\n", spec);
  g_autoptr (SimSweep) sweep = sweep_of (text);

  g_assert_cmpuint (sim_sweep_n_keys (sweep), ==, 1);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, g_strv_length ((char **) expected));
  assert_values (sweep, 0, expected);
}

#define VALUES(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* ---------------------------------------------------------------- good */

static void
test_none (void)
{
  g_autoptr (SimSweep) sweep = sweep_of ("[nat]\nmode = napt\n");
  g_autofree char *text = sim_sweep_describe (sweep, 10);

  g_assert_cmpuint (sim_sweep_points (sweep), ==, 1);
  g_assert_cmpuint (sim_sweep_repeat (sweep), ==, 1);
  g_assert_cmpuint (sim_sweep_n_keys (sweep), ==, 0);
  g_assert_cmpstr (text, ==, "1 point x 1 repetition\n");
}

static void
test_list (void)
{
  g_autoptr (SimSweep) sweep =
    sweep_of ("[sweep]\n"
              "nat.established_timeout = 60s,240s ,  350s, 7440s\n"
              "link.wan.delay = 5ms\n"
              "app.pattern = idle, request-after\n");

  g_assert_cmpuint (sim_sweep_n_keys (sweep), ==, 3);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, 8);
  g_assert_cmpstr (sim_sweep_key (sweep, 0), ==, "nat.established_timeout");
  g_assert_cmpstr (sim_sweep_key_group (sweep, 0), ==, "nat");
  g_assert_cmpstr (sim_sweep_key_name (sweep, 0), ==, "established_timeout");
  /* The last dot splits: [link.wan] delay. */
  g_assert_cmpstr (sim_sweep_key (sweep, 1), ==, "link.wan.delay");
  g_assert_cmpstr (sim_sweep_key_group (sweep, 1), ==, "link.wan");
  g_assert_cmpstr (sim_sweep_key_name (sweep, 1), ==, "delay");
  /* List items stay as written ("7440s" is not rewritten as "2h4m"). */
  assert_values (sweep, 0, VALUES ("60s", "240s", "350s", "7440s"));
  assert_values (sweep, 1, VALUES ("5ms"));
  assert_values (sweep, 2, VALUES ("idle", "request-after"));
}

static void
test_linear_durations (void)
{
  assert_spec ("30s .. 600s step 30s",
               VALUES ("30s", "1m", "90s", "2m", "150s", "3m", "210s", "4m",
                       "270s", "5m", "330s", "6m", "390s", "7m", "450s", "8m",
                       "510s", "9m", "570s", "10m"));
  /* The end is left out when no step lands on it. */
  assert_spec ("1s .. 2s step 400ms", VALUES ("1s", "1.4s", "1.8s"));
  assert_spec ("250ms..1s step 250ms", VALUES ("250ms", "0.5s", "750ms", "1s"));
  assert_spec ("1m .. 2m step 30s", VALUES ("1m", "90s", "2m"));
  assert_spec ("1h .. 3h step 1h4m", VALUES ("1h", "2h4m"));
  assert_spec ("5s .. 5s step 1s", VALUES ("5s"));
  assert_spec ("0s .. 3s step 1h", VALUES ("0s"));
}

static void
test_linear_numbers (void)
{
  assert_spec ("1 .. 9 step 2", VALUES ("1", "3", "5", "7", "9"));
  assert_spec ("1 .. 10 step 3", VALUES ("1", "4", "7", "10"));
  assert_spec ("0 .. 10 step 4", VALUES ("0", "4", "8"));
  assert_spec ("-1 .. 1 step 0.5", VALUES ("-1", "-0.5", "0", "0.5", "1"));
  assert_spec ("1024 .. 65535 step 32256", VALUES ("1024", "33280"));
  assert_spec ("-9223372036854775807 .. 9223372036854775807 step 9223372036854775807",
               VALUES ("-9223372036854775807", "0", "9223372036854775807"));
}

static void
test_linear_decimals_exact (void)
{
  assert_spec ("0 .. 0.1 step 0.02",
               VALUES ("0", "0.02", "0.04", "0.06", "0.08", "0.1"));
  /* In doubles 0.1 * 3 is 0.30000000000000004 and the sum of ten 0.1
   * steps misses 1; scaled integers hit both. */
  assert_spec ("0 .. 1 step 0.1",
               VALUES ("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7",
                       "0.8", "0.9", "1"));
  assert_spec ("0.10 .. 0.3 step 0.1", VALUES ("0.1", "0.2", "0.3"));
  assert_spec ("1 .. 2 step 0.25", VALUES ("1", "1.25", "1.5", "1.75", "2"));
  assert_spec ("0.001 .. 0.0035 step 0.001", VALUES ("0.001", "0.002", "0.003"));
}

static void
test_geometric (void)
{
  assert_spec ("1m .. 4h x2",
               VALUES ("1m", "2m", "4m", "8m", "16m", "32m", "1h4m", "2h8m"));
  assert_spec ("1m .. 4h16m x2",
               VALUES ("1m", "2m", "4m", "8m", "16m", "32m", "1h4m", "2h8m", "4h16m"));
  assert_spec ("10s .. 40s x 2", VALUES ("10s", "20s", "40s"));
  assert_spec ("1s .. 3s x1.5", VALUES ("1s", "1.5s", "2.25s"));
  assert_spec ("5s .. 5s x3", VALUES ("5s"));
  assert_spec ("1 .. 1000 x10", VALUES ("1", "10", "100", "1000"));
  assert_spec ("3 .. 100 x3", VALUES ("3", "9", "27", "81"));
  assert_spec ("1 .. 10 x1.5",
               VALUES ("1", "1.5", "2.25", "3.375", "5.0625", "7.59375"));
  /* Doubles rounded to 15 digits each step: 1.1 * 1.1 reads "1.21". */
  assert_spec ("1 .. 2 x1.1",
               VALUES ("1", "1.1", "1.21", "1.331", "1.4641", "1.61051",
                       "1.771561", "1.9487171"));
  assert_spec ("0.001 .. 1 x10", VALUES ("0.001", "0.01", "0.1", "1"));
}

static void
test_zip (void)
{
  /* The zipped pair takes the place of its first key (b.y, second in the
   * file), so a.x stays the slowest and d.w the fastest. */
  g_autoptr (SimSweep) sweep =
    sweep_of ("[sweep]\n"
              "zip = c.z, b.y\n"
              "a.x = 1, 2\n"
              "b.y = p, q, r\n"
              "c.z = 10s .. 30s step 10s\n"
              "d.w = on, off\n");
  static const char *const expected[][4] = {
    { "1", "p", "10s", "on" }, { "1", "p", "10s", "off" },
    { "1", "q", "20s", "on" }, { "1", "q", "20s", "off" },
    { "1", "r", "30s", "on" }, { "1", "r", "30s", "off" },
    { "2", "p", "10s", "on" }, { "2", "p", "10s", "off" },
    { "2", "q", "20s", "on" }, { "2", "q", "20s", "off" },
    { "2", "r", "30s", "on" }, { "2", "r", "30s", "off" },
  };

  g_assert_cmpuint (sim_sweep_n_keys (sweep), ==, 4);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, G_N_ELEMENTS (expected));
  for (guint p = 0; p < G_N_ELEMENTS (expected); p++)
    for (guint k = 0; k < 4; k++)
      g_assert_cmpstr (sim_sweep_value (sweep, p, k), ==, expected[p][k]);
}

static const char design_sweep[] =
  "[sweep]\n"
  "nat.established_timeout = 60s, 240s, 350s, 1200s, 3600s, 7440s\n"
  "client.keepidle = 30s .. 600s step 30s\n"
  "repeat = 3\n";

static void
test_order (void)
{
  g_autoptr (SimSweep) sweep = sweep_of (design_sweep);
  static const struct { guint64 point; const char *nat, *keepidle; } rows[] = {
    { 0, "60s", "30s" }, { 1, "60s", "1m" }, { 2, "60s", "90s" },
    { 19, "60s", "10m" }, { 20, "240s", "30s" }, { 21, "240s", "1m" },
    { 59, "350s", "10m" }, { 100, "7440s", "30s" }, { 119, "7440s", "10m" },
  };

  g_assert_cmpuint (sim_sweep_points (sweep), ==, 6 * 20);
  g_assert_cmpuint (sim_sweep_repeat (sweep), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_assert_cmpstr (sim_sweep_value (sweep, rows[i].point, 0), ==, rows[i].nat);
      g_assert_cmpstr (sim_sweep_value (sweep, rows[i].point, 1), ==, rows[i].keepidle);
    }
}

static void
test_repeat (void)
{
  g_autoptr (SimSweep) three = sweep_of (design_sweep);
  g_autoptr (SimSweep) alone = sweep_of ("[sweep]\nrepeat = 1000000\n");
  g_autoptr (SimSweep) once = sweep_of ("[sweep]\ng.k = 1, 2\n");

  g_assert_cmpuint (sim_sweep_repeat (three), ==, 3);
  /* repeat is not a swept key. */
  g_assert_cmpuint (sim_sweep_n_keys (three), ==, 2);
  g_assert_cmpuint (sim_sweep_repeat (alone), ==, 1000000);
  g_assert_cmpuint (sim_sweep_points (alone), ==, 1);
  g_assert_cmpuint (sim_sweep_n_keys (alone), ==, 0);
  g_assert_cmpuint (sim_sweep_repeat (once), ==, 1);
}

static void
test_describe (void)
{
  g_autoptr (SimSweep) sweep = sweep_of (design_sweep);
  g_autoptr (SimSweep) small = sweep_of ("[sweep]\nlink.wan.delay = 1ms, 2ms\n");
  g_autofree char *text = sim_sweep_describe (sweep, 2);
  g_autofree char *all = sim_sweep_describe (small, 5);

  g_assert_cmpstr (text, ==,
                   "120 points x 3 repetitions\n"
                   "point 0: nat.established_timeout=60s client.keepidle=30s\n"
                   "point 1: nat.established_timeout=60s client.keepidle=1m\n"
                   "... (118 more points)\n");
  g_assert_cmpstr (all, ==,
                   "2 points x 1 repetition\n"
                   "point 0: link.wan.delay=1ms\n"
                   "point 1: link.wan.delay=2ms\n");
}

static void
test_apply_sets_values (void)
{
  g_autoptr (SimScenario) base =
    load ("[nat]\n"                                   /* 1 */
          "established_timeout = 350s\n"              /* 2 */
          "[link.wan]\n"                              /* 3 */
          "delay = 20ms\n"                            /* 4 */
          "[sweep]\n"                                 /* 5 */
          "nat.established_timeout = 60s .. 120s step 60s\n"  /* 6 */
          "link.wan.delay = 10ms, 5q\n"               /* 7 */
          "app.after = 16s\n");                       /* 8 */
  g_autoptr (GError) error = NULL;
  g_autoptr (SimSweep) sweep = sim_sweep_new (base, &error);
  g_autoptr (SimScenario) p0 = NULL, p3 = NULL;
  g_autofree char *where = NULL;
  SimTime t = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, 4);

  p0 = sim_sweep_apply (sweep, base, 0);
  g_assert_cmpstr (sim_scenario_get_raw (p0, "nat", "established_timeout"), ==, "1m");
  g_assert_cmpstr (sim_scenario_get_raw (p0, "link.wan", "delay"), ==, "10ms");
  /* A swept key absent from the file is added, located at its sweep line. */
  g_assert_cmpstr (sim_scenario_get_raw (p0, "app", "after"), ==, "16s");
  where = sim_scenario_where (p0, "app", "after");
  g_assert_cmpstr (where, ==, "t.ini:8");
  /* Everything was read and [sweep] is declared: nothing is unknown. */
  g_assert_true (sim_scenario_check_unknown (p0, &error));
  g_assert_no_error (error);

  /* A bad swept value is reported at its [sweep] line. */
  p3 = sim_sweep_apply (sweep, base, 3);
  g_assert_true (sim_scenario_get_duration (p3, "nat", "established_timeout", 0,
                                            SIM_TIME_NEVER, &t, &error));
  g_assert_cmpint (t, ==, SIM_S (120));
  g_assert_false (sim_scenario_get_duration (p3, "link.wan", "delay", 0,
                                             SIM_TIME_NEVER, &t, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "t.ini:7: [link.wan] delay: "));

  /* The base is untouched. */
  g_assert_cmpstr (sim_scenario_get_raw (base, "nat", "established_timeout"), ==, "350s");
  g_assert_cmpstr (sim_scenario_get_raw (base, "link.wan", "delay"), ==, "20ms");
  g_assert_false (sim_scenario_has_key (base, "app", "after"));
}

static void
test_declares_group (void)
{
  g_autoptr (SimScenario) sc =
    load ("[sweep]\ng.k = 1, 2\nrepeat = 2\nzip = g.k, h.k\nh.k = a, b\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (SimSweep) sweep = sim_sweep_new (sc, &error);

  g_assert_no_error (error);
  g_assert_true (sim_scenario_check_unknown (sc, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sim_sweep_points (sweep), ==, 2);
  g_assert_cmpstr (sim_sweep_value (sweep, 1, 0), ==, "2");
  g_assert_cmpstr (sim_sweep_value (sweep, 1, 1), ==, "b");
}

static void
test_shard (void)
{
  static const struct { const char *text; guint64 i, n; } good[] = {
    { "0/1", 0, 1 }, { "3/4", 3, 4 }, { "0/18446744073709551615", 0, G_MAXUINT64 },
  };
  static const struct { const char *text; int code; const char *message; } bad[] = {
    { "4/4", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
      "--shard 4/4: I must be below N (expected I/N with 0 <= I < N)" },
    { "0/0", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
      "--shard 0/0: N must be at least 1 (expected I/N with 0 <= I < N)" },
    { "1", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
      "--shard 1: not two whole numbers (expected I/N with 0 <= I < N)" },
    { "1/", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { "/2", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { "-1/2", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { "+1/2", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { " 1/2", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { "1/2/3", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
    { "1/18446744073709551616", NATKEEP_SCENARIO_ERROR_INVALID_VALUE, NULL },
  };

  for (guint c = 0; c < G_N_ELEMENTS (good); c++)
    {
      g_autoptr (GError) error = NULL;
      guint64 i = 99, n = 99;

      g_assert_true (sim_sweep_parse_shard (good[c].text, &i, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (i, ==, good[c].i);
      g_assert_cmpuint (n, ==, good[c].n);
    }
  for (guint c = 0; c < G_N_ELEMENTS (bad); c++)
    {
      g_autoptr (GError) error = NULL;
      guint64 i = 99, n = 99;

      g_assert_false (sim_sweep_parse_shard (bad[c].text, &i, &n, &error));
      g_assert_error (error, NATKEEP_SCENARIO_ERROR, bad[c].code);
      if (bad[c].message != NULL)
        g_assert_cmpstr (error->message, ==, bad[c].message);
      g_assert_cmpuint (i, ==, 99);
      g_assert_cmpuint (n, ==, 99);
    }

  /* Shard 1/3 of 8 points runs 1, 4, 7; the shards of 3 partition 0..99. */
  g_assert_false (sim_sweep_in_shard (0, 1, 3));
  g_assert_true (sim_sweep_in_shard (1, 1, 3));
  g_assert_true (sim_sweep_in_shard (4, 1, 3));
  g_assert_true (sim_sweep_in_shard (7, 1, 3));
  for (guint64 p = 0; p < 100; p++)
    {
      guint hits = 0;
      for (guint64 i = 0; i < 3; i++)
        hits += sim_sweep_in_shard (p, i, 3);
      g_assert_cmpuint (hits, ==, 1);
      g_assert_true (sim_sweep_in_shard (p, 0, 1));
    }
}

/* ----------------------------------------------------------------- bad */

typedef struct {
  const char *name;      /* test path below /sweep/errors/ */
  const char *lines;     /* after "[sweep]\n", so the first is line 2 */
  int         code;
  const char *message;   /* whole message, or a prefix when it ends in ": " */
} BadCase;

#define WHERE(line, key) "bad.ini:" #line ": [sweep] " key ": "
#define SYNTAX "(expected START .. END step STEP or START .. END xFACTOR)"
#define ZIP_PAIR "a.x = 1, 2, 3\nb.y = 1, 2, 3\n"

static const BadCase bad_cases[] = {
  { "no-dot", "keepidle = 30s\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (2, "keepidle") "unknown key (expected GROUP.KEY, repeat or zip)" },
  { "repeat-typo", "repeats = 3\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (2, "repeats")
    "unknown key (expected GROUP.KEY, repeat or zip; did you mean \"repeat\"?)" },
  { "empty-key-part", "nat. = 1\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (2, "nat.") "unknown key (expected GROUP.KEY, repeat or zip)" },
  { "sweep-itself", "sweep.repeat = 1, 2\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (2, "sweep.repeat") "[sweep] cannot sweep itself (expected GROUP.KEY of another group)" },
  { "repeat-zero", "repeat = 0\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, WHERE (2, "repeat") },
  { "repeat-huge", "g.k = 1\nrepeat = 1000001\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (3, "repeat") },
  { "list-empty-item", "nat.mode = napt, , static\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "nat.mode") "empty item in \"napt, , static\" (expected VALUE, VALUE, ...)" },
  { "range-no-step", "c.keepidle = 30s .. 600s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \"30s .. 600s\" " SYNTAX },
  { "range-bad-word", "c.keepidle = 30s .. 600s by 30s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \"30s .. 600s by 30s\" " SYNTAX },
  { "range-no-start", "c.keepidle = .. 600s step 30s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \".. 600s step 30s\" " SYNTAX },
  { "range-in-list", "c.keepidle = 10s, 30s .. 60s step 30s\n",
    NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \"10s, 30s .. 60s step 30s\" " SYNTAX },
  { "range-twice", "c.keepidle = 1s .. 2s .. 3s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \"1s .. 2s .. 3s\" " SYNTAX },
  { "range-bare-x", "c.keepidle = 1s .. 2s x\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad range \"1s .. 2s x\" " SYNTAX },
  { "range-bad-unit", "c.keepidle = 30q .. 600s step 30s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "bad start \"30q\": unknown unit (ns us ms s m h d)" },
  { "range-mixed", "c.keepidle = 30 .. 600s step 30s\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "range \"30 .. 600s step 30s\" mixes durations and plain numbers "
    "(expected units on all of START, END and STEP or on none)" },
  { "range-mixed-step", "c.keepidle = 0s .. 10s step 1\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "range \"0s .. 10s step 1\" mixes durations and plain numbers "
    "(expected units on all of START, END and STEP or on none)" },
  { "range-mixed-geometric", "c.keepidle = 60 .. 4h x2\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (2, "c.keepidle") "range \"60 .. 4h x2\" mixes durations and plain numbers "
    "(expected units on all of START and END or on none)" },
  { "step-zero", "c.keepidle = 30s .. 600s step 0s\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "step must be > 0, got \"0s\"" },
  { "step-negative", "l.loss = 0 .. 1 step -0.1\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "l.loss") "step must be > 0, got \"-0.1\"" },
  { "step-negative-duration", "c.keepidle = 10s .. 20s step -1s\n",
    NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "bad step \"-1s\": negative duration" },
  { "wrong-direction", "c.keepidle = 600s .. 30s step 30s\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "end \"30s\" is before start \"600s\" (expected START <= END)" },
  { "wrong-direction-geometric", "c.keepidle = 4h .. 1m x2\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "end \"1m\" is before start \"4h\" (expected START <= END)" },
  { "factor-one", "c.keepidle = 1m .. 4h x1\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "factor must be a plain number > 1, got \"x1\"" },
  { "factor-below-one", "c.keepidle = 1m .. 4h x0.5\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "factor must be a plain number > 1, got \"x0.5\"" },
  { "factor-unit", "c.keepidle = 1m .. 4h x2s\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "factor must be a plain number > 1, got \"x2s\"" },
  { "factor-stuck", "c.keepidle = 1ns .. 1s x1.1\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "factor \"x1.1\" is too close to 1: 1ns does not grow" },
  { "geometric-zero-start", "c.keepidle = 0s .. 4h x2\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "c.keepidle") "geometric start must be > 0, got \"0s\"" },
  { "number-too-long", "g.k = 0 .. 99999999999999999999 step 1\n",
    NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "g.k") "bad end \"99999999999999999999\": too many digits (expected at most 18)" },
  { "decimals-overflow", "g.k = 0 .. 9000000000000000000 step 0.1\n",
    NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "g.k")
    "range needs too many digits (expected at most 18 with the decimals aligned)" },
  { "too-many-values", "g.k = 1 .. 2000000 step 1\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "g.k") "has more than 1000000 values" },
  { "too-many-values-geometric", "g.k = 1 .. 2 x1.0000001\n", NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (2, "g.k") "has more than 1000000 values" },
  { "too-many-points",
    "a.a = 1 .. 1000 step 1\nb.b = 1 .. 1000 step 1\nc.c = 1 .. 1000 step 1\nd.d = 1, 2\n",
    NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
    WHERE (5, "d.d") "the sweep has more than 1000000000 points" },
  { "zip-mismatch", "a.x = 1, 2, 3\nb.y = 10s .. 20s step 10s\nzip = a.x, b.y\n",
    NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (4, "zip") "a.x has 3 values but b.y has 2 (expected the same number)" },
  { "zip-not-swept", ZIP_PAIR "zip = a.x, b.z\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (4, "zip") "\"b.z\" is not swept (did you mean \"b.y\"?)" },
  { "zip-not-swept-far", ZIP_PAIR "zip = a.x, nat.mode\n", NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY,
    WHERE (4, "zip") "\"nat.mode\" is not swept (expected keys of [sweep])" },
  { "zip-two-groups", ZIP_PAIR "c.z = 1, 2\nd.w = 3, 4\nzip = a.x, b.y; c.z, d.w\n",
    NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (6, "zip") "only one zip group is supported (expected KEY, KEY, ...)" },
  { "zip-one-key", ZIP_PAIR "zip = a.x\n", NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
    WHERE (4, "zip") "needs at least two swept keys (expected KEY, KEY, ...)" },
  { "zip-twice", ZIP_PAIR "zip = a.x, b.y, a.x\n", NATKEEP_SCENARIO_ERROR_DUPLICATE_KEY,
    WHERE (4, "zip") "\"a.x\" is named twice" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *text = g_strdup_printf ("[sweep]\n%s", c->lines);
  g_autoptr (GError) error = NULL;
  g_autoptr (SimScenario) sc = sim_scenario_load_data ("bad.ini", text, -1, &error);
  g_autoptr (SimSweep) sweep = NULL;

  g_assert_no_error (error);
  sweep = sim_sweep_new (sc, &error);
  g_assert_null (sweep);
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, c->code);
  if (g_str_has_suffix (c->message, ": "))
    g_assert_true (g_str_has_prefix (error->message, c->message));
  else
    g_assert_cmpstr (error->message, ==, c->message);
  g_assert_null (strchr (error->message, '\n'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sweep/none", test_none);
  g_test_add_func ("/sweep/list", test_list);
  g_test_add_func ("/sweep/linear/durations", test_linear_durations);
  g_test_add_func ("/sweep/linear/numbers", test_linear_numbers);
  g_test_add_func ("/sweep/linear/decimals-exact", test_linear_decimals_exact);
  g_test_add_func ("/sweep/geometric", test_geometric);
  g_test_add_func ("/sweep/zip", test_zip);
  g_test_add_func ("/sweep/order", test_order);
  g_test_add_func ("/sweep/repeat", test_repeat);
  g_test_add_func ("/sweep/describe", test_describe);
  g_test_add_func ("/sweep/apply-sets-values", test_apply_sets_values);
  g_test_add_func ("/sweep/declares-group", test_declares_group);
  g_test_add_func ("/sweep/shard", test_shard);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sweep/errors/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  return g_test_run ();
}
