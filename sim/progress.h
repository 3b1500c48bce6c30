/* sim/progress.h — the self-updating progress line of a long run.
 *
 *   \r[ 37/120 points] 12345 flows/s, 00:42 elapsed, ETA 01:13
 *
 * The engine never reads the wall clock (DESIGN.md "Engine"), so the
 * caller passes the elapsed seconds it measured; everything here is
 * arithmetic and formatting.  Redraws are limited to one per
 * SIM_PROGRESS_MIN_INTERVAL_S of that elapsed time, so calling update after
 * every unit costs nothing.  The caller decides whether to show the line
 * at all (a tty, no --quiet): with @out NULL every call does nothing.  Not
 * thread-safe: one thread reports.
 */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

#define SIM_PROGRESS_MIN_INTERVAL_S 0.2

typedef struct _SimProgress SimProgress;

/* A progress line on @out (borrowed; NULL = silent) counting @total units
 * called @label ("points"); @done_before units were finished by an
 * earlier process (--resume) and do not count towards the rates.
 * (transfer full) */
SimProgress *sim_progress_new    (FILE *out, guint64 total, guint64 done_before,
                                  const char *label);
/* Now @done units (including done_before) are finished, @flows flows
 * simulated by this process, @elapsed_s seconds after it started.
 * Redraws unless the last draw was less than the minimum interval ago. */
void         sim_progress_update (SimProgress *p, guint64 done, guint64 flows,
                                  double elapsed_s);
/* Draws the final state and ends the line with a newline (only if a line
 * was ever drawn). */
void         sim_progress_finish (SimProgress *p, guint64 done, guint64 flows,
                                  double elapsed_s);
void         sim_progress_free   (SimProgress *p);

/* The line without "\r": "[ 37/120 points] 12345 flows/s, 00:42 elapsed,
 * ETA 01:13" ("ETA --:--" before the first unit of this process ends;
 * hours appear as "1:02:03" when needed).  (transfer full) */
char        *sim_progress_format (guint64 done, guint64 total, guint64 done_before,
                                  const char *label, guint64 flows, double elapsed_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimProgress, sim_progress_free)

G_END_DECLS
