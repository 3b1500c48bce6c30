/* sim/time.h — simulated time.
 *
 * SimTime is a signed 64-bit count of nanoseconds since the start of a run
 * (about 292 years), so there is no floating point in the clock and no
 * wrap-around arithmetic.  Durations in scenario files carry units
 * (ns us ms s m h d), may be combined ("2h4m", "1s500ms"), and a bare number
 * means seconds; only sim_time_parse() reads them.
 */
#pragma once

#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

typedef int64_t SimTime;                        /* ns since run start */

#define SIM_NS(n)        ((SimTime) (n))
#define SIM_US(n)        ((SimTime) (n) * 1000)
#define SIM_MS(n)        ((SimTime) (n) * 1000000)
#define SIM_S(n)         ((SimTime) (n) * 1000000000)
#define SIM_MIN(n)       (SIM_S (n) * 60)
#define SIM_H(n)         (SIM_S (n) * 3600)
#define SIM_D(n)         (SIM_S (n) * 86400)
#define SIM_TIME_NEVER   INT64_MAX
#define SIM_TIME_TO_S(t) ((double) (t) / 1e9)   /* output only */

/* Why a duration string was rejected (sim_time_parse). */
typedef enum {
  SIM_TIME_OK = 0,
  SIM_TIME_ERR_EMPTY,        /* nothing but blanks */
  SIM_TIME_ERR_SYNTAX,       /* not number+unit pairs */
  SIM_TIME_ERR_UNIT,         /* unknown unit */
  SIM_TIME_ERR_NEGATIVE,     /* leading '-' */
  SIM_TIME_ERR_OVERFLOW,     /* does not fit in SimTime */
  SIM_TIME_ERR_PRECISION,    /* finer than 1 ns (e.g. "0.5ns") */
} SimTimeError;

/* sim_time_parse: reads "300", "300s", "2h4m", "1.5s", "250ms" into *out.
 * A bare number (no unit at all) is seconds.  Fractions are allowed per
 * component and must resolve to whole nanoseconds.  Leading/trailing blanks
 * are ignored.  Returns SIM_TIME_OK, or why it failed (then *out is
 * untouched). */
SimTimeError sim_time_parse (const char *text, SimTime *out);

/* A short English reason for an error code, e.g. "unknown unit". */
const char  *sim_time_error_string (SimTimeError err);

/* sim_time_format: the shortest exact human form, "2h4m", "350s", "1.5s",
 * "250ms", "0s"; negative values get a '-'.  Writes at most @size bytes
 * into @buf (64 is always enough) and returns @buf.  The output parses back
 * to the same value with sim_time_parse(). */
char        *sim_time_format (SimTime t, char *buf, gsize size);

/* Seconds with six decimals ("%.6f" without locale), as the TSV files want;
 * exact for every SimTime (integer arithmetic, truncated to the µs). */
char        *sim_time_format_s6 (SimTime t, char *buf, gsize size);

G_END_DECLS
