/* tests/test_time.c — duration parsing and printing (sim/time.c).
 *
 * Expected values are worked out by hand in the comments, never copied from
 * the program's output.  The round-trip test walks a few thousand values
 * from a fixed LCG (not g_random), so a failure always reproduces.
 * Locale-dependent printing is not covered: sim/time.c prints ASCII only.
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "sim/time.h"

typedef struct {
  const char *text;
  SimTime     want;
} ParseOk;

typedef struct {
  const char  *text;
  SimTimeError want;
} ParseBad;

static void
check_ok (const ParseOk *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      SimTime got = -42;
      SimTimeError err = sim_time_parse (cases[i].text, &got);

      if (err != SIM_TIME_OK)
        g_error ("\"%s\": unexpected error %d (%s)", cases[i].text, err,
                 sim_time_error_string (err));
      if (got != cases[i].want)
        g_error ("\"%s\": got %" G_GINT64_FORMAT ", want %" G_GINT64_FORMAT,
                 cases[i].text, got, cases[i].want);
    }
}

static void
check_bad (const ParseBad *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      SimTime got = -42;
      SimTimeError err = sim_time_parse (cases[i].text, &got);

      if (err != cases[i].want)
        g_error ("\"%s\": got code %d, want %d", cases[i].text, err,
                 cases[i].want);
      /* the contract: *out is untouched on failure */
      g_assert_cmpint (got, ==, -42);
    }
}

static void
test_parse_units (void)
{
  static const ParseOk cases[] = {
    { "5ns", 5 },
    { "5us", 5000 },
    { "5ms", 5000000 },
    { "5s",  5000000000 },
    { "5m",  300000000000 },           /* 300 s */
    { "5h",  18000000000000 },         /* 18000 s */
    { "5d",  432000000000000 },        /* 432000 s */
    { "0s",  0 },
    { "0ns", 0 },
    { "007ms", 7000000 },
  };
  check_ok (cases, G_N_ELEMENTS (cases));
  /* the macros agree with the parser */
  g_assert_cmpint (SIM_MIN (5), ==, 300000000000);
  g_assert_cmpint (SIM_D (1), ==, SIM_S (86400));
}

static void
test_parse_bare_seconds (void)
{
  static const ParseOk cases[] = {
    { "300", SIM_S (300) },
    { "1.5", 1500000000 },
    { "0", 0 },
    { "0.000000001", 1 },
    { "  42  ", SIM_S (42) },
  };
  check_ok (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_combined (void)
{
  static const ParseOk cases[] = {
    { "2h4m", SIM_S (7440) },                   /* RFC 5382 REQ-5 */
    { "1m30s", SIM_S (90) },
    { "1s500ms", 1500000000 },
    { "1h1s", SIM_S (3601) },                   /* units may be skipped */
    /* 86400 + 7200 + 180 + 4 = 93784 s, then 5 ms 6 us 7 ns */
    { "1d2h3m4s5ms6us7ns", 93784005006007 },
    { "1.5h30m", SIM_S (7200) },                /* fractions in any part */
    { "1m0.5s", 60500000000 },
  };
  check_ok (cases, G_N_ELEMENTS (cases));
}

static void
test_parse_fraction (void)
{
  static const ParseOk cases[] = {
    { "1.5s", 1500000000 },
    { "0.1s", 100000000 },                      /* no binary rounding */
    { "0.3s", 300000000 },
    { "2.5ms", 2500000 },
    { "1.5us", 1500 },
    { "0.001us", 1 },
    { "0.000000001s", 1 },
    { "1.000000001s", 1000000001 },
    { "0.25h", SIM_S (900) },
    { "0.1h", SIM_S (360) },
    { "1.5m", SIM_S (90) },
    { "0.0000001m", 6000 },                     /* 60e9 ns * 1e-7 */
    { "0.5d", SIM_S (43200) },
    { "0.00000000001d", 864 },                  /* 8.64e13 ns * 1e-11 */
    /* 2^-16 d = 5^16 / 10^16 d = 86400e9 / 65536 = 1318359375 ns: needs
     * all 16 digits */
    { "0.0000152587890625d", 1318359375 },
    /* trailing zeros carry no precision, however many */
    { "1.500000000000000000000000000s", 1500000000 },
    { "3.000ns", 3 },
  };
  static const ParseBad bad[] = {
    { "0.5ns", SIM_TIME_ERR_PRECISION },
    { "2.5ns", SIM_TIME_ERR_PRECISION },
    { "0.0000000001s", SIM_TIME_ERR_PRECISION },
    { "0.0001us", SIM_TIME_ERR_PRECISION },
    { "0.00000000001m", SIM_TIME_ERR_PRECISION },   /* 0.6 ns */
    { "0.00000000000001d", SIM_TIME_ERR_PRECISION }, /* 0.864 ns */
    { "0.00001525878906251d", SIM_TIME_ERR_PRECISION },
    { "1.0000000000000000000000000001s", SIM_TIME_ERR_PRECISION },
    { "1.0000000001", SIM_TIME_ERR_PRECISION },     /* bare seconds too */
  };
  check_ok (cases, G_N_ELEMENTS (cases));
  check_bad (bad, G_N_ELEMENTS (bad));
}

/* Decision: blanks are allowed around the text and between components,
 * never between a number and its unit. */
static void
test_parse_blanks (void)
{
  static const ParseOk cases[] = {
    { "  300s  ", SIM_S (300) },
    { "\t2h4m\n", SIM_S (7440) },
    { "2h 4m", SIM_S (7440) },
    { "2h \t 4m 1s", SIM_S (7441) },
    { "300 ", SIM_S (300) },
  };
  static const ParseBad bad[] = {
    { "5 s", SIM_TIME_ERR_SYNTAX },
    { "2h 4 m", SIM_TIME_ERR_SYNTAX },
    { "1. 5s", SIM_TIME_ERR_SYNTAX },
  };

  check_ok (cases, G_N_ELEMENTS (cases));
  check_bad (bad, G_N_ELEMENTS (bad));
}

/* Decision: units strictly largest first, each at most once. */
static void
test_parse_order (void)
{
  static const ParseBad bad[] = {
    { "4m2h", SIM_TIME_ERR_SYNTAX },
    { "1m1m", SIM_TIME_ERR_SYNTAX },
    { "1ms1s", SIM_TIME_ERR_SYNTAX },
    { "1s1s", SIM_TIME_ERR_SYNTAX },
    { "1ns1d", SIM_TIME_ERR_SYNTAX },
  };
  static const ParseOk ok[] = {
    { "1s1ms", 1001000000 },
    { "1m1ms", 60001000000 },
  };
  check_bad (bad, G_N_ELEMENTS (bad));
  check_ok (ok, G_N_ELEMENTS (ok));
}

static void
test_parse_errors (void)
{
  static const ParseBad bad[] = {
    { "", SIM_TIME_ERR_EMPTY },
    { "   ", SIM_TIME_ERR_EMPTY },
    { "\t\n", SIM_TIME_ERR_EMPTY },
    { "-5s", SIM_TIME_ERR_NEGATIVE },
    { "  -1", SIM_TIME_ERR_NEGATIVE },
    { "-0", SIM_TIME_ERR_NEGATIVE },
    { "-", SIM_TIME_ERR_NEGATIVE },
    { "+5s", SIM_TIME_ERR_SYNTAX },            /* decision: no '+' */
    { "2h30", SIM_TIME_ERR_SYNTAX },           /* unit-less after a unit */
    { "30 2h", SIM_TIME_ERR_SYNTAX },
    { "5s 3", SIM_TIME_ERR_SYNTAX },
    { "s", SIM_TIME_ERR_SYNTAX },
    { "h5", SIM_TIME_ERR_SYNTAX },
    { "1.s", SIM_TIME_ERR_SYNTAX },
    { ".5s", SIM_TIME_ERR_SYNTAX },
    { "1..5s", SIM_TIME_ERR_SYNTAX },
    { "1.5.5s", SIM_TIME_ERR_SYNTAX },
    { "1,5s", SIM_TIME_ERR_SYNTAX },
    { "5s!", SIM_TIME_ERR_SYNTAX },
    { "2h-4m", SIM_TIME_ERR_SYNTAX },
    { "5x", SIM_TIME_ERR_UNIT },
    { "5sec", SIM_TIME_ERR_UNIT },
    { "5S", SIM_TIME_ERR_UNIT },
    { "5MS", SIM_TIME_ERR_UNIT },
    { "5min", SIM_TIME_ERR_UNIT },
    { "5hm", SIM_TIME_ERR_UNIT },
    { "5\xc2\xb5s", SIM_TIME_ERR_UNIT },       /* "5µs" */
    { "1e3s", SIM_TIME_ERR_UNIT },             /* 'e' read as a unit */
    { "2h4x", SIM_TIME_ERR_UNIT },
    /* the text is checked before any arithmetic */
    { "99999999999999999999d 5x", SIM_TIME_ERR_UNIT },
    { "0.5ns 1x", SIM_TIME_ERR_UNIT },
  };
  check_bad (bad, G_N_ELEMENTS (bad));
}

/* INT64_MAX = 9223372036854775807 ns
 *           = 9223372036 s 854 ms 775 us 807 ns
 *           = 106751 d 23 h 47 m 16 s ...  (106751 * 86400 = 9223286400,
 *             + 85636 s = 23 h + 2836 s = 47 m + 16 s) */
static void
test_parse_overflow (void)
{
  static const ParseOk ok[] = {
    { "9223372036854775807ns", INT64_MAX },
    { "9223372036.854775807s", INT64_MAX },
    { "9223372036.854775807", INT64_MAX },
    { "106751d23h47m16s854ms775us807ns", INT64_MAX },
    { "9223372036s", 9223372036000000000 },
    { "106751d", 9223286400000000000 },
    { "2562047h", 9223369200000000000 },        /* 2562047 * 3600 s */
    { "0000000000000000000000000001s", SIM_S (1) },
  };
  static const ParseBad bad[] = {
    { "9223372036854775808ns", SIM_TIME_ERR_OVERFLOW },
    { "9223372036.854775808s", SIM_TIME_ERR_OVERFLOW },
    { "9223372036.854775808", SIM_TIME_ERR_OVERFLOW },
    { "106751d23h47m16s854ms775us808ns", SIM_TIME_ERR_OVERFLOW },
    { "9223372037s", SIM_TIME_ERR_OVERFLOW },
    { "9223372037", SIM_TIME_ERR_OVERFLOW },
    { "106752d", SIM_TIME_ERR_OVERFLOW },       /* 9223372800 s */
    { "2562048h", SIM_TIME_ERR_OVERFLOW },      /* 9223372800 s */
    { "300000d", SIM_TIME_ERR_OVERFLOW },
    { "99999999999999999999s", SIM_TIME_ERR_OVERFLOW },
    { "99999999999999999999999999999999ns", SIM_TIME_ERR_OVERFLOW },
    { "106751d1d", SIM_TIME_ERR_SYNTAX },       /* order before size */
  };
  check_ok (ok, G_N_ELEMENTS (ok));
  check_bad (bad, G_N_ELEMENTS (bad));
}

static void
test_error_string (void)
{
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int e = SIM_TIME_OK; e <= SIM_TIME_ERR_PRECISION; e++)
    {
      const char *s = sim_time_error_string ((SimTimeError) e);

      g_assert_nonnull (s);
      g_assert_cmpuint (strlen (s), >, 0);
      g_assert_false (g_hash_table_contains (seen, s));
      g_hash_table_add (seen, (gpointer) s);
    }
  g_assert_nonnull (strstr (sim_time_error_string (SIM_TIME_ERR_UNIT),
                            "unknown unit"));
  g_assert_nonnull (sim_time_error_string ((SimTimeError) 99));
  g_hash_table_unref (seen);
}

typedef struct {
  SimTime     t;
  const char *want;
} FormatCase;

static void
check_format (const FormatCase *cases, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      char buf[64];

      g_assert_true (sim_time_format (cases[i].t, buf, sizeof buf) == buf);
      if (strcmp (buf, cases[i].want) != 0)
        g_error ("%" G_GINT64_FORMAT ": got \"%s\", want \"%s\"",
                 cases[i].t, buf, cases[i].want);
    }
}

/* Rule: shortest of the d-h-m-s-ms-us-ns parts form and one decimal
 * number in s, ms, us or ns; ties go to the parts form, then the larger
 * unit. */
static void
test_format_examples (void)
{
  static const FormatCase cases[] = {
    { 0, "0s" },
    { 1, "1ns" },
    { SIM_US (1), "1us" },
    { SIM_S (7440), "2h4m" },                   /* "7440s" is longer */
    { SIM_S (350), "350s" },                    /* "5m50s" is longer */
    { SIM_S (90), "90s" },                      /* "1m30s" */
    { SIM_S (300), "5m" },
    { SIM_S (60), "1m" },
    { SIM_S (86400), "1d" },
    { SIM_D (2) + SIM_H (1), "2d1h" },
    { SIM_S (5400), "1h30m" },                  /* tie with "5400s" */
    { SIM_S (3661), "3661s" },                  /* "1h1m1s" is longer */
    { SIM_MS (1500), "1.5s" },                  /* "1s500ms", "1500ms" */
    { SIM_MS (250), "250ms" },                  /* tie with "0.25s" */
    { SIM_MS (100), "0.1s" },                   /* "100ms" is longer */
    { SIM_MS (10), "10ms" },                    /* "0.01s" is longer */
    { SIM_US (1250), "1.25ms" },                /* tie with "1250us" */
    { 1999, "1999ns" },                         /* "1us999ns", "1.999us" */
    { 1001, "1us1ns" },                         /* tie with "1001ns" */
    { SIM_S (1) + 1, "1s1ns" },
    { SIM_S (7441) + SIM_MS (500), "7441.5s" },
    { INT64_MAX, "9223372036.854775807s" },     /* parts form has 31 */
  };
  check_format (cases, G_N_ELEMENTS (cases));
}

static void
test_format_negative (void)
{
  static const FormatCase cases[] = {
    { -1, "-1ns" },
    { -SIM_S (7440), "-2h4m" },
    { -SIM_MS (1500), "-1.5s" },
    { -INT64_MAX, "-9223372036.854775807s" },
    { INT64_MIN, "-9223372036.854775808s" },
  };
  SimTime t = 0;

  check_format (cases, G_N_ELEMENTS (cases));
  /* negative durations are not input: the parser refuses what this
   * prints */
  g_assert_cmpint (sim_time_parse ("-2h4m", &t), ==, SIM_TIME_ERR_NEGATIVE);
}

static void
test_format_small_buffer (void)
{
  char buf[8];

  memset (buf, 'x', sizeof buf);
  sim_time_format (SIM_S (7440), buf, 4);
  g_assert_cmpstr (buf, ==, "2h4");
  g_assert_cmpint (buf[4], ==, 'x');

  sim_time_format (SIM_S (7440), buf, 1);
  g_assert_cmpstr (buf, ==, "");

  sim_time_format_s6 (SIM_S (7875), buf, sizeof buf);
  g_assert_cmpstr (buf, ==, "7875.00");
}

/* Knuth's MMIX LCG: fixed, so every run sees the same values. */
static guint64
lcg_next (guint64 *x)
{
  *x = *x * 6364136223846793005u + 1442695040888963407u;
  return *x;
}

static void
check_roundtrip (SimTime t)
{
  char buf[64], neg[64];
  SimTime back = -42;
  SimTimeError err;

  sim_time_format (t, buf, sizeof buf);
  err = sim_time_parse (buf, &back);
  if (err != SIM_TIME_OK || back != t)
    g_error ("%" G_GINT64_FORMAT " -> \"%s\" -> %d, %" G_GINT64_FORMAT,
             t, buf, err, back);
  g_assert_cmpuint (strlen (buf), <, 32);
  if (t > 0)
    {
      sim_time_format (-t, neg, sizeof neg);
      g_assert_cmpint (neg[0], ==, '-');
      g_assert_cmpstr (neg + 1, ==, buf);
    }
}

static void
test_format_roundtrip (void)
{
  static const SimTime edges[] = {
    0, 1, 999, 1000, 1001, SIM_MS (1) - 1, SIM_S (1) - 1, SIM_S (1),
    SIM_MIN (1) - 1, SIM_H (1) + 1, SIM_D (1) - 1, SIM_D (106751),
    INT64_MAX - 1, INT64_MAX,
  };
  guint64 x = 20240601;

  for (gsize i = 0; i < G_N_ELEMENTS (edges); i++)
    check_roundtrip (edges[i]);

  for (int i = 0; i < 5000; i++)
    {
      /* spread over all magnitudes, and often round to a unit so the
       * short decimal forms and zero parts get exercised */
      static const SimTime rounding[] = {
        1, 1, SIM_US (1), SIM_MS (1), SIM_S (1), SIM_MIN (1), SIM_H (1),
      };
      SimTime t = (SimTime) (lcg_next (&x) >> 1);
      t >>= lcg_next (&x) >> 58;                         /* 0..63 */
      t -= t % rounding[(lcg_next (&x) >> 32) % G_N_ELEMENTS (rounding)];
      check_roundtrip (t);
    }
}

static void
test_format_s6 (void)
{
  static const FormatCase cases[] = {
    { 0, "0.000000" },
    { 999, "0.000000" },                        /* truncated, not rounded */
    { 1000, "0.000001" },
    { 1999, "0.000001" },
    { 1500000, "0.001500" },
    { SIM_MS (1500), "1.500000" },
    { SIM_S (7875), "7875.000000" },
    { SIM_S (7440) + SIM_US (123456), "7440.123456" },
    { INT64_MAX, "9223372036.854775" },
    { -1, "-0.000000" },
    { -SIM_MS (1500), "-1.500000" },
    { INT64_MIN, "-9223372036.854775" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[64];

      g_assert_true (sim_time_format_s6 (cases[i].t, buf, sizeof buf) == buf);
      g_assert_cmpstr (buf, ==, cases[i].want);
    }
}

/* For whole microseconds below 10^6 s, a double holds t/1e9 to within
 * 1e-10 s, so libc's "%.6f" (C locale) must print the same digits: an
 * independent check of the integer code. */
static void
test_format_s6_matches_printf (void)
{
  guint64 x = 7;

  for (int i = 0; i < 3000; i++)
    {
      SimTime t = (SimTime) (lcg_next (&x) % G_GUINT64_CONSTANT (1000000000000))
                  * 1000;
      char buf[64], want[64];

      sim_time_format_s6 (t, buf, sizeof buf);
      snprintf (want, sizeof want, "%.6f", SIM_TIME_TO_S (t));
      g_assert_cmpstr (buf, ==, want);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/parse/units", test_parse_units);
  g_test_add_func ("/time/parse/bare-seconds", test_parse_bare_seconds);
  g_test_add_func ("/time/parse/combined", test_parse_combined);
  g_test_add_func ("/time/parse/fraction", test_parse_fraction);
  g_test_add_func ("/time/parse/blanks", test_parse_blanks);
  g_test_add_func ("/time/parse/unit-order", test_parse_order);
  g_test_add_func ("/time/parse/errors", test_parse_errors);
  g_test_add_func ("/time/parse/overflow", test_parse_overflow);
  g_test_add_func ("/time/error-string", test_error_string);
  g_test_add_func ("/time/format/examples", test_format_examples);
  g_test_add_func ("/time/format/negative", test_format_negative);
  g_test_add_func ("/time/format/small-buffer", test_format_small_buffer);
  g_test_add_func ("/time/format/roundtrip", test_format_roundtrip);
  g_test_add_func ("/time/format-s6/examples", test_format_s6);
  g_test_add_func ("/time/format-s6/matches-printf",
                   test_format_s6_matches_printf);

  return g_test_run ();
}
