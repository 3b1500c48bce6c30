/* sim/sweep_values.c — the value syntax of one [sweep] line.
 *
 * Turns "a, b, c", "30s .. 600s step 30s" or "1m .. 4h x2" into the list
 * of value strings that line sweeps (the syntax and its arithmetic are
 * described in sweep.h).  Everything here is a pure function of the text;
 * errors name the [sweep] line through sim_sweep_error().
 *
 * Range arithmetic is exact wherever it can be: floating point only
 * appears in geometric ranges of decimal numbers, and there each value is
 * rounded to the 15 significant digits it is written with, so "hits the
 * end exactly" means "prints as the end".
 */
#include <stdio.h>
#include <string.h>
#include <glib.h>
#include "sim/sweep.h"
#include "sim/sweep_private.h"

/* 10^0 .. 10^18, all exact in guint64 and gint64. */
static const guint64 pow10_table[] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
  1000000000, G_GUINT64_CONSTANT (10000000000),
  G_GUINT64_CONSTANT (100000000000), G_GUINT64_CONSTANT (1000000000000),
  G_GUINT64_CONSTANT (10000000000000), G_GUINT64_CONSTANT (100000000000000),
  G_GUINT64_CONSTANT (1000000000000000), G_GUINT64_CONSTANT (10000000000000000),
  G_GUINT64_CONSTANT (100000000000000000), G_GUINT64_CONSTANT (1000000000000000000),
};
#define SWEEP_MAX_DECIMALS      (G_N_ELEMENTS (pow10_table) - 1)
/* A duration factor's fraction times a sub-10^d remainder must fit 64 bits. */
#define SWEEP_MAX_FACTOR_DECIMALS  9

static const char range_syntax[] =
  "(expected START .. END step STEP or START .. END xFACTOR)";

/* ------------------------------------------------------------ operands */

/* One range bound, step or factor.  Numbers are exact decimals:
 * value = mant / 10^decimals, trailing fractional zeros removed. */
typedef struct {
  const char *text;
  gboolean    is_duration;
  gint64      mant;       /* ns for a duration */
  guint       decimals;   /* numbers only */
} Operand;

/* "-?DIGITS(.DIGITS)?" into @op; FALSE if @text is not of that form, or
 * (with *too_large set) if it does not fit 64 bits. */
static gboolean
operand_parse_number (const char *text, Operand *op, gboolean *too_large)
{
  const char *p = text;
  gboolean neg = FALSE, in_frac = FALSE;
  guint64 mag = 0;
  guint decimals = 0, digits = 0;

  *too_large = FALSE;
  if (*p == '-')
    neg = TRUE, p++;
  for (; *p != '\0'; p++)
    {
      if (*p == '.' && !in_frac && digits > 0 && p[1] != '\0')
        {
          in_frac = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      digits++;
      if (in_frac)
        decimals++;
      if (!g_uint64_checked_mul (&mag, mag, 10)
          || !g_uint64_checked_add (&mag, mag, (guint64) (*p - '0'))
          || mag > (guint64) G_MAXINT64 || decimals > SWEEP_MAX_DECIMALS)
        *too_large = TRUE;
    }
  if (digits == 0 || *too_large)
    return digits > 0;
  while (decimals > 0 && mag % 10 == 0)
    mag /= 10, decimals--;
  op->text = text;
  op->is_duration = FALSE;
  op->mant = neg ? -(gint64) mag : (gint64) mag;
  op->decimals = decimals;
  return TRUE;
}

/* A plain number or a duration; on failure reports "bad ROLE ...". */
static gboolean
operand_parse (SimScenario *sc, const char *key, const char *role,
               const char *text, Operand *op, GError **error)
{
  gboolean too_large;
  SimTimeError terr;
  SimTime t;

  if (operand_parse_number (text, op, &too_large))
    {
      if (!too_large)
        return TRUE;
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "bad %s \"%s\": too many digits (expected at most 18)",
                       role, text);
      return FALSE;
    }
  if ((terr = sim_time_parse (text, &t)) != SIM_TIME_OK)
    {
      int code = terr == SIM_TIME_ERR_NEGATIVE || terr == SIM_TIME_ERR_OVERFLOW
                 ? NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE
                 : NATKEEP_SCENARIO_ERROR_INVALID_VALUE;

      sim_sweep_error (sc, error, code, key, "bad %s \"%s\": %s", role, text,
                       sim_time_error_string (terr));
      return FALSE;
    }
  *op = (Operand) { .text = text, .is_duration = TRUE, .mant = t };
  return TRUE;
}

/* op's mantissa at @decimals (>= op->decimals) places, or FALSE. */
static gboolean
operand_scale (const Operand *op, guint decimals, gint64 *out)
{
  guint64 mag = op->mant < 0 ? -(guint64) op->mant : (guint64) op->mant;

  if (decimals > SWEEP_MAX_DECIMALS
      || !g_uint64_checked_mul (&mag, mag, pow10_table[decimals - op->decimals])
      || mag > (guint64) G_MAXINT64)
    return FALSE;
  *out = op->mant < 0 ? -(gint64) mag : (gint64) mag;
  return TRUE;
}

/* ------------------------------------------------------ value printing */

/* mant / 10^decimals as an exact decimal, no trailing zeros: "0.1", "-3". */
static char *
format_scaled (gint64 mant, guint decimals)
{
  guint64 mag = mant < 0 ? -(guint64) mant : (guint64) mant;
  guint64 unit = pow10_table[decimals], frac = mag % unit;
  GString *s = g_string_new (mant < 0 ? "-" : "");

  g_string_append_printf (s, "%" G_GUINT64_FORMAT, mag / unit);
  if (frac != 0)
    {
      char digits[24];
      int len = g_snprintf (digits, sizeof digits, "%0*" G_GUINT64_FORMAT,
                            (int) decimals, frac);
      while (len > 0 && digits[len - 1] == '0')
        digits[--len] = '\0';
      g_string_append_printf (s, ".%s", digits);
    }
  return g_string_free (s, FALSE);
}

static char *
format_duration (SimTime t)
{
  char buf[64];

  return g_strdup (sim_time_format (t, buf, sizeof buf));
}

/* The 15-significant-digit text of @v, and @v rounded to it. */
static double
canon_double (double v, char *buf, gsize size)
{
  g_ascii_formatd (buf, size, "%.15g", v);
  return g_ascii_strtod (buf, NULL);
}

/* -------------------------------------------------------------- ranges */

static gboolean
check_count (SimScenario *sc, const char *key, guint64 count, GError **error)
{
  if (count <= SIM_SWEEP_MAX_VALUES)
    return TRUE;
  sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                   "has more than %" G_GUINT64_FORMAT " values",
                   SIM_SWEEP_MAX_VALUES);
  return FALSE;
}

static gboolean
range_linear (SimScenario *sc, const char *key, const Operand *a,
              const Operand *b, const Operand *step, GPtrArray *values,
              GError **error)
{
  guint decimals = MAX (MAX (a->decimals, b->decimals), step->decimals);
  gint64 lo, hi, st;
  guint64 count;

  if (step->mant <= 0)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "step must be > 0, got \"%s\"", step->text);
      return FALSE;
    }
  if (!operand_scale (a, decimals, &lo) || !operand_scale (b, decimals, &hi)
      || !operand_scale (step, decimals, &st))
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "range needs too many digits "
                       "(expected at most 18 with the decimals aligned)");
      return FALSE;
    }
  if (hi < lo)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "end \"%s\" is before start \"%s\" (expected START <= END)",
                       b->text, a->text);
      return FALSE;
    }
  /* Unsigned: hi - lo and lo + k * st may exceed G_MAXINT64 on the way,
   * but every value is in [lo, hi]. */
  count = ((guint64) hi - (guint64) lo) / (guint64) st + 1;
  if (!check_count (sc, key, count, error))
    return FALSE;
  for (guint64 k = 0; k < count; k++)
    {
      gint64 v = (gint64) ((guint64) lo + k * (guint64) st);
      g_ptr_array_add (values, a->is_duration ? format_duration (v)
                                              : format_scaled (v, decimals));
    }
  return TRUE;
}

/* v * (ip + fp / unit) rounded half up, for fp < unit <= 10^9; FALSE on
 * overflow.  Splitting v = vh * unit + vl keeps vl * fp below 10^18. */
static gboolean
mul_factor (guint64 v, guint64 ip, guint64 fp, guint64 unit, guint64 *out)
{
  guint64 vh = v / unit, vl = v % unit, a, b;

  if (!g_uint64_checked_mul (&a, v, ip) || !g_uint64_checked_mul (&b, vh, fp)
      || !g_uint64_checked_add (&a, a, b)
      || !g_uint64_checked_add (&a, a, (vl * fp + unit / 2) / unit))
    return FALSE;
  *out = a;
  return TRUE;
}

/* Multiplies by the factor while the value is <= end.  Three exact-enough
 * arithmetics, see the file comment. */
static gboolean
range_geometric (SimScenario *sc, const char *key, const Operand *a,
                 const Operand *b, const Operand *factor, GPtrArray *values,
                 GError **error)
{
  const char *stuck = NULL;

  if (factor->is_duration || factor->mant <= 0
      || (guint64) factor->mant <= pow10_table[factor->decimals])
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "factor must be a plain number > 1, got \"x%s\"", factor->text);
      return FALSE;
    }
  if (a->mant <= 0)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "geometric start must be > 0, got \"%s\"", a->text);
      return FALSE;
    }
  if (a->is_duration && factor->decimals > SWEEP_MAX_FACTOR_DECIMALS)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "factor \"x%s\" has too many decimals (expected at most %d)",
                       factor->text, SWEEP_MAX_FACTOR_DECIMALS);
      return FALSE;
    }
  if (a->is_duration)
    {
      guint64 unit = pow10_table[factor->decimals];
      guint64 ip = (guint64) factor->mant / unit, fp = (guint64) factor->mant % unit;
      guint64 v = (guint64) a->mant, next;

      while (v <= (guint64) b->mant && stuck == NULL && values->len <= SIM_SWEEP_MAX_VALUES)
        {
          g_ptr_array_add (values, format_duration ((SimTime) v));
          if (!mul_factor (v, ip, fp, unit, &next) || next > (guint64) G_MAXINT64)
            break;
          if (next == v)
            stuck = values->pdata[values->len - 1];
          v = next;
        }
    }
  else if (a->decimals == 0 && factor->decimals == 0)
    {
      gint64 v = a->mant, cmp;
      guint64 next;

      /* v <= end, compared at the end's scale; overflow means v > end.
       * v and the factor are > 0, so the product is unsigned. */
      while (operand_scale (&(Operand) { .mant = v }, b->decimals, &cmp)
             && cmp <= b->mant && values->len <= SIM_SWEEP_MAX_VALUES)
        {
          g_ptr_array_add (values, format_scaled (v, 0));
          if (!g_uint64_checked_mul (&next, (guint64) v, (guint64) factor->mant)
              || next > (guint64) G_MAXINT64)
            break;
          v = (gint64) next;
        }
    }
  else
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double f = g_ascii_strtod (factor->text, NULL);
      double end = canon_double (g_ascii_strtod (b->text, NULL), buf, sizeof buf);
      double v = canon_double (g_ascii_strtod (a->text, NULL), buf, sizeof buf);

      /* v is always canonical, so its "%.15g" text reads back as v. */
      while (v <= end && stuck == NULL && values->len <= SIM_SWEEP_MAX_VALUES)
        {
          double next;

          g_ascii_formatd (buf, sizeof buf, "%.15g", v);
          g_ptr_array_add (values, g_strdup (buf));
          if ((next = canon_double (v * f, buf, sizeof buf)) <= v)
            stuck = values->pdata[values->len - 1];
          v = next;
        }
    }
  if (stuck != NULL)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "factor \"x%s\" is too close to 1: %s does not grow",
                       factor->text, stuck);
      return FALSE;
    }
  if (values->len == 0)
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_OUT_OF_RANGE, key,
                       "end \"%s\" is before start \"%s\" (expected START <= END)",
                       b->text, a->text);
      return FALSE;
    }
  return check_count (sc, key, values->len, error);
}

/* "START .. END step STEP" or "START .. END xFACTOR" ("x FACTOR" too). */
static gboolean
parse_range (SimScenario *sc, const char *key, const char *raw,
             GPtrArray *values, GError **error)
{
  const char *dots = strstr (raw, "..");
  g_autofree char *start = g_strstrip (g_strndup (raw, dots - raw));
  g_auto (GStrv) words = g_strsplit_set (dots + 2, " \t", -1);
  const char *tok[4];
  guint n = 0;
  Operand a, b, c;
  gboolean geometric;

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && n < G_N_ELEMENTS (tok))
      tok[n++] = words[i];
    else if (words[i][0] != '\0')
      n = G_N_ELEMENTS (tok);
  geometric = n >= 2 && tok[1][0] == 'x';
  if (geometric && n == 3 && strcmp (tok[1], "x") == 0)
    tok[1] = tok[2], n = 2;
  else if (geometric && n == 2)
    tok[1]++;
  if (start[0] == '\0' || strpbrk (start, " \t,") != NULL
      || !(geometric ? n == 2 && tok[1][0] != '\0'
                     : n == 3 && strcmp (tok[1], "step") == 0))
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, key,
                       "bad range \"%s\" %s", raw, range_syntax);
      return FALSE;
    }
  if (!operand_parse (sc, key, "start", start, &a, error)
      || !operand_parse (sc, key, "end", tok[0], &b, error)
      || !operand_parse (sc, key, geometric ? "factor" : "step",
                         tok[geometric ? 1 : 2], &c, error))
    return FALSE;
  if (a.is_duration != b.is_duration || (!geometric && a.is_duration != c.is_duration))
    {
      sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, key,
                       "range \"%s\" mixes durations and plain numbers "
                       "(expected units on all of %s or on none)",
                       raw, geometric ? "START and END" : "START, END and STEP");
      return FALSE;
    }
  return geometric ? range_geometric (sc, key, &a, &b, &c, values, error)
                   : range_linear (sc, key, &a, &b, &c, values, error);
}

/* "a, b, c": items trimmed and kept as written. */
static gboolean
parse_list (SimScenario *sc, const char *key, const char *raw,
            GPtrArray *values, GError **error)
{
  g_auto (GStrv) items = g_strsplit (raw, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (items[i][0] == '\0')
        {
          sim_sweep_error (sc, error, NATKEEP_SCENARIO_ERROR_INVALID_VALUE, key,
                           "empty item in \"%s\" (expected VALUE, VALUE, ...)", raw);
          return FALSE;
        }
    }
  if (!check_count (sc, key, g_strv_length (items), error))
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    g_ptr_array_add (values, g_strdup (items[i]));
  return TRUE;
}

gboolean
sim_sweep_parse_values (SimScenario *sc, const char *key, const char *raw,
                        GPtrArray *values, GError **error)
{
  g_return_val_if_fail (sc != NULL && key != NULL && raw != NULL && values != NULL, FALSE);

  return strstr (raw, "..") != NULL ? parse_range (sc, key, raw, values, error)
                                    : parse_list (sc, key, raw, values, error);
}
