/* sim/scenario_value.c — typed getters for scenario values.
 *
 * Each getter reads one raw string through sim_scenario_get_raw() (which
 * marks the key known), checks its syntax and the caller's range, and on a
 * bad value builds the one-line message with sim_scenario_error(), so the
 * text always names the line to edit and what would have been accepted.
 * Syntax is deliberately narrow: integers are decimal, numbers plain
 * decimal, booleans on/off/true/false, enums exact; a value that a reader
 * could take two ways is rejected rather than guessed.  Durations are left
 * to sim_time_parse().
 */
#include <math.h>
#include <string.h>
#include <glib.h>
#include "sim/scenario.h"

#define PORTS_EXPECTED "expected LO-HI with 1 <= LO <= HI <= 65535"

static char *
trim (char *s)
{
  while (g_ascii_isspace (*s))
    s++;
  return g_strchomp (s);
}

guint
sim_edit_distance (const char *a, const char *b)
{
  size_t la = strlen (a), lb = strlen (b);
  guint *row = g_new (guint, lb + 1);
  guint result;

  /* Byte-wise Levenshtein with one row: names and choices are ASCII. */
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (size_t j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint best = MIN (row[j] + 1, row[j - 1] + 1);

          row[j] = MIN (best, diag + (a[i - 1] != b[j - 1]));
          diag = up;
        }
    }
  result = row[lb];
  g_free (row);
  return result;
}

/* Nothing is close at more than max (2, len / 3) edits, or at as many edits
 * as @word has characters (else a short word would match anything).  Case
 * is ignored, so "NAPT" suggests "napt". */
const char *
sim_scenario_hint (const char *word, const char *const *cands, guint n)
{
  g_autofree char *lw = g_ascii_strdown (word, -1);
  size_t len = strlen (word);
  guint limit = MAX (2, len / 3), best_d = G_MAXUINT;
  const char *best = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *lc = g_ascii_strdown (cands[i], -1);
      guint d = sim_edit_distance (lw, lc);

      if (d < best_d)
        {
          best_d = d;
          best = cands[i];
        }
    }
  return best != NULL && best_d <= limit && best_d < len ? best : NULL;
}


/* "a duration from 1s to 1d", or "a duration of at least 1s" when @max is
 * SIM_TIME_NEVER (about 106751 days, whose exact form helps nobody). */
static char *
duration_expected (SimTime min, SimTime max)
{
  char lo[64], hi[64];

  sim_time_format (min, lo, sizeof lo);
  if (max == SIM_TIME_NEVER)
    return g_strdup_printf ("a duration of at least %s", lo);
  return g_strdup_printf ("a duration from %s to %s", lo,
                          sim_time_format (max, hi, sizeof hi));
}

/* Our own words, not sim_time_error_string(): the message already ends in
 * "(expected a duration like ...)", so the reason stays short. */
static const char *
duration_syntax_reason (SimTimeError err)
{
  switch (err)
    {
    case SIM_TIME_ERR_EMPTY:
      return "empty";
    case SIM_TIME_ERR_SYNTAX:
      return "not number+unit pairs, largest unit first";
    case SIM_TIME_ERR_UNIT:
      return "unknown unit";
    case SIM_TIME_ERR_PRECISION:
      return "finer than 1ns";
    default:
      return sim_time_error_string (err);
    }
}

gboolean
sim_scenario_get_duration (SimScenario *sc, const char *group, const char *key,
                           SimTime min, SimTime max, SimTime *out, GError **error)
{
  g_autofree char *expected = NULL;
  const char *raw;
  SimTimeError err;
  SimTime t = 0;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (0 <= min && min <= max && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  err = sim_time_parse (raw, &t);
  if (err == SIM_TIME_OK && min <= t && t <= max)
    {
      *out = t;
      return TRUE;
    }
  expected = duration_expected (min, max);
  /* A negative or unrepresentable duration is a range problem, not a
   * syntax one: the user wrote a duration, just not a possible one. */
  if (err == SIM_TIME_OK)
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                        "%s is out of range (expected %s)", raw, expected);
  else if (err == SIM_TIME_ERR_NEGATIVE)
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                        "%s is negative (expected %s)", raw, expected);
  else if (err == SIM_TIME_ERR_OVERFLOW)
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                        "%s is too large (expected %s)", raw,
                        max == SIM_TIME_NEVER ? "a duration of at most about 106751d"
                                                : expected);
  else
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                        "bad duration \"%s\": %s (expected a duration like 300s, "
                        "2h4m, 250ms)", raw, duration_syntax_reason (err));
  return FALSE;
}

/* Decimal only, with an optional sign: "0x10", "1e6" and "10_000" are
 * rejected so that a number means the same to every reader.  On FALSE,
 * *overflow tells "too many digits" from "not a number". */
static gboolean
parse_int64 (const char *s, gint64 *out, gboolean *overflow)
{
  gboolean neg = FALSE;
  guint64 v = 0, limit;

  *overflow = FALSE;
  if (*s == '+' || *s == '-')
    neg = *s++ == '-';
  if (*s == '\0')
    return FALSE;
  limit = neg ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; *s != '\0'; s++)
    {
      guint d = *s - '0';

      if (!g_ascii_isdigit (*s))
        return *overflow = FALSE;
      if (v > (limit - d) / 10)
        *overflow = TRUE;       /* keep scanning: "9999...9x" is not a number */
      else
        v = v * 10 + d;
    }
  if (*overflow)
    return FALSE;
  *out = !neg ? (gint64) v : v == limit ? G_MININT64 : -(gint64) v;
  return TRUE;
}

static char *
int_expected (gint64 min, gint64 max)
{
  if (min == G_MININT64 && max == G_MAXINT64)
    return g_strdup ("an integer");
  if (max == G_MAXINT64)
    return g_strdup_printf ("an integer of at least %" G_GINT64_FORMAT, min);
  if (min == G_MININT64)
    return g_strdup_printf ("an integer of at most %" G_GINT64_FORMAT, max);
  return g_strdup_printf ("an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                          min, max);
}

gboolean
sim_scenario_get_int (SimScenario *sc, const char *group, const char *key,
                      gint64 min, gint64 max, gint64 *out, GError **error)
{
  g_autofree char *expected = NULL;
  gboolean ok, overflow;
  const char *raw;
  gint64 v = 0;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (min <= max && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  ok = parse_int64 (raw, &v, &overflow);
  if (ok && min <= v && v <= max)
    {
      *out = v;
      return TRUE;
    }
  expected = int_expected (min, max);
  if (overflow)
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                        "bad integer \"%s\": too large for 64 bits (expected %s)",
                        raw, expected);
  else if (!ok)
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                        "bad integer \"%s\" (expected %s)", raw, expected);
  else
    sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                        "%s is out of range (expected %s)", raw, expected);
  return FALSE;
}

static char *
double_expected (double min, double max)
{
  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];

  /* "%g", not g_ascii_dtostr: 0.1 should read "0.1", not 0.10000000000000001 */
  g_ascii_formatd (lo, sizeof lo, "%g", min);
  g_ascii_formatd (hi, sizeof hi, "%g", max);
  if (isinf (min) && isinf (max))
    return g_strdup ("a number");
  if (isinf (max))
    return g_strdup_printf ("a number of at least %s", lo);
  if (isinf (min))
    return g_strdup_printf ("a number of at most %s", hi);
  return g_strdup_printf ("a number from %s to %s", lo, hi);
}

gboolean
sim_scenario_get_double (SimScenario *sc, const char *group, const char *key,
                         double min, double max, double *out, GError **error)
{
  g_autofree char *expected = NULL;
  const char *raw;
  char *end = NULL;
  double v = 0;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (min <= max && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  expected = double_expected (min, max);
  /* Plain decimal notation only: strtod would also take "nan", "inf" and
   * hex floats, which no scenario means on purpose. */
  if (strspn (raw, "0123456789+-.eE") == strlen (raw))
    v = g_ascii_strtod (raw, &end);
  if (end == NULL || end == raw || *end != '\0')
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                          "bad number \"%s\" (expected %s)", raw, expected);
      return FALSE;
    }
  if (!isfinite (v))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                          "bad number \"%s\": too large (expected %s)",
                          raw, expected);
      return FALSE;
    }
  if (v < min || v > max)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                          "%s is out of range (expected %s)", raw, expected);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
sim_scenario_get_bool (SimScenario *sc, const char *group, const char *key,
                       gboolean *out, GError **error)
{
  const char *raw;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  if (strcmp (raw, "on") == 0 || strcmp (raw, "true") == 0)
    *out = TRUE;
  else if (strcmp (raw, "off") == 0 || strcmp (raw, "false") == 0)
    *out = FALSE;
  else
    {
      /* No "did you mean" here: "no" is one swap away from "on". */
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                          "bad boolean \"%s\" (expected on, off, true, false)",
                          raw);
      return FALSE;
    }
  return TRUE;
}

gboolean
sim_scenario_get_enum (SimScenario *sc, const char *group, const char *key,
                       const char *const *choices, int *out, GError **error)
{
  g_autoptr(GString) list = NULL;
  const char *raw;
  const char *hint;
  guint n;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (choices != NULL && choices[0] != NULL && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  for (n = 0; choices[n] != NULL; n++)
    if (strcmp (raw, choices[n]) == 0)
      {
        *out = n;
        return TRUE;
      }
  list = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", choices[i]);
  if ((hint = sim_scenario_hint (raw, choices, n)) != NULL)
    g_string_append_printf (list, "; did you mean \"%s\"?", hint);
  sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                      "unknown value \"%s\" (expected one of: %s)", raw, list->str);
  return FALSE;
}

/* Digits only; values above 65535 read as 65536 so they cannot wrap. */
static gboolean
parse_port (const char *s, guint *out)
{
  guint v = 0;

  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isdigit (*s))
        return FALSE;
      v = MIN (v * 10 + (guint) (*s - '0'), 65536);
    }
  *out = v;
  return TRUE;
}

gboolean
sim_scenario_get_port_range (SimScenario *sc, const char *group, const char *key,
                             guint16 *lo, guint16 *hi, GError **error)
{
  g_autofree char *copy = NULL;
  char *lo_s, *hi_s, *dash;
  const char *raw;
  guint a = 0, b = 0;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL, FALSE);
  g_return_val_if_fail (lo != NULL && hi != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  copy = g_strdup (raw);
  lo_s = hi_s = copy;
  if ((dash = strchr (copy, '-')) != NULL)
    {
      *dash = '\0';
      hi_s = trim (dash + 1);
      lo_s = trim (copy);
    }
  if (!parse_port (lo_s, &a) || !parse_port (hi_s, &b))
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                          "bad port range \"%s\" (" PORTS_EXPECTED ")", raw);
      return FALSE;
    }
  if (a < 1 || a > 65535 || b < 1 || b > 65535)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, group, key,
                          "port %s is out of range (" PORTS_EXPECTED ")",
                          a < 1 || a > 65535 ? lo_s : hi_s);
      return FALSE;
    }
  if (a > b)
    {
      sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                          "low port %u above high port %u (" PORTS_EXPECTED ")", a, b);
      return FALSE;
    }
  *lo = a;
  *hi = b;
  return TRUE;
}

gboolean
sim_scenario_get_list (SimScenario *sc, const char *group, const char *key,
                       char ***out, GError **error)
{
  g_auto(GStrv) items = NULL;
  const char *raw;

  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  items = g_strsplit (raw, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    if (*g_strstrip (items[i]) == '\0')
      {
        sim_scenario_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, group, key,
                            "empty item %u in \"%s\" (expected items separated "
                            "by commas)", i + 1, raw);
        return FALSE;
      }
  g_strfreev (*out);
  *out = g_steal_pointer (&items);
  return TRUE;
}

gboolean
sim_scenario_get_string (SimScenario *sc, const char *group, const char *key,
                         char **out, GError **error)
{
  const char *raw;

  (void) error;                 /* any value is a string: never fails */
  g_return_val_if_fail (sc != NULL && group != NULL && key != NULL && out != NULL, FALSE);
  if ((raw = sim_scenario_get_raw (sc, group, key)) == NULL)
    return TRUE;
  g_free (*out);
  *out = g_strdup (raw);
  return TRUE;
}
