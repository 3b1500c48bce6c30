/* sim/sweep.h — expanding a scenario's [sweep] group into points.
 *
 * Each [sweep] line names a scenario key as "group.key" (the LAST dot
 * splits, so "link.wan.delay" is [link.wan] delay) and gives its values:
 *
 *   nat.established_timeout = 60s, 240s, 350s   list, items kept as written
 *   client.keepidle = 30s .. 600s step 30s      linear, durations
 *   link.wan.loss   = 0 .. 0.1 step 0.02        linear, plain numbers
 *   client.keepintvl = 1m .. 4h x2              geometric (factor > 1)
 *   repeat = 3                                  seeds per point (1..1000000)
 *   zip = nat.established_timeout, client.keepidle
 *
 * A value containing ".." is a range, anything else a comma list.  Range
 * bounds and steps are either all durations (with a unit: "30s", "2h4m")
 * or all plain numbers ("-1", "0.25"; no exponent, no unit); a bare number
 * mixed with durations is an error rather than a guess at seconds.  A
 * linear range holds start, start + step, ... up to end, including end
 * only when a step lands on it exactly; a geometric one multiplies by the
 * factor while the value stays <= end.  Ranges never count down: end
 * before start, a step <= 0 or a factor <= 1 are errors.  Arithmetic is
 * exact: durations in integer nanoseconds (a decimal factor rounds each
 * product to the nearest ns), linear numbers in integers scaled by 10^d for
 * d decimals (so 0.1 steps do not drift), geometric numbers in int64 when
 * start and factor are integers, else in doubles rounded to 15 significant
 * digits at each step.  Range values are written canonically: durations by
 * sim_time_format() ("90s", "1m", "1h4m"), numbers as exact decimals
 * with trailing zeros trimmed ("0.1", "3"), or "%.15g" (C locale) for
 * decimal geometric ranges.
 *
 * "zip" (one group only; "a, b; c, d" is rejected) makes its keys vary
 * together: they need the same number of values and take the position of
 * the first of them.  All other keys are crossed.  Points are numbered
 * like nested loops over the keys in file order, the last varying
 * fastest.  A key may have at most SIM_SWEEP_MAX_VALUES values, a sweep
 * at most SIM_SWEEP_MAX_POINTS points.  Whether a swept key exists is for
 * the model loader to say, when it reads the scenario sim_sweep_apply()
 * returns.
 *
 * A SimSweep is immutable once built and holds no reference to its
 * scenario, so threads may read it and call sim_sweep_apply() at once.
 */
#pragma once

#include <glib.h>
#include "sim/scenario.h"

G_BEGIN_DECLS

#define SIM_SWEEP_MAX_VALUES  G_GUINT64_CONSTANT (1000000)     /* per key */
#define SIM_SWEEP_MAX_POINTS  G_GUINT64_CONSTANT (1000000000)  /* product */
#define SIM_SWEEP_MAX_REPEAT  1000000

typedef struct _SimSweep SimSweep;

/* Reads the [sweep] group of @sc and marks it known (so
 * sim_scenario_check_unknown() leaves it alone); nothing else in @sc
 * changes.  Without [sweep]: 1 point, 0 keys, repeat 1.  Errors are
 * NATKEEP_SCENARIO_ERROR in the form "FILE:LINE: [sweep] KEY: problem":
 * UNKNOWN_KEY for a key without a dot (other than repeat and zip) or a
 * zip name that is not swept, DUPLICATE_KEY for a zip name given twice,
 * INVALID_VALUE for syntax and zip count mismatches, OUT_OF_RANGE for bad
 * steps, factors, directions and sizes.  Returns NULL then.
 * (transfer full)  Cost: O(total values). */
SimSweep    *sim_sweep_new       (SimScenario *sc, GError **error);
void         sim_sweep_free      (SimSweep *sweep);

/* Number of points (product of the per-dimension value counts), >= 1. */
guint64      sim_sweep_points    (const SimSweep *sweep);
/* Repetitions (seeds) per point, >= 1. */
guint        sim_sweep_repeat    (const SimSweep *sweep);
/* Swept keys in file order (repeat and zip are not keys). */
guint        sim_sweep_n_keys    (const SimSweep *sweep);
/* "group.key" of key @i < n_keys (transfer none). */
const char  *sim_sweep_key       (const SimSweep *sweep, guint i);
/* The [group] and key parts of key @i (transfer none). */
const char  *sim_sweep_key_group (const SimSweep *sweep, guint i);
const char  *sim_sweep_key_name  (const SimSweep *sweep, guint i);
/* How many values key @i takes, >= 1. */
guint        sim_sweep_n_values  (const SimSweep *sweep, guint i);
/* Value of key @key_index at @point < points (transfer none). */
const char  *sim_sweep_value     (const SimSweep *sweep, guint64 point,
                                  guint key_index);

/* A copy of @base (sim_scenario_copy) with each swept key set to its
 * value at @point < points, and [sweep] marked known.  The location of a
 * set value is its [sweep] line ("FILE:LINE"), so a bad swept value is
 * reported as "FILE:LINE: [group] key: ..." at that line.  A swept value
 * replaces any --set of the same key already in @base: apply --set
 * overrides to the result if they are to win.  @base is only read, so
 * threads may share it as long as nobody modifies it meanwhile.
 * (transfer full)  Cost: one scenario copy. */
SimScenario *sim_sweep_apply     (const SimSweep *sweep, const SimScenario *base,
                                  guint64 point);

/* Text for `natkeep check`: "6 points x 3 repetitions\n" ("1 point x 1
 * repetition" in the singular), then one line per point for the first
 * @max_points points, "point 0: nat.established_timeout=60s
 * client.keepidle=30s\n", and "... (N more points)\n" when some are left
 * out.  No point lines without swept keys.  (transfer full) */
char        *sim_sweep_describe  (const SimSweep *sweep, guint max_points);

/* Parses the --shard argument "I/N" (decimal, 0 <= I < N, N >= 1) into
 * @i and @n.  Bad syntax is NATKEEP_SCENARIO_ERROR_INVALID_VALUE, I >= N
 * or N = 0 is _OUT_OF_RANGE (bad input either way, so exit status 2),
 * "--shard TEXT: problem (expected I/N with 0 <= I < N)"; @i and @n are
 * untouched then. */
gboolean     sim_sweep_parse_shard (const char *text, guint64 *i, guint64 *n,
                                    GError **error);

/* Shard @i of @n runs every @n-th point starting at @i; the shards of one
 * @n partition the points. */
static inline gboolean
sim_sweep_in_shard (guint64 point, guint64 i, guint64 n)
{
  return point % n == i;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimSweep, sim_sweep_free)

G_END_DECLS
