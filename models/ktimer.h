/* models/ktimer.h — when a Linux timer_list fires: jiffies and the timer
 * wheel's rounding (SEMANTICS.md §7, kernel/time/timer.c).
 *
 * The kernel-timer mode of the TCP model (`timer_hz`) arms its keep-alive
 * and retransmission timers through these functions instead of firing
 * them exactly when due.  Jiffy 0 starts at simulated time 0, and a jiffy
 * lasts 10^9 / hz ns, which must be a whole number (hz 100, 250, 1000).
 *
 * The wheel has 64 buckets per level; level n holds delays from
 * 63·8^(n-1) up to 63·8^n jiffies (level 0: below 63) and has a
 * granularity of 8^n jiffies.  A timer due at jiffy E on level n fires at
 * ((E >> 3n) + 1) << 3n: the next multiple of the granularity above E,
 * never early, at most one granularity late.  The level is chosen by the
 * delay from the wheel's clock, which equals jiffies, except inside a
 * timer callback, where the kernel has already moved it one ahead
 * (__run_timers), so a timer re-armed from its own callback counts one
 * jiffy less.  Delays at or beyond the wheel's capacity are capped there,
 * as the kernel does.
 */
#pragma once

#include <glib.h>

#include "sim/time.h"

G_BEGIN_DECLS

/* TRUE if @hz is 0 (ideal timers) or a jiffy of 10^9 / @hz ns is whole. */
gboolean ktimer_hz_valid     (guint hz);
/* Length of a jiffy, ns. */
SimTime  ktimer_jiffy        (guint hz);
/* The jiffy count at time @t (>= 0). */
guint64  ktimer_jiffies      (guint hz, SimTime t);
/* @d (>= 0) in whole jiffies, rounded up (msecs_to_jiffies). */
guint64  ktimer_to_jiffies   (guint hz, SimTime d);
/* The granularity, in jiffies, of the level a delay of @delay jiffies
 * falls in: how late such a timer can fire at most. */
guint64  ktimer_granularity  (guint hz, guint64 delay);
/* The jiffy at which a timer due at jiffy @expires fires, armed while the
 * wheel's clock reads @clk (<= @expires). */
guint64  ktimer_bucket       (guint hz, guint64 clk, guint64 expires);
/* When a timer armed at @now for @delay jiffies fires: the start of its
 * bucket's jiffy.  @in_callback: armed from a timer callback. */
SimTime  ktimer_fire_time    (guint hz, SimTime now, guint64 delay,
                              gboolean in_callback);

G_END_DECLS
