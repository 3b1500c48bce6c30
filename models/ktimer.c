/* models/ktimer.c — jiffies and the Linux timer wheel's rounding
 * (ktimer.h, SEMANTICS.md §7).
 *
 * The constants are those of kernel/time/timer.c: LVL_CLK_SHIFT 3,
 * LVL_BITS 6, LVL_DEPTH 9 for HZ > 100 and 8 otherwise.
 */
#include "config.h"

#include "models/ktimer.h"

#define KT_CLK_SHIFT 3                       /* 8 times coarser per level */
#define KT_LVL_SIZE  64                      /* buckets per level */

static guint
ktimer_depth (guint hz)
{
  return hz > 100 ? 9 : 8;
}

/* LVL_START (n): the least delay level n holds, for n >= 1. */
static guint64
ktimer_level_start (guint n)
{
  return (guint64) (KT_LVL_SIZE - 1) << ((n - 1) * KT_CLK_SHIFT);
}

gboolean
ktimer_hz_valid (guint hz)
{
  return hz == 0 || (hz <= 1000000000u && 1000000000u % hz == 0);
}

SimTime
ktimer_jiffy (guint hz)
{
  g_return_val_if_fail (hz > 0 && ktimer_hz_valid (hz), 0);
  return SIM_S (1) / hz;
}

guint64
ktimer_jiffies (guint hz, SimTime t)
{
  g_return_val_if_fail (t >= 0, 0);
  return (guint64) (t / ktimer_jiffy (hz));
}

guint64
ktimer_to_jiffies (guint hz, SimTime d)
{
  SimTime j = ktimer_jiffy (hz);

  g_return_val_if_fail (d >= 0, 0);
  return (guint64) (d / j + (d % j != 0));
}

/* The level a delay of @delta jiffies goes to (calc_wheel_index). */
static guint
ktimer_level (guint hz, guint64 delta)
{
  guint depth = ktimer_depth (hz), lvl = 0;

  while (lvl < depth - 1 && delta >= ktimer_level_start (lvl + 1))
    lvl++;
  return lvl;
}

guint64
ktimer_granularity (guint hz, guint64 delay)
{
  return (guint64) 1 << (ktimer_level (hz, delay) * KT_CLK_SHIFT);
}

guint64
ktimer_bucket (guint hz, guint64 clk, guint64 expires)
{
  guint depth = ktimer_depth (hz);
  guint64 delta, cutoff = ktimer_level_start (depth);
  guint lvl;

  g_return_val_if_fail (expires >= clk, expires);
  delta = expires - clk;
  lvl = ktimer_level (hz, delta);
  if (delta >= cutoff)
    /* WHEEL_TIMEOUT_MAX: the capacity of the last level. */
    expires = clk + cutoff - ((guint64) 1 << ((depth - 1) * KT_CLK_SHIFT));
  return ((expires >> (lvl * KT_CLK_SHIFT)) + 1) << (lvl * KT_CLK_SHIFT);
}

SimTime
ktimer_fire_time (guint hz, SimTime now, guint64 delay, gboolean in_callback)
{
  guint64 jnow = ktimer_jiffies (hz, now);
  guint64 clk = jnow + (in_callback ? 1 : 0);
  guint64 expires = jnow + delay;

  /* A callback re-arming for the very next jiffy: the kernel's delta
   * wraps negative and the bucket is the clock's own. */
  if (expires < clk)
    return (SimTime) clk * ktimer_jiffy (hz);
  return (SimTime) ktimer_bucket (hz, clk, expires) * ktimer_jiffy (hz);
}
