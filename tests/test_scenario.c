/* tests/test_scenario.c — the INI scenario reader.
 *
 * Good input: syntax (comments, tabs, CRLF, BOM), each typed getter with
 * its bounds, --set overrides, locations, unknown-key checks and copies.
 * Bad input: one file per problem in tests/data/bad/, each read through a
 * small fixed schema like the one the models apply (see schema_read), with
 * the full expected message written down by hand.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gstdio.h>
#include "sim/scenario.h"

/* ------------------------------------------------------------- schema */

typedef struct {
  char    *name;
  SimTime  duration;
  gint64   seed;
  gint64   flows;
  char   **path;
  gboolean keepalive;
  SimTime  keepidle;
  SimTime  keepintvl;
  gint64   keepcnt;
  int      mode;
  SimTime  established_timeout;
  guint16  port_lo, port_hi;
  SimTime  lan_delay, wan_delay;
  double   lan_loss, wan_loss;
} Schema;

static const char *const nat_modes[] = { "napt", "dynamic", "static", "none", NULL };

static void
schema_init (Schema *s)
{
  *s = (Schema) {
    .seed = 1, .flows = 1, .keepidle = SIM_S (7200), .keepintvl = SIM_S (75),
    .keepcnt = 9, .established_timeout = SIM_S (7440),
    .port_lo = 1024, .port_hi = 65535,
  };
}

static void
schema_clear (Schema *s)
{
  g_free (s->name);
  g_strfreev (s->path);
}

/* What a real run reads, in the order the models would; unknown keys are
 * checked after every getter (a typo then gets its hint), and required
 * keys last (a misspelt required key is "unknown", not "missing"). */
static gboolean
schema_read (SimScenario *sc, Schema *s, GError **error)
{
  if (!sim_scenario_get_string (sc, "scenario", "name", &s->name, error)
      || !sim_scenario_get_duration (sc, "scenario", "duration", SIM_S (1), SIM_D (365),
                                     &s->duration, error)
      || !sim_scenario_get_int (sc, "scenario", "seed", 0, G_MAXINT64, &s->seed, error)
      || !sim_scenario_get_int (sc, "scenario", "flows", 1, 10000000, &s->flows, error)
      || !sim_scenario_get_list (sc, "scenario", "path", &s->path, error)
      || !sim_scenario_get_bool (sc, "client", "keepalive", &s->keepalive, error)
      || !sim_scenario_get_duration (sc, "client", "keepidle", SIM_S (1), SIM_TIME_NEVER,
                                     &s->keepidle, error)
      || !sim_scenario_get_duration (sc, "client", "keepintvl", SIM_S (1), SIM_S (32767),
                                     &s->keepintvl, error)
      || !sim_scenario_get_int (sc, "client", "keepcnt", 1, 127, &s->keepcnt, error)
      || !sim_scenario_get_enum (sc, "nat", "mode", nat_modes, &s->mode, error)
      || !sim_scenario_get_duration (sc, "nat", "established_timeout", SIM_S (1), SIM_D (7),
                                     &s->established_timeout, error)
      || !sim_scenario_get_port_range (sc, "nat", "ports", &s->port_lo, &s->port_hi, error)
      || !sim_scenario_get_duration (sc, "link.lan", "delay", 0, SIM_S (10),
                                     &s->lan_delay, error)
      || !sim_scenario_get_double (sc, "link.lan", "loss", 0, 1, &s->lan_loss, error)
      || !sim_scenario_get_duration (sc, "link.wan", "delay", 0, SIM_S (10),
                                     &s->wan_delay, error)
      || !sim_scenario_get_double (sc, "link.wan", "loss", 0, 1, &s->wan_loss, error))
    return FALSE;
  sim_scenario_declare_group (sc, "sweep");
  if (!sim_scenario_check_unknown (sc, error))
    return FALSE;
  if (!sim_scenario_has_key (sc, "scenario", "duration"))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_MISSING_KEY,
                          "scenario", "duration", "missing key (expected a duration like 3h)");
      return FALSE;
    }
  return TRUE;
}

static SimScenario *
load_text (const char *text)
{
  GError *error = NULL;
  SimScenario *sc = sim_scenario_load_data ("t.ini", text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sc);
  return sc;
}

/* Loads @text, expecting the load itself to fail with @code and @message. */
static void
assert_load_fails (const char *text, gssize len, int code, const char *message)
{
  GError *error = NULL;
  SimScenario *sc = sim_scenario_load_data ("t.ini", text, len, &error);

  g_assert_null (sc);
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_error_free (error);
}

/* ------------------------------------------------------------- syntax */

static const char full_text[] =
  "# natkeep scenario\n"                                  /* 1 */
  "; another comment style\n"                             /* 2 */
  "[scenario]\n"                                          /* 3 */
  "name = aws-nat-linux-defaults\n"                       /* 4 */
  "duration = 3h                  # simulated time\n"     /* 5 */
  "seed = 42\n"                                           /* 6 */
  "flows = 10000\n"                                       /* 7 */
  "\n"                                                    /* 8 */
  "[client]                       # behind the NAT\n"     /* 9 */
  "keepalive = on\n"                                      /* 10 */
  "keepidle = 2h4m\n"                                     /* 11 */
  "keepintvl = 75s ; semicolon comment\n"                 /* 12 */
  "keepcnt = 9\n"                                         /* 13 */
  "   # indented comment\n"                               /* 14 */
  "[nat]\n"                                               /* 15 */
  "mode = static\n"                                       /* 16 */
  "established_timeout = 350s\n"                          /* 17 */
  "ports = 1024-65535\n"                                  /* 18 */
  "[link.lan]\n"                                          /* 19 */
  "delay = 1ms\n"                                         /* 20 */
  "loss = 0\n"                                            /* 21 */
  "[link.wan]\n"                                          /* 22 */
  "delay = 20ms\n"                                        /* 23 */
  "loss = 0.01\n"                                         /* 24 */
  "[sweep]\n"                                             /* 25 */
  "nat.established_timeout = 60s, 240s, 350s\n"           /* 26 */
  "repeat = 3\n";                                         /* 27 */

static void
test_load_full (void)
{
  g_autoptr(SimScenario) sc = load_text (full_text);
  g_autoptr(GPtrArray) groups = sim_scenario_groups (sc);
  g_autoptr(GPtrArray) keys = sim_scenario_keys (sc, "client");
  g_autoptr(GPtrArray) none = sim_scenario_keys (sc, "absent");
  static const char *const group_order[] = {
    "scenario", "client", "nat", "link.lan", "link.wan", "sweep" };
  static const char *const client_order[] = {
    "keepalive", "keepidle", "keepintvl", "keepcnt" };
  GError *error = NULL;
  Schema s;

  g_assert_cmpstr (sim_scenario_path (sc), ==, "t.ini");
  g_assert_cmpuint (groups->len, ==, G_N_ELEMENTS (group_order));
  for (guint i = 0; i < groups->len; i++)
    g_assert_cmpstr (g_ptr_array_index (groups, i), ==, group_order[i]);
  g_assert_cmpuint (keys->len, ==, G_N_ELEMENTS (client_order));
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (keys, i), ==, client_order[i]);
  g_assert_cmpuint (none->len, ==, 0);

  schema_init (&s);
  g_assert_true (schema_read (sc, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s.name, ==, "aws-nat-linux-defaults");
  g_assert_cmpint (s.duration, ==, SIM_H (3));
  g_assert_cmpint (s.seed, ==, 42);
  g_assert_cmpint (s.flows, ==, 10000);
  g_assert_null (s.path);
  g_assert_true (s.keepalive);
  g_assert_cmpint (s.keepidle, ==, SIM_S (7440));
  g_assert_cmpint (s.keepintvl, ==, SIM_S (75));
  g_assert_cmpint (s.keepcnt, ==, 9);
  g_assert_cmpint (s.mode, ==, 2);
  g_assert_cmpint (s.established_timeout, ==, SIM_S (350));
  g_assert_cmpuint (s.port_lo, ==, 1024);
  g_assert_cmpuint (s.port_hi, ==, 65535);
  g_assert_cmpint (s.lan_delay, ==, SIM_MS (1));
  g_assert_cmpfloat (s.lan_loss, ==, 0.0);
  g_assert_cmpint (s.wan_delay, ==, SIM_MS (20));
  g_assert_cmpfloat (s.wan_loss, ==, 0.01);
  schema_clear (&s);
}

static void
test_comments (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[a]\n"
    "plain = 1ms   # lan\n"
    "tab = 2ms\t# after a tab\n"
    "semi = x ; y\n"
    "glued = napt#gw\n"
    "glued_semi = a;b\n"
    "inner = uniform 0s 10m  # three words stay one value\n"
    "equals = a=b\n"
    "# key = not read\n"
    "\t; neither = this\n");

  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "plain"), ==, "1ms");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "tab"), ==, "2ms");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "semi"), ==, "x");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "glued"), ==, "napt#gw");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "glued_semi"), ==, "a;b");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "inner"), ==, "uniform 0s 10m");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "a", "equals"), ==, "a=b");
  g_assert_false (sim_scenario_has_key (sc, "a", "key"));
  g_assert_false (sim_scenario_has_key (sc, "a", "neither"));
}

/* Tabs, CRLF, a BOM and a last line without '\n' are all fine. */
static void
test_line_endings (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "\xEF\xBB\xBF# saved by a Windows editor\r\n"
    "[client]\t\t# tab before the comment\r\n"
    "\tkeepalive\t=\ton\r\n"
    "keepidle = 60s\t\r\n"
    "\r\n"
    "[nat]\r\n"
    "mode = none");
  g_autofree char *where = NULL;
  GError *error = NULL;
  gboolean on = FALSE;
  SimTime idle = 0;
  int mode = -1;

  g_assert_true (sim_scenario_get_bool (sc, "client", "keepalive", &on, &error));
  g_assert_true (on);
  g_assert_true (sim_scenario_get_duration (sc, "client", "keepidle", 0, SIM_TIME_NEVER,
                                            &idle, &error));
  g_assert_cmpint (idle, ==, SIM_S (60));
  g_assert_true (sim_scenario_get_enum (sc, "nat", "mode", nat_modes, &mode, &error));
  g_assert_cmpint (mode, ==, 3);
  g_assert_no_error (error);
  where = sim_scenario_where (sc, "client", "keepidle");
  g_assert_cmpstr (where, ==, "t.ini:4");
}

static void
test_parse_errors (void)
{
  /* The shapes the bad files cannot show: length-limited text, a NUL in
   * the middle of a given length, an empty file. */
  g_autoptr(SimScenario) empty = load_text ("");
  g_autoptr(GPtrArray) groups = sim_scenario_groups (empty);

  g_assert_cmpuint (groups->len, ==, 0);
  assert_load_fails ("[a]\nk = v\n\0x = y\n", 15, NATKEEP_SCENARIO_ERROR_PARSE,
                     "t.ini:3: NUL byte (expected UTF-8 text)");
  assert_load_fails ("[a]\n\n\nk = \xff\n", -1, NATKEEP_SCENARIO_ERROR_PARSE,
                     "t.ini:4: invalid UTF-8 (expected UTF-8 text)");
  assert_load_fails ("[a]\n[[b]]\n", -1, NATKEEP_SCENARIO_ERROR_PARSE,
                     "t.ini:2: bad character '[' in group name \"[b\" "
                     "(expected letters, digits, '.', '_', '-')");
  assert_load_fails ("[caf\xc3\xa9]\n", -1, NATKEEP_SCENARIO_ERROR_PARSE,
                     "t.ini:1: bad character '\xc3\xa9' (U+00E9) in group name "
                     "\"caf\xc3\xa9\" (expected letters, digits, '.', '_', '-')");
}

/* ------------------------------------------------------------ getters */

static void
test_getter_duration (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\nbare = 300\nmixed = 2h4m\nfrac = 1.5s\nms = 250ms\nzero = 0s\n"
    "edge = 1d\nbig = 2d\n");
  GError *error = NULL;
  SimTime t = -1;

  g_assert_true (sim_scenario_get_duration (sc, "t", "bare", 0, SIM_TIME_NEVER, &t, &error));
  g_assert_cmpint (t, ==, SIM_S (300));
  g_assert_true (sim_scenario_get_duration (sc, "t", "mixed", 0, SIM_TIME_NEVER, &t, &error));
  g_assert_cmpint (t, ==, SIM_S (7440));
  g_assert_true (sim_scenario_get_duration (sc, "t", "frac", 0, SIM_TIME_NEVER, &t, &error));
  g_assert_cmpint (t, ==, SIM_MS (1500));
  g_assert_true (sim_scenario_get_duration (sc, "t", "ms", 0, SIM_TIME_NEVER, &t, &error));
  g_assert_cmpint (t, ==, SIM_MS (250));
  g_assert_true (sim_scenario_get_duration (sc, "t", "zero", 0, SIM_S (1), &t, &error));
  g_assert_cmpint (t, ==, 0);
  g_assert_true (sim_scenario_get_duration (sc, "t", "edge", SIM_D (1), SIM_D (1), &t, &error));
  g_assert_cmpint (t, ==, SIM_D (1));
  t = 123;                                    /* absent: default kept */
  g_assert_true (sim_scenario_get_duration (sc, "t", "absent", 0, SIM_S (1), &t, &error));
  g_assert_true (sim_scenario_get_duration (sc, "nogroup", "x", 0, SIM_S (1), &t, &error));
  g_assert_cmpint (t, ==, 123);
  g_assert_no_error (error);

  g_assert_false (sim_scenario_get_duration (sc, "t", "big", 0, SIM_D (1), &t, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==,
                   "t.ini:8: [t] big: 2d is out of range (expected a duration from 0s to 1d)");
  g_assert_cmpint (t, ==, 123);               /* bad value: unchanged */
  g_clear_error (&error);
}

static void
test_getter_int (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\na = 10000000\nb = -5\nc = +7\nmax = 9223372036854775807\n"
    "min = -9223372036854775808\nlow = -9223372036854775809\nspace = 1 000\n");
  GError *error = NULL;
  gint64 v = 0;

  g_assert_true (sim_scenario_get_int (sc, "t", "a", 1, 10000000, &v, &error));
  g_assert_cmpint (v, ==, 10000000);
  g_assert_true (sim_scenario_get_int (sc, "t", "b", -10, 10, &v, &error));
  g_assert_cmpint (v, ==, -5);
  g_assert_true (sim_scenario_get_int (sc, "t", "c", -10, 10, &v, &error));
  g_assert_cmpint (v, ==, 7);
  g_assert_true (sim_scenario_get_int (sc, "t", "max", G_MININT64, G_MAXINT64, &v, &error));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (sim_scenario_get_int (sc, "t", "min", G_MININT64, G_MAXINT64, &v, &error));
  g_assert_cmpint (v, ==, G_MININT64);
  g_assert_no_error (error);

  g_assert_false (sim_scenario_get_int (sc, "t", "low", G_MININT64, G_MAXINT64, &v, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "t.ini:7: [t] low: bad integer "
                   "\"-9223372036854775809\": too large for 64 bits (expected an integer)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_int (sc, "t", "space", G_MININT64, 100, &v, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:8: [t] space: bad integer \"1 000\" "
                   "(expected an integer of at most 100)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_int (sc, "t", "a", 1, 9999999, &v, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:2: [t] a: 10000000 is out of range "
                   "(expected an integer from 1 to 9999999)");
  g_clear_error (&error);
}

static void
test_getter_double (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\na = 0.25\nb = 1e-3\nc = -2\nd = 1\nhuge = 1e999\nhex = 0x1p-2\n");
  GError *error = NULL;
  double v = -1;

  g_assert_true (sim_scenario_get_double (sc, "t", "a", 0, 1, &v, &error));
  g_assert_cmpfloat (v, ==, 0.25);
  g_assert_true (sim_scenario_get_double (sc, "t", "b", 0, 1, &v, &error));
  g_assert_cmpfloat (v, ==, 1e-3);
  g_assert_true (sim_scenario_get_double (sc, "t", "c", -INFINITY, INFINITY, &v, &error));
  g_assert_cmpfloat (v, ==, -2);
  g_assert_true (sim_scenario_get_double (sc, "t", "d", 0, 1, &v, &error));
  g_assert_cmpfloat (v, ==, 1);
  g_assert_no_error (error);

  g_assert_false (sim_scenario_get_double (sc, "t", "huge", 0, INFINITY, &v, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "t.ini:6: [t] huge: bad number \"1e999\": "
                   "too large (expected a number of at least 0)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_double (sc, "t", "hex", -INFINITY, 0.5, &v, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:7: [t] hex: bad number \"0x1p-2\" "
                   "(expected a number of at most 0.5)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_double (sc, "t", "a", 0.3, 0.7, &v, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==, "t.ini:2: [t] a: 0.25 is out of range "
                   "(expected a number from 0.3 to 0.7)");
  g_clear_error (&error);
}

static void
test_getter_bool (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\na = on\nb = off\nc = true\nd = false\ne = On\n");
  GError *error = NULL;
  gboolean v = FALSE;

  g_assert_true (sim_scenario_get_bool (sc, "t", "a", &v, &error) && v);
  g_assert_true (sim_scenario_get_bool (sc, "t", "b", &v, &error) && !v);
  g_assert_true (sim_scenario_get_bool (sc, "t", "c", &v, &error) && v);
  g_assert_true (sim_scenario_get_bool (sc, "t", "d", &v, &error) && !v);
  g_assert_no_error (error);
  g_assert_false (sim_scenario_get_bool (sc, "t", "e", &v, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "t.ini:6: [t] e: bad boolean \"On\" (expected on, off, true, false)");
  g_clear_error (&error);
}

static void
test_getter_enum (void)
{
  g_autoptr(SimScenario) sc = load_text ("[t]\na = dynamic\nb = stat\nc = bogus\n");
  GError *error = NULL;
  int v = -1;

  g_assert_true (sim_scenario_get_enum (sc, "t", "a", nat_modes, &v, &error));
  g_assert_cmpint (v, ==, 1);
  g_assert_no_error (error);
  g_assert_false (sim_scenario_get_enum (sc, "t", "b", nat_modes, &v, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:3: [t] b: unknown value \"stat\" (expected "
                   "one of: napt, dynamic, static, none; did you mean \"static\"?)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_enum (sc, "t", "c", nat_modes, &v, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:4: [t] c: unknown value \"bogus\" "
                   "(expected one of: napt, dynamic, static, none)");
  g_clear_error (&error);
  g_assert_cmpint (v, ==, 1);
}

static void
test_getter_port_range (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\nrange = 1024-65535\nsingle = 5060\nspaced = 10 - 20\nfull = 1-65535\n"
    "neg = -5\nbig = 99999999999999999999\n");
  GError *error = NULL;
  guint16 lo = 0, hi = 0;

  g_assert_true (sim_scenario_get_port_range (sc, "t", "range", &lo, &hi, &error));
  g_assert_cmpuint (lo, ==, 1024);
  g_assert_cmpuint (hi, ==, 65535);
  g_assert_true (sim_scenario_get_port_range (sc, "t", "single", &lo, &hi, &error));
  g_assert_cmpuint (lo, ==, 5060);
  g_assert_cmpuint (hi, ==, 5060);
  g_assert_true (sim_scenario_get_port_range (sc, "t", "spaced", &lo, &hi, &error));
  g_assert_cmpuint (lo, ==, 10);
  g_assert_cmpuint (hi, ==, 20);
  g_assert_true (sim_scenario_get_port_range (sc, "t", "full", &lo, &hi, &error));
  g_assert_cmpuint (lo, ==, 1);
  g_assert_cmpuint (hi, ==, 65535);
  g_assert_no_error (error);

  g_assert_false (sim_scenario_get_port_range (sc, "t", "neg", &lo, &hi, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "t.ini:6: [t] neg: bad port range \"-5\" "
                   "(expected LO-HI with 1 <= LO <= HI <= 65535)");
  g_clear_error (&error);
  g_assert_false (sim_scenario_get_port_range (sc, "t", "big", &lo, &hi, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE);
  g_assert_cmpstr (error->message, ==, "t.ini:7: [t] big: port 99999999999999999999 is "
                   "out of range (expected LO-HI with 1 <= LO <= HI <= 65535)");
  g_clear_error (&error);
  g_assert_cmpuint (lo, ==, 1);
  g_assert_cmpuint (hi, ==, 65535);
}

static void
test_getter_list_string (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[t]\npath = cpe,  cgnat ,alb\none = solo\ntrail = a, b,\nname = a b  c\n");
  g_auto(GStrv) list = g_strsplit ("default", ",", -1);
  g_autofree char *name = g_strdup ("default");
  GError *error = NULL;

  g_assert_true (sim_scenario_get_list (sc, "t", "path", &list, &error));
  g_assert_cmpuint (g_strv_length (list), ==, 3);
  g_assert_cmpstr (list[0], ==, "cpe");
  g_assert_cmpstr (list[1], ==, "cgnat");
  g_assert_cmpstr (list[2], ==, "alb");
  g_assert_true (sim_scenario_get_list (sc, "t", "one", &list, &error));
  g_assert_cmpuint (g_strv_length (list), ==, 1);
  g_assert_cmpstr (list[0], ==, "solo");
  g_assert_true (sim_scenario_get_list (sc, "t", "absent", &list, &error));
  g_assert_cmpstr (list[0], ==, "solo");
  g_assert_true (sim_scenario_get_string (sc, "t", "absent", &name, &error));
  g_assert_cmpstr (name, ==, "default");
  g_assert_true (sim_scenario_get_string (sc, "t", "name", &name, &error));
  g_assert_cmpstr (name, ==, "a b  c");
  g_assert_no_error (error);

  g_assert_false (sim_scenario_get_list (sc, "t", "trail", &list, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "t.ini:4: [t] trail: empty item 3 in \"a, b,\" "
                   "(expected items separated by commas)");
  g_clear_error (&error);
  g_assert_cmpstr (list[0], ==, "solo");
}

/* ----------------------------------------------- overrides, locations */

static void
test_override (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[scenario]\nduration = 1h\n[link.wan]\ndelay = 20ms\n");
  g_autofree char *w1 = NULL, *w2 = NULL, *w3 = NULL;
  GError *error = NULL;
  SimTime t = 0;

  g_assert_true (sim_scenario_set_override (sc, "link.wan.delay=5ms", &error));
  g_assert_true (sim_scenario_set_override (sc, " nat.mode = napt ", &error));
  g_assert_true (sim_scenario_set_override (sc, "client.keepidle=abc", &error));
  g_assert_true (sim_scenario_set_override (sc, "t.expr=a=b", &error));
  g_assert_no_error (error);

  g_assert_false (sim_scenario_has_key (sc, "link", "wan.delay"));
  g_assert_true (sim_scenario_get_duration (sc, "link.wan", "delay", 0, SIM_S (1), &t, &error));
  g_assert_cmpint (t, ==, SIM_MS (5));
  g_assert_true (sim_scenario_has_group (sc, "nat"));
  g_assert_cmpstr (sim_scenario_get_raw (sc, "nat", "mode"), ==, "napt");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "t", "expr"), ==, "a=b");

  w1 = sim_scenario_where (sc, "link.wan", "delay");
  g_assert_cmpstr (w1, ==, "--set link.wan.delay");
  w2 = sim_scenario_where (sc, "link.wan", "loss");       /* absent: header */
  g_assert_cmpstr (w2, ==, "t.ini:3");
  w3 = sim_scenario_where (sc, "nat", NULL);              /* made by --set */
  g_assert_cmpstr (w3, ==, "--set nat.mode");

  g_assert_false (sim_scenario_get_duration (sc, "client", "keepidle", 0, SIM_TIME_NEVER,
                                             &t, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "--set client.keepidle: [client] keepidle: bad "
                   "duration \"abc\": not number+unit pairs, largest unit first "
                   "(expected a duration like 300s, 2h4m, 250ms)");
  g_clear_error (&error);

  /* Programmatic set, e.g. a sweep point, with its own location. */
  sim_scenario_set (sc, "scenario", "duration", "2h", "sweep point 3");
  g_assert_cmpstr (sim_scenario_get_raw (sc, "scenario", "duration"), ==, "2h");
  sim_scenario_error (sc, &error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE,
                      "scenario", "duration", "too long for %s", "this test");
  g_assert_cmpstr (error->message, ==,
                   "sweep point 3: [scenario] duration: too long for this test");
  g_clear_error (&error);
}

static void
test_override_bad (void)
{
  static const char *const bad[] = {
    "nat.mode",             /* no '=' */
    "mode=napt",            /* no dot */
    ".mode=napt",           /* empty group */
    "nat.=napt",            /* empty key */
    "nat.mode=",            /* empty value */
    "nat.mode=   ",
    "nat gw.mode=napt",     /* bad group character */
    "nat.mo de=napt",       /* bad key character */
    "=5",
  };
  g_autoptr(SimScenario) sc = load_text ("[nat]\nmode = napt\n");
  GError *error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *expected = g_strdup_printf ("--set %s: expected GROUP.KEY=VALUE",
                                                   bad[i]);

      g_assert_false (sim_scenario_set_override (sc, bad[i], &error));
      g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_error (&error);
    }
  g_assert_false (sim_scenario_set_override (sc, "nat.mode=caf\xe9", &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==,
                   "--set nat.mode=caf\xef\xbf\xbd: expected GROUP.KEY=VALUE");
  g_clear_error (&error);
  g_assert_cmpstr (sim_scenario_get_raw (sc, "nat", "mode"), ==, "napt");
  g_assert_true (sim_scenario_set_override (sc, "nat.mode=none", NULL));
  g_assert_cmpstr (sim_scenario_get_raw (sc, "nat", "mode"), ==, "none");
}

static void
test_where (void)
{
  g_autoptr(SimScenario) sc = load_text ("\n[scenario]\nflows = 1\n\n[nat]\n");
  g_autofree char *key = sim_scenario_where (sc, "scenario", "flows");
  g_autofree char *missing = sim_scenario_where (sc, "nat", "mode");
  g_autofree char *group = sim_scenario_where (sc, "nat", NULL);
  g_autofree char *nogroup = sim_scenario_where (sc, "client", "keepidle");
  GError *error = NULL;

  g_assert_cmpstr (key, ==, "t.ini:3");
  g_assert_cmpstr (missing, ==, "t.ini:5");
  g_assert_cmpstr (group, ==, "t.ini:5");
  g_assert_cmpstr (nogroup, ==, "t.ini");
  sim_scenario_error (sc, &error, NATKEEP_SCENARIO_ERROR_MISSING_KEY, "nat", "mode",
                      "missing key (expected %s)", "napt, dynamic, static, none");
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_MISSING_KEY);
  g_assert_cmpstr (error->message, ==, "t.ini:5: [nat] mode: missing key "
                   "(expected napt, dynamic, static, none)");
  g_clear_error (&error);
  sim_scenario_error (sc, &error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, "nat", NULL,
                      "needs a mode");
  g_assert_cmpstr (error->message, ==, "t.ini:5: [nat]: needs a mode");
  g_clear_error (&error);
}

static void
test_load_file (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *expected = NULL;
  GError *error = NULL;
  SimScenario *sc;
  int fd;

  fd = g_file_open_tmp ("natkeep-XXXXXX.ini", &tmp, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (tmp, "[nat]\r\nmode = napt\r\n", -1, &error));
  sc = sim_scenario_load (tmp, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sim_scenario_path (sc), ==, tmp);
  g_assert_cmpstr (sim_scenario_get_raw (sc, "nat", "mode"), ==, "napt");
  sim_scenario_free (sc);
  g_assert_cmpint (g_remove (tmp), ==, 0);

  sc = sim_scenario_load (tmp, &error);
  g_assert_null (sc);
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_FAILED);
  expected = g_strdup_printf ("%s: No such file or directory", tmp);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
}

/* ------------------------------------------------ unknown keys, copies */

static void
test_unknown (void)
{
  g_autoptr(SimScenario) sc = load_text (
    "[nat]\n"                           /* 1 */
    "mode = napt\n"                     /* 2 */
    "establihsed_timeout = 350s\n"      /* 3 */
    "colour = red\n"                    /* 4 */
    "[sweep]\n"                         /* 5 */
    "anything = 1, 2\n"                 /* 6 */
    "[lnik.wan]\n"                      /* 7 */
    "delay = 1ms\n");                   /* 8 */
  GError *error = NULL;
  SimTime t = 0;
  int mode = 0;

  /* Nothing read yet: the first group is unknown, and nothing is close. */
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_UNKNOWN_KEY);
  g_assert_cmpstr (error->message, ==, "t.ini:1: [nat]: unknown group");
  g_clear_error (&error);

  g_assert_true (sim_scenario_get_enum (sc, "nat", "mode", nat_modes, &mode, &error));
  g_assert_true (sim_scenario_get_duration (sc, "nat", "established_timeout", 0,
                                            SIM_TIME_NEVER, &t, &error));
  g_assert_true (sim_scenario_get_duration (sc, "link.wan", "delay", 0, SIM_S (1),
                                            &t, &error));
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:3: [nat] establihsed_timeout: unknown key "
                   "(did you mean \"established_timeout\"?)");
  g_clear_error (&error);

  sim_scenario_declare (sc, "nat", "establihsed_timeout");
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:4: [nat] colour: unknown key");
  g_clear_error (&error);

  g_assert_nonnull (sim_scenario_get_raw (sc, "nat", "colour"));
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:5: [sweep]: unknown group");
  g_clear_error (&error);

  sim_scenario_declare_group (sc, "sweep");
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==,
                   "t.ini:7: [lnik.wan]: unknown group (did you mean \"link.wan\"?)");
  g_clear_error (&error);

  sim_scenario_declare (sc, "lnik.wan", "delay");
  g_assert_true (sim_scenario_check_unknown (sc, &error));
  g_assert_no_error (error);

  /* Overrides come after the file, in --set order. */
  g_assert_true (sim_scenario_set_override (sc, "nat.mdoe=none", NULL));
  g_assert_true (sim_scenario_set_override (sc, "client.keepidle=1s", NULL));
  g_assert_true (sim_scenario_set_override (sc, "sweep.x=1", NULL));
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==,
                   "--set nat.mdoe: [nat] mdoe: unknown key (did you mean \"mode\"?)");
  g_clear_error (&error);
  sim_scenario_declare (sc, "nat", "mdoe");
  g_assert_false (sim_scenario_check_unknown (sc, &error));
  g_assert_cmpstr (error->message, ==, "--set client.keepidle: [client]: unknown group");
  g_clear_error (&error);
}

static void
test_copy (void)
{
  g_autoptr(SimScenario) sc = load_text ("[nat]\nmode = napt\nports = 1-10\n[sweep]\nx = 1\n");
  g_autoptr(SimScenario) copy = NULL;
  g_autofree char *where = NULL;
  GError *error = NULL;

  g_assert_nonnull (sim_scenario_get_raw (sc, "nat", "mode"));
  sim_scenario_declare_group (sc, "sweep");
  copy = sim_scenario_copy (sc);
  sim_scenario_free (g_steal_pointer (&sc));       /* the copy owns its strings */

  g_assert_cmpstr (sim_scenario_path (copy), ==, "t.ini");
  g_assert_cmpstr (sim_scenario_get_raw (copy, "nat", "mode"), ==, "napt");
  where = sim_scenario_where (copy, "nat", "ports");
  g_assert_cmpstr (where, ==, "t.ini:3");
  /* Marks were copied: only "ports" is still unknown. */
  g_assert_false (sim_scenario_check_unknown (copy, &error));
  g_assert_cmpstr (error->message, ==, "t.ini:3: [nat] ports: unknown key");
  g_clear_error (&error);

  /* A change to one copy leaves the other alone, marks included. */
  sc = sim_scenario_copy (copy);
  g_assert_true (sim_scenario_set_override (copy, "nat.mode=none", NULL));
  g_assert_nonnull (sim_scenario_get_raw (copy, "nat", "ports"));
  g_assert_true (sim_scenario_check_unknown (copy, NULL));
  g_assert_false (sim_scenario_check_unknown (sc, NULL));
  g_assert_cmpstr (sim_scenario_get_raw (sc, "nat", "mode"), ==, "napt");
  g_assert_cmpstr (sim_scenario_get_raw (copy, "nat", "mode"), ==, "none");
}

static void
test_edit_distance (void)
{
  static const char *const words[] = { "nat", "scenario", "client" };

  g_assert_cmpuint (sim_edit_distance ("", ""), ==, 0);
  g_assert_cmpuint (sim_edit_distance ("", "abc"), ==, 3);
  g_assert_cmpuint (sim_edit_distance ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (sim_edit_distance ("establihsed", "established"), ==, 2);
  g_assert_cmpstr (sim_scenario_hint ("natt", words, 3), ==, "nat");
  g_assert_cmpstr (sim_scenario_hint ("CLIENT", words, 3), ==, "client");
  g_assert_cmpstr (sim_scenario_hint ("scenraio", words, 3), ==, "scenario");
  g_assert_null (sim_scenario_hint ("database", words, 3));
  g_assert_null (sim_scenario_hint ("x", words, 3));  /* 2 edits, 1 letter */
  g_assert_null (sim_scenario_hint ("nat", words, 0));
}

/* ---------------------------------------------------------- bad files */

typedef struct {
  const char *file;
  int         code;
  const char *message;      /* full, as it follows the directory */
} BadCase;

#define E(c) NATKEEP_SCENARIO_ERROR_##c
#define PORTS "(expected LO-HI with 1 <= LO <= HI <= 65535)"
#define NAMES "(expected letters, digits, '.', '_', '-')"
#define DURATION_LIKE "(expected a duration like 300s, 2h4m, 250ms)"
#define MODES "expected one of: napt, dynamic, static, none"

static const BadCase bad_cases[] = {
  { "bad-unit.ini", E (INVALID_VALUE),
    "bad-unit.ini:7: [client] keepidle: bad duration \"7200x\": unknown unit " DURATION_LIKE },
  { "bad-utf8.ini", E (PARSE), "bad-utf8.ini:2: invalid UTF-8 (expected UTF-8 text)" },
  { "bad-bool.ini", E (INVALID_VALUE),
    "bad-bool.ini:5: [client] keepalive: bad boolean \"yes please\" "
    "(expected on, off, true, false)" },
  { "bool-yes.ini", E (INVALID_VALUE),
    "bool-yes.ini:5: [client] keepalive: bad boolean \"yes\" (expected on, off, true, false)" },
  { "bad-enum.ini", E (INVALID_VALUE),
    "bad-enum.ini:5: [nat] mode: unknown value \"naptt\" (" MODES "; did you mean \"napt\"?)" },
  { "crlf-bad-unit.ini", E (INVALID_VALUE),
    "crlf-bad-unit.ini:4: [client] keepintvl: bad duration \"75q\": unknown unit "
    DURATION_LIKE },
  { "dup-group.ini", E (DUPLICATE_KEY),
    "dup-group.ini:10: [client]: duplicate group (first header at line 4)" },
  { "dup-key.ini", E (DUPLICATE_KEY),
    "dup-key.ini:6: [nat] established_timeout: duplicate key (first set at line 4)" },
  { "duration-above-max.ini", E (OUT_OF_RANGE),
    "duration-above-max.ini:2: [scenario] duration: 400d is out of range "
    "(expected a duration from 1s to 365d)" },
  { "duration-below-min.ini", E (OUT_OF_RANGE),
    "duration-below-min.ini:3: [scenario] duration: 500ms is out of range "
    "(expected a duration from 1s to 365d)" },
  { "duration-overflow.ini", E (OUT_OF_RANGE),
    "duration-overflow.ini:6: [client] keepidle: 200000d is too large "
    "(expected a duration of at most about 106751d)" },
  { "duration-syntax.ini", E (INVALID_VALUE),
    "duration-syntax.ini:6: [client] keepidle: bad duration \"2 hours\": "
    "not number+unit pairs, largest unit first " DURATION_LIKE },
  { "empty-group-name.ini", E (PARSE),
    "empty-group-name.ini:4: empty group name (expected [GROUP])" },
  { "empty-key.ini", E (PARSE), "empty-key.ini:5: empty key before '=' (expected KEY = VALUE)" },
  { "empty-list-item.ini", E (INVALID_VALUE),
    "empty-list-item.ini:3: [scenario] path: empty item 2 in \"cpe, , cgnat\" "
    "(expected items separated by commas)" },
  { "empty-value.ini", E (INVALID_VALUE),
    "empty-value.ini:6: [client] keepidle: empty value (expected a value after '=')" },
  { "enum-case.ini", E (INVALID_VALUE),
    "enum-case.ini:5: [nat] mode: unknown value \"NAPT\" (" MODES "; did you mean \"napt\"?)" },
  { "flows-zero.ini", E (OUT_OF_RANGE),
    "flows-zero.ini:3: [scenario] flows: 0 is out of range "
    "(expected an integer from 1 to 10000000)" },
  { "glued-hash.ini", E (INVALID_VALUE),
    "glued-hash.ini:5: [nat] mode: unknown value \"napt#nat-gw\" (" MODES ")" },
  { "group-with-space.ini", E (PARSE),
    "group-with-space.ini:4: bad character ' ' in group name \"link wan\" " NAMES },
  { "int-not-decimal.ini", E (INVALID_VALUE),
    "int-not-decimal.ini:3: [scenario] flows: bad integer \"1e6\" "
    "(expected an integer from 1 to 10000000)" },
  { "int-overflow.ini", E (INVALID_VALUE),
    "int-overflow.ini:3: [scenario] seed: bad integer \"99999999999999999999\": "
    "too large for 64 bits (expected an integer of at least 0)" },
  { "keepcnt-negative.ini", E (OUT_OF_RANGE),
    "keepcnt-negative.ini:6: [client] keepcnt: -1 is out of range "
    "(expected an integer from 1 to 127)" },
  { "key-before-group.ini", E (PARSE),
    "key-before-group.ini:2: key \"name\" before any group (expected a [GROUP] line first)" },
  { "key-with-space.ini", E (PARSE),
    "key-with-space.ini:5: [client] keep idle: bad character ' ' in key name " NAMES },
  { "key-with-tab.ini", E (PARSE),
    "key-with-tab.ini:5: [client] keep\tidle: bad character U+0009 in key name " NAMES },
  { "loss-above-one.ini", E (OUT_OF_RANGE),
    "loss-above-one.ini:6: [link.wan] loss: 1.5 is out of range "
    "(expected a number from 0 to 1)" },
  { "loss-nan.ini", E (INVALID_VALUE),
    "loss-nan.ini:6: [link.lan] loss: bad number \"nan\" (expected a number from 0 to 1)" },
  { "loss-not-number.ini", E (INVALID_VALUE),
    "loss-not-number.ini:6: [link.wan] loss: bad number \"0.1%\" "
    "(expected a number from 0 to 1)" },
  { "missing-duration.ini", E (MISSING_KEY),
    "missing-duration.ini:1: [scenario] duration: missing key (expected a duration like 3h)" },
  { "nbsp-key.ini", E (PARSE),
    "nbsp-key.ini:5: [client] keepidle\xc2\xa0: bad character '\xc2\xa0' (U+00A0) "
    "in key name " NAMES },
  { "negative-duration.ini", E (OUT_OF_RANGE),
    "negative-duration.ini:6: [client] keepintvl: -75s is negative "
    "(expected a duration from 1s to 9h6m7s)" },
  { "no-equals.ini", E (PARSE),
    "no-equals.ini:5: missing '=' in \"keepalive on\" (expected KEY = VALUE or [GROUP])" },
  { "nul-byte.ini", E (PARSE), "nul-byte.ini:3: NUL byte (expected UTF-8 text)" },
  { "port-high.ini", E (OUT_OF_RANGE),
    "port-high.ini:6: [nat] ports: port 70000 is out of range " PORTS },
  { "port-zero.ini", E (OUT_OF_RANGE),
    "port-zero.ini:6: [nat] ports: port 0 is out of range " PORTS },
  { "ports-reversed.ini", E (INVALID_VALUE),
    "ports-reversed.ini:6: [nat] ports: low port 2000 above high port 1000 " PORTS },
  { "ports-syntax.ini", E (INVALID_VALUE),
    "ports-syntax.ini:6: [nat] ports: bad port range \"1024:65535\" " PORTS },
  { "text-after-header.ini", E (PARSE),
    "text-after-header.ini:4: unexpected \"mode = napt\" after [nat] "
    "(expected a comment starting with '#' or ';')" },
  { "typo-group.ini", E (UNKNOWN_KEY),
    "typo-group.ini:4: [natt]: unknown group (did you mean \"nat\"?)" },
  { "typo-key.ini", E (UNKNOWN_KEY),
    "typo-key.ini:7: [nat] establihsed_timeout: unknown key "
    "(did you mean \"established_timeout\"?)" },
  { "unknown-group-no-hint.ini", E (UNKNOWN_KEY),
    "unknown-group-no-hint.ini:4: [database]: unknown group" },
  { "unknown-key-no-hint.ini", E (UNKNOWN_KEY),
    "unknown-key-no-hint.ini:6: [client] color: unknown key" },
  { "unterminated-group.ini", E (PARSE),
    "unterminated-group.ini:4: unterminated group header \"[nat\" (expected [GROUP])" },
};

static void
test_bad_file (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad", c->file, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(SimScenario) sc = NULL;
  GError *error = NULL;
  Schema s;

  schema_init (&s);
  sc = sim_scenario_load (path, &error);
  if (sc != NULL)
    g_assert_false (schema_read (sc, &s, &error));
  schema_clear (&s);
  g_assert_error (error, NATKEEP_SCENARIO_ERROR, c->code);
  g_assert_true (g_str_has_prefix (error->message, dir));
  g_assert_cmpint (error->message[strlen (dir)], ==, G_DIR_SEPARATOR);
  g_assert_cmpstr (error->message + strlen (dir) + 1, ==, c->message);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\r'));
  g_error_free (error);
}

/* Every file in data/bad has a row here and a line in the README. */
static void
test_bad_all_listed (void)
{
  g_autofree char *dirname = g_test_build_filename (G_TEST_DIST, "data", "bad", NULL);
  g_autofree char *readme_path = g_build_filename (dirname, "README", NULL);
  g_autofree char *readme = NULL;
  g_autoptr(GDir) dir = NULL;
  GError *error = NULL;
  const char *name;
  guint files = 0;

  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, &error));
  dir = g_dir_open (dirname, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *line = g_strdup_printf ("\n%s ", name);
      gboolean found = FALSE;

      if (!g_str_has_suffix (name, ".ini"))
        continue;
      files++;
      for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
        found = found || strcmp (bad_cases[i].file, name) == 0;
      if (!found)
        g_test_message ("%s has no row in bad_cases", name);
      g_assert_true (found);
      g_assert_nonnull (strstr (readme, line));
    }
  g_assert_cmpuint (files, ==, G_N_ELEMENTS (bad_cases));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/load/full", test_load_full);
  g_test_add_func ("/scenario/load/file", test_load_file);
  g_test_add_func ("/scenario/syntax/comments", test_comments);
  g_test_add_func ("/scenario/syntax/line-endings", test_line_endings);
  g_test_add_func ("/scenario/syntax/errors", test_parse_errors);
  g_test_add_func ("/scenario/getter/duration", test_getter_duration);
  g_test_add_func ("/scenario/getter/int", test_getter_int);
  g_test_add_func ("/scenario/getter/double", test_getter_double);
  g_test_add_func ("/scenario/getter/bool", test_getter_bool);
  g_test_add_func ("/scenario/getter/enum", test_getter_enum);
  g_test_add_func ("/scenario/getter/port-range", test_getter_port_range);
  g_test_add_func ("/scenario/getter/list-string", test_getter_list_string);
  g_test_add_func ("/scenario/override/set", test_override);
  g_test_add_func ("/scenario/override/bad", test_override_bad);
  g_test_add_func ("/scenario/where", test_where);
  g_test_add_func ("/scenario/unknown", test_unknown);
  g_test_add_func ("/scenario/copy", test_copy);
  g_test_add_func ("/scenario/edit-distance", test_edit_distance);
  g_test_add_func ("/scenario/bad/all-listed", test_bad_all_listed);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *stem = g_strndup (bad_cases[i].file, strlen (bad_cases[i].file) - 4);
      g_autofree char *path = g_strdup_printf ("/scenario/bad/%s", stem);

      g_test_add_data_func (path, &bad_cases[i], test_bad_file);
    }
  return g_test_run ();
}
