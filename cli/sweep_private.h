/* cli/sweep_private.h — shared by cli/sweep.c and cli/sweep_resume.c. */
#pragma once

#include <stdio.h>
#include <glib.h>

G_BEGIN_DECLS

/* What one `natkeep sweep` process runs and where it writes. */
typedef struct {
  char    *dir;                 /* results directory (owned) */
  guint64  shard_i, shard_n;    /* --shard I/N; 0/1 without */
  guint64  points, repeat;      /* of the whole sweep */
  guint64  units;               /* (point, rep) units in this shard */
  guint64  done;                /* units already complete in DIR (--resume) */
  guint64  resumed;             /* done as found at start */
  guint64  flows_run;           /* flows simulated by this process */
  gboolean flows;               /* --flows */
  GString *points_prefix;       /* expected "#" lines + header of points.tsv */
  GString *flows_prefix;        /* same for flows.tsv */
} SweepPlan;

/* Unit @j of the shard: every shard_n-th point from shard_i, all
 * repetitions of a point together, in (point, rep) order. */
static inline void
sweep_plan_unit_at (const SweepPlan *plan, guint64 j, guint64 *point, guint64 *rep)
{
  *point = plan->shard_i + plan->shard_n * (j / plan->repeat);
  *rep = j % plan->repeat;
}

/* The inverse; FALSE when (@point, @rep) is not a unit of the shard. */
static inline gboolean
sweep_plan_unit_index (const SweepPlan *plan, guint64 point, guint64 rep, guint64 *j)
{
  if (point >= plan->points || rep >= plan->repeat || point < plan->shard_i
      || (point - plan->shard_i) % plan->shard_n != 0)
    return FALSE;
  *j = (point - plan->shard_i) / plan->shard_n * plan->repeat + rep;
  return TRUE;
}

void     sweep_plan_clear   (SweepPlan *plan);

/* Opens DIR/points.tsv (and flows.tsv with plan->flows) for appending.
 * Without @resume, or when points.tsv does not exist yet, both start
 * afresh with their prefix.  With @resume, the files must start with
 * exactly the expected prefix; their complete units are kept
 * (plan->done, plan->resumed), everything after the last complete points
 * row and its flows rows is cut off.  A file from other options is
 * NATKEEP_SCENARIO_ERROR (bad input), I/O failures G_FILE_ERROR. */
gboolean sweep_open_outputs (SweepPlan *plan, gboolean resume, const char *points_path,
                             const char *flows_path, FILE **points_fp, FILE **flows_fp,
                             GError **error);

G_END_DECLS
