/* cli/results.h — what `natkeep run`, `sweep` and `merge` share about a
 * results directory: the "#" lines, files written through a temporary
 * name, the scheduler options, and reading points.tsv back.
 */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "sim/sim.h"
#include "sim/sweep.h"

G_BEGIN_DECLS

/* A file written to "PATH.XXXXXX" and renamed to PATH by
 * cli_tmp_close (keep = TRUE), so nobody sees half a file. */
typedef struct {
  char *path;        /* final name (owned) */
  char *tmp;         /* temporary name (owned) */
  FILE *fp;          /* NULL when closed or never opened */
} CliTmpFile;

/* Creates the temporary file; FALSE with a G_FILE_ERROR "cannot create
 * PATH: reason" (then @t is closed). */
gboolean cli_tmp_open  (CliTmpFile *t, const char *path, GError **error);
/* Closes @t; renames into place when @keep and every write succeeded,
 * else removes the temporary.  A closed or zeroed @t is fine (TRUE). */
gboolean cli_tmp_close (CliTmpFile *t, gboolean keep, GError **error);

/* The leading "#" lines without "# " (DESIGN.md "Results": natkeep
 * version, scenario file base name, seed, each --set in order), as a
 * NULL-terminated array for WorldResultsMeta (transfer full). */
GPtrArray *cli_results_meta (const char *scenario_path, guint64 seed,
                             const char *const *sets);

/* --scheduler and --engine to one queue kind (default: the wheel).  On bad
 * input prints "natkeep CMD: problem (try natkeep CMD --help)" and returns
 * FALSE. */
gboolean cli_pick_scheduler (const char *cmd, const char *sched, const char *engine,
                             SimSchedKind *kind);

/* Prints "natkeep CMD: MESSAGE (try natkeep CMD --help)" on stderr;
 * returns CLI_BAD_INPUT. */
int      cli_bad_usage (const char *cmd, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* The human summary of a sweep's DIR/points.tsv on @out: one line per
 * point with its swept values, outcomes summed over repetitions ("point 3
 * (nat.established_timeout=350s client.keepidle=30s): 97/100 alive, 3
 * timeout"); more than 20 points become a compact survival table (a grid
 * when exactly two keys are crossed).  FALSE when the file cannot be read. */
gboolean cli_results_print_summary (const char *points_path, const SimSweep *sweep,
                                    FILE *out, GError **error);

/* One complete row of a results file: its (point, rep) and its bytes
 * [start, start + len) including the final "\n". */
typedef struct {
  guint64 point, rep;
  gsize   start, len;
} CliRow;

/* Splits @text (@len bytes of file @path) into the prefix — the leading
 * "#" lines and the header row — and the complete rows after it, appended
 * to @rows (CliRow); a last line without "\n" (a write cut short) is left
 * out.  *@prefix_len = 0 when there is no complete header.  FALSE with
 * G_FILE_ERROR_INVAL "PATH:LINE: not a natkeep results row" when a row does
 * not start with two decimal fields.  O(len). */
gboolean cli_results_scan (const char *path, const char *text, gsize len,
                           gsize *prefix_len, GArray *rows, GError **error);

G_END_DECLS
