/* cli/sweep_resume.c — opening a sweep's output files, afresh or to
 * resume after a crash.
 *
 * A sweep appends each unit's flows rows, then its points row, flushing
 * after each (cli/sweep.c).  So whatever killed it, points.tsv is its
 * prefix, some complete rows and perhaps a partial line, and flows.tsv is
 * its prefix, the rows of those same units and perhaps some rows of the
 * next unit.  Resuming keeps the complete units, cuts both files right
 * after them and appends the rest: the final bytes are those of an
 * uninterrupted sweep.  The "#" lines and header must match to the byte,
 * which is how a different scenario file name, seed, --set or swept key
 * list is caught; rows must be this shard's units in order, which catches
 * a different --shard.  The files are mapped, not read, so resuming a
 * sweep with a large flows.tsv does not copy it into memory.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/scenario.h"
#include "cli/results.h"
#include "cli/sweep_private.h"

void
sweep_plan_clear (SweepPlan *plan)
{
  g_clear_pointer (&plan->dir, g_free);
  if (plan->points_prefix != NULL)
    g_string_free (plan->points_prefix, TRUE);
  if (plan->flows_prefix != NULL)
    g_string_free (plan->flows_prefix, TRUE);
  plan->points_prefix = plan->flows_prefix = NULL;
}

static gboolean
set_io_error (GError **error, int saved, const char *what, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
               "cannot %s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

static gboolean
mismatch (GError **error, const char *path)
{
  g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
               "%s: written by a different scenario or options (expected the "
               "same # lines and header to resume)", path);
  return FALSE;
}

/* Creates or truncates @path and writes @prefix. */
static FILE *
open_fresh (const char *path, const GString *prefix, GError **error)
{
  FILE *fp = fopen (path, "w");

  if (fp == NULL)
    {
      set_io_error (error, errno, "create", path);
      return NULL;
    }
  if (fwrite (prefix->str, 1, prefix->len, fp) != prefix->len || fflush (fp) != 0)
    {
      set_io_error (error, errno, "write", path);
      fclose (fp);
      return NULL;
    }
  return fp;
}

/* Cuts @path to @len bytes and opens it for appending. */
static FILE *
open_cut (const char *path, gsize len, GError **error)
{
  FILE *fp;

  if (truncate (path, (off_t) len) != 0)
    {
      set_io_error (error, errno, "truncate", path);
      return NULL;
    }
  fp = fopen (path, "a");
  if (fp == NULL)
    set_io_error (error, errno, "open", path);
  return fp;
}

/* Maps @path and scans it; *@map NULL when it does not exist. */
static gboolean
map_scan (const char *path, GMappedFile **map, gsize *prefix_len, GArray *rows,
          GError **error)
{
  GError *local = NULL;

  *map = g_mapped_file_new (path, FALSE, &local);
  if (*map == NULL)
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_error_free (local);
          return TRUE;
        }
      g_propagate_error (error, local);
      return FALSE;
    }
  return cli_results_scan (path, g_mapped_file_get_contents (*map),
                           g_mapped_file_get_length (*map), prefix_len, rows, error);
}

/* Whether the mapped file begins with @prefix (TRUE for an empty file or a
 * header cut short, which hold no row either: start afresh then). */
static gboolean
prefix_ok (GMappedFile *map, gsize prefix_len, const GString *prefix, gboolean *empty)
{
  const char *text = g_mapped_file_get_contents (map);
  gsize len = g_mapped_file_get_length (map);

  *empty = prefix_len == 0;
  if (prefix_len == 0)
    return len <= prefix->len && (len == 0 || memcmp (text, prefix->str, len) == 0);
  return prefix_len == prefix->len && memcmp (text, prefix->str, prefix_len) == 0;
}

/* Keeps the complete units of points.tsv; sets plan->done and *@cut. */
static gboolean
resume_points (SweepPlan *plan, const char *path, GMappedFile *map, gsize prefix_len,
               GArray *rows, gsize *cut, GError **error)
{
  gboolean empty;

  if (!prefix_ok (map, prefix_len, plan->points_prefix, &empty))
    return mismatch (error, path);
  if (empty)
    {
      *cut = 0;
      return TRUE;
    }
  *cut = prefix_len;
  for (guint r = 0; r < rows->len; r++)
    {
      const CliRow *row = &g_array_index (rows, CliRow, r);
      guint64 point, rep;

      if (r >= plan->units)
        return mismatch (error, path);
      sweep_plan_unit_at (plan, r, &point, &rep);
      if (row->point != point || row->rep != rep || row->start != *cut)
        {
          g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                       "%s: row %u is point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT
                       " where point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT
                       " belongs (a different --shard?)", path, r + 1, row->point,
                       row->rep, point, rep);
          return FALSE;
        }
      *cut = row->start + row->len;
    }
  plan->done = plan->resumed = rows->len;
  return TRUE;
}

/* Where flows.tsv ends once the units after plan->done are cut off. */
static gboolean
resume_flows (SweepPlan *plan, const char *path, GMappedFile *map, gsize prefix_len,
              GArray *rows, gsize *cut, GError **error)
{
  gboolean empty;
  guint64 last = 0;

  if (!prefix_ok (map, prefix_len, plan->flows_prefix, &empty) || empty)
    return mismatch (error, path);
  *cut = prefix_len;
  for (guint r = 0; r < rows->len; r++)
    {
      const CliRow *row = &g_array_index (rows, CliRow, r);
      guint64 j;

      if (!sweep_plan_unit_index (plan, row->point, row->rep, &j) || j < last)
        return mismatch (error, path);
      if (j >= plan->done)
        break;
      last = j;
      *cut = row->start + row->len;
    }
  return TRUE;
}

gboolean
sweep_open_outputs (SweepPlan *plan, gboolean resume, const char *points_path,
                    const char *flows_path, FILE **points_fp, FILE **flows_fp,
                    GError **error)
{
  g_autoptr(GArray) prow = g_array_new (FALSE, FALSE, sizeof (CliRow));
  g_autoptr(GArray) frow = g_array_new (FALSE, FALSE, sizeof (CliRow));
  g_autoptr(GMappedFile) pmap = NULL;
  g_autoptr(GMappedFile) fmap = NULL;
  gsize plen = 0, flen = 0, pcut = 0, fcut = 0;

  *points_fp = *flows_fp = NULL;
  plan->done = plan->resumed = 0;
  if (resume)
    {
      if (!map_scan (points_path, &pmap, &plen, prow, error))
        return FALSE;
      if (pmap != NULL
          && !resume_points (plan, points_path, pmap, plen, prow, &pcut, error))
        return FALSE;
    }
  if (plan->done > 0)
    {
      if (!map_scan (flows_path, &fmap, &flen, frow, error))
        return FALSE;
      if (plan->flows && fmap == NULL)
        {
          g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                       "%s: missing, the sweep was started without --flows "
                       "(resume without --flows)", flows_path);
          return FALSE;
        }
      if (!plan->flows && fmap != NULL)
        {
          g_set_error (error, NATKEEP_SCENARIO_ERROR, NATKEEP_SCENARIO_ERROR_INVALID_VALUE,
                       "%s: the sweep was started with --flows (resume with --flows)",
                       flows_path);
          return FALSE;
        }
      if (fmap != NULL && !resume_flows (plan, flows_path, fmap, flen, frow, &fcut, error))
        return FALSE;
      /* Unmap before cutting: the files shrink under the mapping. */
      g_clear_pointer (&pmap, g_mapped_file_unref);
      g_clear_pointer (&fmap, g_mapped_file_unref);
      if ((*points_fp = open_cut (points_path, pcut, error)) == NULL)
        return FALSE;
      if (plan->flows && (*flows_fp = open_cut (flows_path, fcut, error)) == NULL)
        {
          fclose (*points_fp);
          return FALSE;
        }
      return TRUE;
    }

  /* Nothing to keep. */
  g_clear_pointer (&pmap, g_mapped_file_unref);
  if (plan->flows)
    {
      if ((*flows_fp = open_fresh (flows_path, plan->flows_prefix, error)) == NULL)
        return FALSE;
    }
  else
    g_unlink (flows_path);   /* an old one would not match points.tsv */
  if ((*points_fp = open_fresh (points_path, plan->points_prefix, error)) == NULL)
    {
      if (*flows_fp != NULL)
        fclose (*flows_fp);
      return FALSE;
    }
  return TRUE;
}
