/* cli/merge.c — `natkeep merge OUT DIR...`: join the results directories
 * of `natkeep sweep --shard I/N` into the bytes one process writes.
 *
 * Shards write the same "#" lines and header (thread count and shard go to
 * run.log, never to the TSV), and each row starts with its point and
 * repetition, so merging is: check the prefixes agree to the byte, sort
 * the rows by (point, rep), refuse duplicates and holes, write.  A hole is
 * found from the shards' run.log (the sweep's point count, repetitions and
 * N, written when a shard finished) or, without run.log, as a gap in the
 * points and repetitions seen; a shard whose last row was cut short is
 * refused rather than guessed at.  flows.tsv is merged the same way, unit
 * by unit, when every input has one.  Outputs go through a temporary name
 * and a rename.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/plot.h"
#include "cli/cli.h"
#include "cli/results.h"

typedef struct {
  char        *dir;
  GMappedFile *points, *flows;     /* flows NULL when absent */
  gsize        points_prefix, flows_prefix;
  GArray      *rows, *flow_rows;   /* CliRow */
  gboolean     have_log;
  guint64      log_points, log_repeat, log_shard_i, log_shard_n;
} MergeInput;

typedef struct {
  guint64 point, rep;
  guint   input;
  gsize   start, len;              /* in that input's points.tsv */
} MergeRow;

static void
merge_input_clear (MergeInput *in)
{
  g_free (in->dir);
  g_clear_pointer (&in->points, g_mapped_file_unref);
  g_clear_pointer (&in->flows, g_mapped_file_unref);
  g_clear_pointer (&in->rows, g_array_unref);
  g_clear_pointer (&in->flow_rows, g_array_unref);
}

static int
merge_row_cmp (gconstpointer a, gconstpointer b)
{
  const MergeRow *x = a, *y = b;

  if (x->point != y->point)
    return x->point < y->point ? -1 : 1;
  return x->rep < y->rep ? -1 : x->rep > y->rep;
}

static int G_GNUC_PRINTF (1, 2)
merge_fail (const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "natkeep merge: %s\n", msg);
  return CLI_BAD_INPUT;
}

/* "key\tvalue" lines of DIR/run.log, if it was written by a sweep. */
static void
read_log (MergeInput *in)
{
  g_autofree char *path = g_build_filename (in->dir, "run.log", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int found = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "points\t"))
        found |= 1, in->log_points = g_ascii_strtoull (lines[i] + 7, NULL, 10);
      else if (g_str_has_prefix (lines[i], "repeat\t"))
        found |= 2, in->log_repeat = g_ascii_strtoull (lines[i] + 7, NULL, 10);
      else if (g_str_has_prefix (lines[i], "shard\t")
               && sscanf (lines[i] + 6, "%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                          &in->log_shard_i, &in->log_shard_n) == 2)
        found |= 4;
    }
  in->have_log = found == 7 && in->log_shard_n > 0 && in->log_repeat > 0;
}

/* Maps and scans one TSV of @in; *@map stays NULL when it is absent and
 * !@required.  Returns an exit status (CLI_OK to go on). */
static int
load_tsv (MergeInput *in, const char *name, gboolean required, GMappedFile **map,
          gsize *prefix_len, GArray **rows)
{
  g_autofree char *path = g_build_filename (in->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize len, end;

  *map = g_mapped_file_new (path, FALSE, &error);
  if (*map == NULL)
    {
      if (!required && g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return CLI_OK;
      return merge_fail ("%s", error->message);
    }
  *rows = g_array_new (FALSE, FALSE, sizeof (CliRow));
  len = g_mapped_file_get_length (*map);
  if (!cli_results_scan (path, g_mapped_file_get_contents (*map), len, prefix_len, *rows,
                         &error))
    return merge_fail ("%s", error->message);
  if (*prefix_len == 0)
    return merge_fail ("%s: no header row", path);
  end = (*rows)->len > 0 ? g_array_index (*rows, CliRow, (*rows)->len - 1).start
                           + g_array_index (*rows, CliRow, (*rows)->len - 1).len
                         : *prefix_len;
  if (end != len)
    return merge_fail ("%s: ends in a partial row (finish that sweep with "
                       "natkeep sweep --resume)", path);
  return CLI_OK;
}

static gboolean
same_prefix (GMappedFile *a, gsize alen, GMappedFile *b, gsize blen)
{
  return alen == blen && memcmp (g_mapped_file_get_contents (a),
                                 g_mapped_file_get_contents (b), alen) == 0;
}

/* Checks the sorted @rows for duplicates and holes; an exit status. */
static int
check_complete (MergeInput *in, guint n_in, GArray *rows, guint64 *points_out,
                guint64 *repeat_out)
{
  guint64 points = 0, repeat = 0, shard_n = 0, at = 0;
  const MergeInput *log = NULL;

  for (guint i = 0; i < n_in; i++)
    if (in[i].have_log)
      {
        if (log != NULL && (in[i].log_points != log->log_points
                            || in[i].log_repeat != log->log_repeat
                            || in[i].log_shard_n != log->log_shard_n))
          return merge_fail ("%s: run.log describes another sweep than %s/run.log "
                             "(points, repeat or shard count differ)", in[i].dir, log->dir);
        log = &in[i];
      }
  if (log != NULL)
    points = log->log_points, repeat = log->log_repeat, shard_n = log->log_shard_n;
  for (guint r = 0; r < rows->len; r++)
    {
      const MergeRow *m = &g_array_index (rows, MergeRow, r);

      if (r > 0 && merge_row_cmp (m, m - 1) == 0)
        return merge_fail ("%s: point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT
                           " is also in %s", in[m->input].dir, m->point, m->rep,
                           in[(m - 1)->input].dir);
      if (log == NULL)
        {
          points = MAX (points, m->point + 1);
          repeat = MAX (repeat, m->rep + 1);
        }
    }
  for (guint64 p = 0; p < points; p++)
    for (guint64 r = 0; r < repeat; r++, at++)
      {
        const MergeRow *m = at < rows->len ? &g_array_index (rows, MergeRow, at) : NULL;
        const char *owner = NULL;

        if (m != NULL && m->point == p && m->rep == r)
          continue;
        if (m != NULL && (m->point < p || (m->point == p && m->rep < r)))
          return merge_fail ("%s: point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT
                             " is beyond the sweep's %" G_GUINT64_FORMAT " points x %"
                             G_GUINT64_FORMAT " repetitions", in[m->input].dir,
                             m->point, m->rep, points, repeat);
        for (guint i = 0; shard_n > 0 && i < n_in; i++)
          if (in[i].have_log && p % shard_n == in[i].log_shard_i)
            owner = in[i].dir;
        if (owner != NULL)
          return merge_fail ("%s: point %" G_GUINT64_FORMAT " missing (finish that shard "
                             "with natkeep sweep --resume)", owner, p);
        if (shard_n > 0)
          return merge_fail ("point %" G_GUINT64_FORMAT " missing: no input is shard %"
                             G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, p, p % shard_n,
                             shard_n);
        return merge_fail ("point %" G_GUINT64_FORMAT " rep %" G_GUINT64_FORMAT
                           " missing from every input (a shard not given?)", p, r);
      }
  if (at < rows->len)
    {
      const MergeRow *m = &g_array_index (rows, MergeRow, at);

      return merge_fail ("%s: point %" G_GUINT64_FORMAT " is beyond the sweep's %"
                         G_GUINT64_FORMAT " points", in[m->input].dir, m->point, points);
    }
  *points_out = points;
  *repeat_out = repeat;
  return CLI_OK;
}

/* Writes @prefix and the bytes of every unit in @rows order; for flows
 * (@flows) the rows of each unit come from its input's flows.tsv. */
static gboolean
write_merged (const char *path, MergeInput *in, GArray *rows, gboolean flows,
              GHashTable **spans, GError **error)
{
  CliTmpFile t = { 0 };
  GMappedFile *first = flows ? in[0].flows : in[0].points;

  if (!cli_tmp_open (&t, path, error))
    return FALSE;
  fwrite (g_mapped_file_get_contents (first), 1,
          flows ? in[0].flows_prefix : in[0].points_prefix, t.fp);
  for (guint r = 0; r < rows->len; r++)
    {
      const MergeRow *m = &g_array_index (rows, MergeRow, r);
      const char *text;
      gsize start = m->start, len = m->len;

      if (flows)
        {
          guint64 key[2] = { m->point, m->rep };
          gsize *span = g_hash_table_lookup (spans[m->input], key);

          if (span == NULL)
            continue;          /* a unit without flows */
          start = span[0], len = span[1];
        }
      text = g_mapped_file_get_contents (flows ? in[m->input].flows : in[m->input].points);
      fwrite (text + start, 1, len, t.fp);
    }
  return cli_tmp_close (&t, TRUE, error);
}

static guint
unit_hash (gconstpointer k)
{
  const guint64 *u = k;

  return (guint) (u[0] * 1000003u ^ u[1]);
}

static gboolean
unit_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, 2 * sizeof (guint64)) == 0;
}

/* (point, rep) -> { start, len } of that unit's contiguous flows rows. */
static GHashTable *
flow_spans (const MergeInput *in)
{
  GHashTable *h = g_hash_table_new_full (unit_hash, unit_equal, g_free, g_free);

  for (guint r = 0; r < in->flow_rows->len; r++)
    {
      const CliRow *row = &g_array_index (in->flow_rows, CliRow, r);
      guint64 key[2] = { row->point, row->rep };
      gsize *span = g_hash_table_lookup (h, key);

      if (span != NULL)
        span[1] = row->start + row->len - span[0];
      else
        {
          span = g_new (gsize, 2);
          span[0] = row->start, span[1] = row->len;
          g_hash_table_insert (h, g_memdup2 (key, sizeof key), span);
        }
    }
  return h;
}

/* OUT/run.log in the form a sweep writes, so a merged directory merges
 * again and knows its size. */
static gboolean
write_log (const char *dir, guint n_in, guint64 points, guint64 repeat, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_autofree char *path = g_build_filename (dir, "run.log", NULL);
  CliTmpFile t = { 0 };

  if (!cli_tmp_open (&t, path, error))
    return FALSE;
  fprintf (t.fp, "natkeep %s merge\nfinished\t%s\ninputs\t%u\nshard\t0/1\n"
           "points\t%" G_GUINT64_FORMAT "\nrepeat\t%" G_GUINT64_FORMAT "\n",
           NATKEEP_VERSION, date, n_in, points, repeat);
  return cli_tmp_close (&t, TRUE, error);
}

int
cli_merge (int argc, char **argv)
{
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GOptionContext) ctx =
    g_option_context_new ("OUT DIR... - join `natkeep sweep --shard` outputs");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (MergeRow));
  g_autofree char *points_path = NULL, *flows_path = NULL;
  g_autofree MergeInput *in = NULL;
  GHashTable **spans = NULL;
  gboolean all_flows = TRUE, some_flows = FALSE;
  guint64 points = 0, repeat = 0;
  guint n_in;
  int status = CLI_OK;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return cli_bad_usage ("merge", "%s", error->message);
  if (argc < 3)
    return cli_bad_usage ("merge", "expected an output directory and at least one input");
  n_in = (guint) argc - 2;
  in = g_new0 (MergeInput, n_in);
  for (guint i = 0; i < n_in && status == CLI_OK; i++)
    {
      in[i].dir = g_strdup (argv[i + 2]);
      status = load_tsv (&in[i], "points.tsv", TRUE, &in[i].points, &in[i].points_prefix,
                         &in[i].rows);
      if (status == CLI_OK)
        status = load_tsv (&in[i], "flows.tsv", FALSE, &in[i].flows, &in[i].flows_prefix,
                           &in[i].flow_rows);
      if (status != CLI_OK)
        break;
      read_log (&in[i]);
      all_flows &= in[i].flows != NULL;
      some_flows |= in[i].flows != NULL;
      if (i > 0 && !same_prefix (in[i].points, in[i].points_prefix, in[0].points,
                                 in[0].points_prefix))
        status = merge_fail ("%s/points.tsv: other # lines or header than %s/points.tsv "
                             "(not shards of one sweep)", in[i].dir, in[0].dir);
      else if (i > 0 && all_flows && !same_prefix (in[i].flows, in[i].flows_prefix,
                                                   in[0].flows, in[0].flows_prefix))
        status = merge_fail ("%s/flows.tsv: other # lines or header than %s/flows.tsv",
                             in[i].dir, in[0].dir);
      for (guint r = 0; status == CLI_OK && r < in[i].rows->len; r++)
        {
          const CliRow *c = &g_array_index (in[i].rows, CliRow, r);
          MergeRow m = { c->point, c->rep, i, c->start, c->len };

          g_array_append_val (rows, m);
        }
    }
  if (status == CLI_OK)
    {
      g_array_sort (rows, merge_row_cmp);
      status = check_complete (in, n_in, rows, &points, &repeat);
    }
  if (status != CLI_OK)
    goto out;

  if (g_mkdir_with_parents (argv[1], 0777) != 0)
    {
      fprintf (stderr, "natkeep merge: cannot create %s: %s\n", argv[1], g_strerror (errno));
      status = CLI_FAILED;
      goto out;
    }
  points_path = g_build_filename (argv[1], "points.tsv", NULL);
  flows_path = g_build_filename (argv[1], "flows.tsv", NULL);
  if (all_flows)
    {
      spans = g_new0 (GHashTable *, n_in);
      for (guint i = 0; i < n_in; i++)
        spans[i] = flow_spans (&in[i]);
    }
  else
    {
      if (some_flows)
        fprintf (stderr, "natkeep merge: flows.tsv is not in every input: "
                 "writing points.tsv only\n");
      g_unlink (flows_path);   /* an old one would not match points.tsv */
    }
  /* flows.tsv first: points.tsv marks a complete result. */
  if ((all_flows && !write_merged (flows_path, in, rows, TRUE, spans, &error))
      || !write_merged (points_path, in, rows, FALSE, NULL, &error))
    {
      fprintf (stderr, "natkeep merge: %s\n", error->message);
      status = CLI_FAILED;
      goto out;
    }
  if (!write_log (argv[1], n_in, points, repeat, &error))
    {
      fprintf (stderr, "natkeep merge: %s\n", error->message);
      status = CLI_FAILED;
      goto out;
    }
  printf ("merged %u rows from %u directories into %s\n", rows->len, n_in, argv[1]);
  fflush (stdout);
  if (!cli_plot_results (argv[1], &error))
    {
      if (g_error_matches (error, SIM_PLOT_ERROR, SIM_PLOT_ERROR_NO_GNUPLOT))
        fprintf (stderr, "natkeep merge: %s\n", SIM_PLOT_INSTALL_HINT);
      else
        fprintf (stderr, "natkeep merge: warning: %s\n", error->message);
    }

out:
  for (guint i = 0; spans != NULL && i < n_in; i++)
    g_hash_table_unref (spans[i]);
  g_free (spans);
  for (guint i = 0; i < n_in; i++)
    merge_input_clear (&in[i]);
  return status;
}
