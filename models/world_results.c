/* models/world_results.c — points.tsv, flows.tsv and the one-line summary.
 *
 * The files follow DESIGN.md "Results" to the byte: leading "# " lines with
 * only what determines the results (the caller passes them: version,
 * scenario file, seed, --set overrides), a header row, then tab-separated
 * rows.  Times are seconds with six decimals from integer arithmetic
 * (sim_time_format_s6), "-" where there is none; other numbers are
 * integers, and survival is printed with "%.6f" outside the locale.  No
 * hash-table order, pointer or wall clock reaches a file, so the same
 * scenario and seed give the same bytes.
 *
 * Each file is written to a temporary name in the same directory and
 * renamed into place, so a reader never sees half a file; flows.tsv is
 * streamed in 64 KiB chunks because a million-flow table does not need to
 * sit in memory twice.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "models/world_private.h"

#define WORLD_CHUNK (64 * 1024)

static const char points_header[] =
  "point\trep\tflows\talive\ttimeout\treset\tclosed\tstale\trefused\tsurvival"
  "\tprobes_client\tprobes_server\tkeepalive_bytes\tnat_peak_mappings\tevents\n";
static const char flows_header[] =
  "point\trep\tflow\topened_at\tbroken_at\tclient_outcome\tclient_learned_at"
  "\tserver_outcome\tserver_learned_at\tclient_probes\tserver_probes\tpublic_port\n";

static void
format_meta_lines (GString *out, const char *const *lines)
{
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_string_append_printf (out, "# %s\n", lines[i]);
}

static const char *
time_or_dash (SimTime t, char *buf, gsize size)
{
  return t == SIM_TIME_NEVER ? "-" : sim_time_format_s6 (t, buf, size);
}

/* pattern = http: appended to both headers (before the newline). */
static const char http_columns[] =
  "\trequests\tfailed\tretried\tconnections_opened\tlatency_p50\tlatency_p99";

/* @header (ending in a newline) with the http columns before the newline. */
static void
append_header (GString *out, const char *header, gboolean http)
{
  if (!http)
    {
      g_string_append (out, header);
      return;
    }
  g_string_append_len (out, header, strlen (header) - 1);
  g_string_append (out, http_columns);
  g_string_append_c (out, '\n');
}

/* The http columns of a row, each after a tab (no newline). */
static void
append_http (GString *out, guint64 requests, guint64 failed, guint64 retried,
             guint64 opened, SimTime p50, SimTime p99)
{
  char a[32], b[32];

  g_string_append_printf (out, "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                          "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT "\t%s\t%s",
                          requests, failed, retried, opened,
                          time_or_dash (p50, a, sizeof a), time_or_dash (p99, b, sizeof b));
}

void
world_format_points_header_full (const char *const *meta_lines,
                                 const char *const *swept_keys, gboolean http,
                                 GString *out)
{
  format_meta_lines (out, meta_lines);
  g_string_append (out, "point\trep");
  for (guint i = 0; swept_keys != NULL && swept_keys[i] != NULL; i++)
    g_string_append_printf (out, "\t%s", swept_keys[i]);
  /* points_header without its "point\trep" */
  append_header (out, points_header + strlen ("point\trep"), http);
}

void
world_format_points_header (const char *const *meta_lines, const char *const *swept_keys,
                            GString *out)
{
  world_format_points_header_full (meta_lines, swept_keys, FALSE, out);
}

void
world_format_points_row (const World *w, guint64 point, guint64 rep,
                         const char *const *swept_values, GString *out)
{
  WorldPointResult r;
  char surv[G_ASCII_DTOSTR_BUF_SIZE];

  world_point_result (w, &r);
  g_ascii_formatd (surv, sizeof surv, "%.6f",
                   r.flows > 0 ? (double) r.count[WORLD_ALIVE] / r.flows : 0.0);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT, point, rep);
  for (guint i = 0; swept_values != NULL && swept_values[i] != NULL; i++)
    {
      /* A tab would split the column; values are INI text, so a space
       * reads the same. */
      gsize at = out->len;

      g_string_append_c (out, '\t');
      g_string_append (out, swept_values[i]);
      for (gsize j = at + 1; j < out->len; j++)
        if (out->str[j] == '\t' || out->str[j] == '\n')
          out->str[j] = ' ';
    }
  g_string_append_printf (out, "\t%" G_GUINT64_FORMAT, r.flows);
  for (int o = WORLD_ALIVE; o <= WORLD_REFUSED; o++)
    g_string_append_printf (out, "\t%" G_GUINT64_FORMAT, r.count[o]);
  g_string_append_printf (out, "\t%s\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                          "\t%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                          "\t%" G_GUINT64_FORMAT, surv,
                          r.probes[WORLD_CLIENT], r.probes[WORLD_SERVER],
                          r.keepalive_bytes, r.nat_peak_mappings, r.events);
  if (w->http)
    append_http (out, r.requests, r.failed, r.retried, r.connections_opened,
                 r.latency_p50, r.latency_p99);
  g_string_append_c (out, '\n');
}

void
world_format_points (const World *w, const WorldResultsMeta *meta, gboolean header,
                     GString *out)
{
  if (header)
    world_format_points_header_full (meta->meta_lines, NULL, w->http, out);
  world_format_points_row (w, meta->point, meta->rep, NULL, out);
}

void
world_format_flows_header_path (const char *const *meta_lines, gboolean http,
                                gboolean path, GString *out)
{
  format_meta_lines (out, meta_lines);
  append_header (out, flows_header, http);
  if (path)
    {
      /* before the newline append_header ended with */
      g_string_truncate (out, out->len - 1);
      g_string_append (out, "\tbroken_by\n");
    }
}

void
world_format_flows_header_full (const char *const *meta_lines, gboolean http,
                                GString *out)
{
  world_format_flows_header_path (meta_lines, http, FALSE, out);
}

void
world_format_flows_header (const char *const *meta_lines, GString *out)
{
  world_format_flows_header_full (meta_lines, FALSE, out);
}

static void
format_flow_row (const World *w, const WorldResultsMeta *meta, guint64 i, GString *out)
{
  WorldFlowResult r;
  char open[32], broken[32], lc[32], ls[32], port[8];

  world_flow_result (w, i, &r);
  if (r.public_port != 0)
    g_snprintf (port, sizeof port, "%u", r.public_port);
  else
    strcpy (port, "-");
  g_string_append_printf (out, "%" G_GUINT64_FORMAT "\t%" G_GUINT64_FORMAT
                          "\t%" G_GUINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\t%u\t%u\t%s",
                          meta->point, meta->rep, i,
                          time_or_dash (r.opened_at, open, sizeof open),
                          time_or_dash (r.broken_at, broken, sizeof broken),
                          world_outcome_name (r.outcome[WORLD_CLIENT]),
                          time_or_dash (r.learned_at[WORLD_CLIENT], lc, sizeof lc),
                          world_outcome_name (r.outcome[WORLD_SERVER]),
                          time_or_dash (r.learned_at[WORLD_SERVER], ls, sizeof ls),
                          r.probes[WORLD_CLIENT], r.probes[WORLD_SERVER], port);
  if (w->http)
    append_http (out, r.requests, r.failed, r.retried, r.connections_opened,
                 r.latency_p50, r.latency_p99);
  if (w->cfg.n_boxes > 0)
    g_string_append_printf (out, "\t%s", r.broken_box != NULL ? r.broken_box : "-");
  g_string_append_c (out, '\n');
}

void
world_format_flows (const World *w, const WorldResultsMeta *meta, gboolean header,
                    GString *out)
{
  if (header)
    world_format_flows_header_path (meta->meta_lines, w->http, w->cfg.n_boxes > 0, out);
  for (guint64 i = 0; i < w->n_flows; i++)
    format_flow_row (w, meta, i, out);
}

/* ------------------------------------------------------------ files */

typedef struct {
  char   *path;
  char   *tmp;
  FILE   *fp;
} OutFile;

static gboolean
out_open (OutFile *o, const char *path, GError **error)
{
  int fd, saved;

  o->path = g_strdup (path);
  o->tmp = g_strdup_printf ("%s.XXXXXX", path);
  o->fp = NULL;
  fd = g_mkstemp_full (o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (fd < 0 || (o->fp = fdopen (fd, "w")) == NULL)
    {
      saved = errno;
      if (fd >= 0)
        {
          close (fd);
          g_unlink (o->tmp);
        }
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", path, g_strerror (saved));
      g_clear_pointer (&o->path, g_free);
      g_clear_pointer (&o->tmp, g_free);
      return FALSE;
    }
  return TRUE;
}

static void
out_write (OutFile *o, GString *buf)
{
  if (buf->len > 0)
    fwrite (buf->str, 1, buf->len, o->fp);
  g_string_truncate (buf, 0);
}

/* Closes, then renames into place or removes the temporary file. */
static gboolean
out_close (OutFile *o, gboolean ok, GError **error)
{
  int saved = 0;

  if (ferror (o->fp))
    saved = EIO;
  if (fclose (o->fp) != 0 && saved == 0)
    saved = errno;
  if (ok && saved == 0 && g_rename (o->tmp, o->path) != 0)
    saved = errno;
  if (!ok || saved != 0)
    {
      g_unlink (o->tmp);
      if (ok)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     "cannot write %s: %s", o->path, g_strerror (saved));
      ok = FALSE;
    }
  g_free (o->path);
  g_free (o->tmp);
  return ok;
}

gboolean
world_write_file (const char *path, const char *contents, gsize len, GError **error)
{
  OutFile o;

  if (!out_open (&o, path, error))
    return FALSE;
  fwrite (contents, 1, len, o.fp);
  return out_close (&o, TRUE, error);
}

gboolean
world_write_results (const World *w, const WorldResultsMeta *meta, const char *dir,
                     gboolean flows, GError **error)
{
  g_autoptr(GString) buf = g_string_sized_new (WORLD_CHUNK + 256);
  g_autofree char *points_path = g_build_filename (dir, "points.tsv", NULL);
  g_autofree char *flows_path = g_build_filename (dir, "flows.tsv", NULL);
  OutFile o;

  g_return_val_if_fail (w != NULL && w->decided, FALSE);

  /* flows.tsv first: points.tsv marks a complete result. */
  if (flows)
    {
      if (!out_open (&o, flows_path, error))
        return FALSE;
      world_format_flows_header_path (meta->meta_lines, w->http, w->cfg.n_boxes > 0,
                                      buf);
      for (guint64 i = 0; i < w->n_flows; i++)
        {
          format_flow_row (w, meta, i, buf);
          if (buf->len >= WORLD_CHUNK)
            out_write (&o, buf);
        }
      out_write (&o, buf);
      if (!out_close (&o, TRUE, error))
        return FALSE;
    }
  world_format_points (w, meta, TRUE, buf);
  return world_write_file (points_path, buf->str, buf->len, error);
}

/* ---------------------------------------------------------- summary */

/* " at A s" or " at A-B s" over the set times, "" when none. */
static void
append_span (GString *out, SimTime lo, SimTime hi)
{
  char a[32], b[32];

  sim_time_format_s6 (lo, a, sizeof a);
  if (lo == hi)
    g_string_append_printf (out, " at %s s", a);
  else
    g_string_append_printf (out, " at %s-%s s", a, sim_time_format_s6 (hi, b, sizeof b));
}

static void
append_learned (GString *out, const World *w, int side, const char *who)
{
  SimTime lo = SIM_TIME_NEVER, hi = 0;
  guint64 n = 0, causes[WORLD_CAUSE_N] = { 0 };
  guint best = 0;

  for (guint64 i = 0; i < w->n_flows; i++)
    {
      const Flow *f = &w->flows[i];

      if (f->learned_at[side] == SIM_TIME_NEVER)
        continue;
      n++;
      lo = MIN (lo, f->learned_at[side]);
      hi = MAX (hi, f->learned_at[side]);
      causes[f->cause[side]]++;
    }
  if (n == 0)
    {
      g_string_append_printf (out, "; no %s learned anything", who);
      return;
    }
  for (guint c = 1; c < WORLD_CAUSE_N; c++)
    if (causes[c] > causes[best])
      best = c;
  g_string_append_printf (out, "; %" G_GUINT64_FORMAT " %s learned", n, who);
  append_span (out, lo, hi);
  g_string_append_printf (out, " (%s%s)",
                          world_cause_name (best) != NULL ? world_cause_name (best) : "-",
                          causes[best] < n ? ", mostly" : "");
}

char *
world_summary (const World *w)
{
  GString *out = g_string_new (NULL);
  WorldPointResult r;
  SimTime lo = SIM_TIME_NEVER, hi = 0;
  guint64 broken = 0, by[WORLD_BREAK_REFUSED + 1] = { 0 };
  guint best = 0;

  world_point_result (w, &r);
  g_string_append_printf (out, "%s: %" G_GUINT64_FORMAT " flows; %" G_GUINT64_FORMAT
                          " alive", w->cfg.name, r.flows, r.count[WORLD_ALIVE]);
  for (int o = WORLD_TIMEOUT; o <= WORLD_REFUSED; o++)
    if (r.count[o] > 0)
      g_string_append_printf (out, ", %" G_GUINT64_FORMAT " %s", r.count[o],
                              world_outcome_name (o));
  for (guint64 i = 0; i < w->n_flows; i++)
    if (w->flows[i].broken_at != SIM_TIME_NEVER)
      {
        broken++;
        lo = MIN (lo, w->flows[i].broken_at);
        hi = MAX (hi, w->flows[i].broken_at);
        by[w->flows[i].broken_by]++;
      }
  if (broken == 0)
    g_string_append (out, "; path never broken");
  else
    {
      for (guint b = 1; b <= WORLD_BREAK_REFUSED; b++)
        if (by[b] > by[best])
          best = b;
      g_string_append_printf (out, "; %" G_GUINT64_FORMAT " broken", broken);
      append_span (out, lo, hi);
      g_string_append_printf (out, " (%s)", world_break_name (best));
    }
  append_learned (out, w, WORLD_CLIENT, "clients");
  append_learned (out, w, WORLD_SERVER, "servers");
  return g_string_free (out, FALSE);
}
