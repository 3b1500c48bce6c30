/* sim/time.c — reading and printing durations.
 *
 * Durations are parsed with integer arithmetic on the digits only, never
 * through a double, so "0.1s" is exactly 100000000 ns and every accepted
 * string means one exact SimTime.  The accepted syntax, after leading and
 * trailing blanks (ASCII whitespace) are dropped:
 *
 *   duration  = component ( blank* component )*  |  number
 *   component = number unit          (no blank between number and unit)
 *   number    = digit+ ( "." digit+ )?
 *   unit      = "ns" | "us" | "ms" | "s" | "m" | "h" | "d"   (lower case)
 *
 * A bare number (one number, no unit at all) is seconds.  Units must appear
 * largest first and at most once ("2h4m", not "4m2h" or "1m1m"), so each
 * value has one obvious spelling and a typo like "1m1m" is caught.  A
 * leading '+' is not accepted (SYNTAX): a duration has no sign; a leading
 * '-' is reported as NEGATIVE rather than SYNTAX for a clearer message.
 * Exponents ("1e3s"), bare points (".5s", "1.s") and "µs" are not accepted.
 *
 * Printing is the inverse: sim_time_format() writes a form that parses
 * back to the same value, sim_time_format_s6() writes the TSV seconds.
 * Locales play no part: only ASCII digits are read or written.
 */
#include <string.h>
#include <glib.h>
#include "sim/time.h"

typedef struct {
  const char *name;
  gsize       len;
  gint64      ns;
} TimeUnit;

/* Largest first: the index is the rank that enforces the unit order. */
static const TimeUnit time_units[] = {
  { "d",  1, SIM_D (1) },
  { "h",  1, SIM_H (1) },
  { "m",  1, SIM_MIN (1) },
  { "s",  1, SIM_S (1) },
  { "ms", 2, SIM_MS (1) },
  { "us", 2, SIM_US (1) },
  { "ns", 2, SIM_NS (1) },
};
#define TIME_N_UNITS  G_N_ELEMENTS (time_units)
#define TIME_UNIT_S   3

/* One lexed "number unit" pair, pointing into the input text. */
typedef struct {
  const char *int_digits;
  gsize       int_len;
  const char *frac_digits;
  gsize       frac_len;
  guint       unit;          /* index into time_units */
} TimeComponent;

static gboolean
time_is_blank (char c)
{
  return g_ascii_isspace (c);
}

/* Bytes >= 0x80 count as unit letters so that "5µs" reads as an unknown
 * unit rather than as a syntax error. */
static gboolean
time_is_unit_char (char c)
{
  return g_ascii_isalpha (c) || (guchar) c >= 0x80;
}

static guint64
time_gcd (guint64 a, guint64 b)
{
  while (b != 0)
    {
      guint64 r = a % b;
      a = b;
      b = r;
    }
  return a;
}

/* The exact value of one component in ns. */
static SimTimeError
time_component_value (const TimeComponent *c, gint64 *out)
{
  gint64 unit_ns = time_units[c->unit].ns;
  gint64 whole = 0;
  gint64 frac_ns = 0;
  gsize flen = c->frac_len;

  for (gsize i = 0; i < c->int_len; i++)
    {
      if (__builtin_mul_overflow (whole, 10, &whole) ||
          __builtin_add_overflow (whole, c->int_digits[i] - '0', &whole))
        return SIM_TIME_ERR_OVERFLOW;
    }

  /* Trailing zeros add no precision, so "1.500000000000000000000s" is
   * fine however long it is. */
  while (flen > 0 && c->frac_digits[flen - 1] == '0')
    flen--;
  if (flen > 0)
    {
      guint64 f = 0, pow10 = 1, g, p;

      /* With no trailing zero, f / 10^flen * unit_ns is whole only if
       * 2^flen or 5^flen divides unit_ns; the largest unit, the day, is
       * 2^16 * 3^3 * 5^11 ns, so more than 18 digits can never be exact
       * (and 18 digits still fit in a guint64). */
      if (flen > 18)
        return SIM_TIME_ERR_PRECISION;
      for (gsize i = 0; i < flen; i++)
        {
          f = f * 10 + (guint64) (c->frac_digits[i] - '0');
          pow10 *= 10;
        }
      /* f * unit / 10^flen is whole iff (10^flen / g) divides f, with g
       * their gcd; dividing first keeps the product below unit_ns. */
      g = time_gcd ((guint64) unit_ns, pow10);
      p = pow10 / g;
      if (f % p != 0)
        return SIM_TIME_ERR_PRECISION;
      frac_ns = (gint64) ((f / p) * ((guint64) unit_ns / g));
    }

  if (__builtin_mul_overflow (whole, unit_ns, &whole) ||
      __builtin_add_overflow (whole, frac_ns, &whole))
    return SIM_TIME_ERR_OVERFLOW;
  *out = whole;
  return SIM_TIME_OK;
}

/* Splits @p..@end into components: syntax, unit and order errors are all
 * found before any arithmetic, so "99999999999d 5x" reports the unit. */
static SimTimeError
time_lex (const char *p, const char *end, TimeComponent *comps, guint *n_out)
{
  guint n = 0;

  while (p < end)
    {
      TimeComponent c = { 0 };
      const char *u;

      if (n > 0)
        while (p < end && time_is_blank (*p))
          p++;

      c.int_digits = p;
      while (p < end && g_ascii_isdigit (*p))
        p++;
      c.int_len = (gsize) (p - c.int_digits);
      if (c.int_len == 0)
        return SIM_TIME_ERR_SYNTAX;
      if (p < end && *p == '.')
        {
          p++;
          c.frac_digits = p;
          while (p < end && g_ascii_isdigit (*p))
            p++;
          c.frac_len = (gsize) (p - c.frac_digits);
          if (c.frac_len == 0)
            return SIM_TIME_ERR_SYNTAX;
        }

      u = p;
      while (p < end && time_is_unit_char (*p))
        p++;
      if (p == u)
        {
          /* Only the whole text may be a unit-less number: "2h30" is
           * more likely a typo for 2h30m than 2h plus 30 s. */
          if (n > 0 || p != end)
            return SIM_TIME_ERR_SYNTAX;
          c.unit = TIME_UNIT_S;
        }
      else
        {
          guint i;

          for (i = 0; i < TIME_N_UNITS; i++)
            if (time_units[i].len == (gsize) (p - u) &&
                memcmp (time_units[i].name, u, time_units[i].len) == 0)
              break;
          if (i == TIME_N_UNITS)
            return SIM_TIME_ERR_UNIT;
          c.unit = i;
        }

      /* Strictly decreasing units also bound n by TIME_N_UNITS. */
      if (n > 0 && c.unit <= comps[n - 1].unit)
        return SIM_TIME_ERR_SYNTAX;
      comps[n++] = c;
    }

  *n_out = n;
  return SIM_TIME_OK;
}

SimTimeError
sim_time_parse (const char *text, SimTime *out)
{
  TimeComponent comps[TIME_N_UNITS];
  const char *p, *end;
  guint n = 0;
  SimTimeError err;
  gint64 total = 0;

  g_return_val_if_fail (text != NULL, SIM_TIME_ERR_EMPTY);
  g_return_val_if_fail (out != NULL, SIM_TIME_ERR_EMPTY);

  p = text;
  end = text + strlen (text);
  while (p < end && time_is_blank (*p))
    p++;
  while (end > p && time_is_blank (end[-1]))
    end--;
  if (p == end)
    return SIM_TIME_ERR_EMPTY;
  if (*p == '-')
    return SIM_TIME_ERR_NEGATIVE;

  err = time_lex (p, end, comps, &n);
  if (err != SIM_TIME_OK)
    return err;

  for (guint i = 0; i < n; i++)
    {
      gint64 v;

      err = time_component_value (&comps[i], &v);
      if (err != SIM_TIME_OK)
        return err;
      if (__builtin_add_overflow (total, v, &total))
        return SIM_TIME_ERR_OVERFLOW;
    }

  *out = total;
  return SIM_TIME_OK;
}

const char *
sim_time_error_string (SimTimeError err)
{
  switch (err)
    {
    case SIM_TIME_OK:
      return "no error";
    case SIM_TIME_ERR_EMPTY:
      return "empty duration";
    case SIM_TIME_ERR_SYNTAX:
      return "expected number+unit pairs, largest unit first (e.g. 2h4m, 1.5s)";
    case SIM_TIME_ERR_UNIT:
      return "unknown unit (ns us ms s m h d)";
    case SIM_TIME_ERR_NEGATIVE:
      return "negative duration";
    case SIM_TIME_ERR_OVERFLOW:
      return "too large (at most about 106751 days)";
    case SIM_TIME_ERR_PRECISION:
      return "finer than 1 ns";
    default:
      return "unknown error";
    }
}

/* Each d h m s ms us ns part that is not zero: "2h4m", "1s500ms".
 * Returns the length written into @out (64 bytes; the longest is 31). */
static gsize
time_format_parts (guint64 m, char *out)
{
  gsize len = 0;

  for (guint i = 0; i < TIME_N_UNITS; i++)
    {
      guint64 u = (guint64) time_units[i].ns;
      guint64 q = m / u;

      m %= u;
      if (q != 0)
        len += (gsize) g_snprintf (out + len, 64 - len,
                                   "%" G_GUINT64_FORMAT "%s",
                                   q, time_units[i].name);
    }
  return len;
}

/* @m as one decimal number of the unit @unit_ns (a power of ten), with
 * trailing zeros of the fraction dropped: "350s", "1.5s", "1.25ms".
 * Returns the length written into @out (64 bytes; the longest is 22). */
static gsize
time_format_decimal (guint64 m, guint64 unit_ns, const char *name, char *out)
{
  guint64 rem = m % unit_ns;
  gsize len;

  len = (gsize) g_snprintf (out, 64, "%" G_GUINT64_FORMAT, m / unit_ns);
  if (rem != 0)
    {
      out[len++] = '.';
      for (guint64 d = unit_ns / 10; rem != 0; d /= 10)
        {
          out[len++] = (char) ('0' + rem / d);
          rem %= d;
        }
    }
  len += g_strlcpy (out + len, name, 64 - len);
  return len;
}

/* The rule: among the parts form ("2h4m", "5m50s", "1s500ms") and the
 * single decimal number in s, ms, us or ns ("350s", "1.5s", "250ms"), take
 * the shortest; ties go to the parts form, then to the larger unit.  So
 * 7440 s is "2h4m", 350 s "350s", 90 s "90s", 5400 s "1h30m", 100 ms
 * "0.1s" and 250 ms "250ms".  Every candidate is exact, so the result
 * always parses back. */
char *
sim_time_format (SimTime t, char *buf, gsize size)
{
  static const struct { guint64 ns; const char *name; } decimals[] = {
    { 1000000000, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
  };
  /* Unsigned wrap-around is defined, so this is the magnitude even for
   * INT64_MIN. */
  guint64 m = t < 0 ? (guint64) 0 - (guint64) t : (guint64) t;
  char best[1 + 64], cand[64];      /* best[0] holds the sign */
  gsize best_len;

  g_return_val_if_fail (buf != NULL && size > 0, buf);

  if (m == 0)
    {
      g_strlcpy (buf, "0s", size);
      return buf;
    }

  best[0] = '-';
  best_len = time_format_parts (m, best + 1);
  for (guint i = 0; i < G_N_ELEMENTS (decimals); i++)
    {
      gsize len = time_format_decimal (m, decimals[i].ns, decimals[i].name,
                                       cand);
      if (len < best_len)
        {
          memcpy (best + 1, cand, len + 1);
          best_len = len;
        }
    }

  g_strlcpy (buf, t < 0 ? best : best + 1, size);
  return buf;
}

/* Truncates toward zero where "%.6f" would round, so a time never prints
 * later than it is.  Negative values print '-' and the magnitude: -1 ns is
 * "-0.000000", which is also what "%.6f" prints for -1e-9. */
char *
sim_time_format_s6 (SimTime t, char *buf, gsize size)
{
  guint64 m = t < 0 ? (guint64) 0 - (guint64) t : (guint64) t;

  g_return_val_if_fail (buf != NULL && size > 0, buf);

  g_snprintf (buf, size, "%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT,
              t < 0 ? "-" : "", m / 1000000000, (m % 1000000000) / 1000);
  return buf;
}
