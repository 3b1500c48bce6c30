/* cli/sweep.c — `natkeep sweep` (not available yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
cli_sweep (int argc, char **argv)
{
  fprintf (stderr, "natkeep sweep: not available in this version yet\n");
  return CLI_FAILED;
}
