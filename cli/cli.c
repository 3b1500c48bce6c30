/* cli/cli.c — helpers shared by the subcommands: the wall clock and the
 * process's memory, which only cli/ may read (sim/ and models/ never see
 * wall time, so results cannot depend on it). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

double
cli_wall_seconds (void)
{
  return (double) g_get_monotonic_time () / 1e6;
}

/* A "Name:   123 kB" line of /proc/self/status. */
static gint64
status_kb (const char *name)
{
  FILE *f = fopen ("/proc/self/status", "r");
  if (f == NULL)
    return -1;
  char line[256];
  gint64 kb = -1;
  gsize n = strlen (name);
  while (fgets (line, sizeof line, f))
    if (strncmp (line, name, n) == 0 && line[n] == ':')
      {
        kb = g_ascii_strtoll (line + n + 1, NULL, 10);
        break;
      }
  fclose (f);
  return kb;
}

gint64
cli_rss_kb (void)
{
  return status_kb ("VmRSS");
}

gint64
cli_peak_rss_kb (void)
{
  return status_kb ("VmHWM");
}
