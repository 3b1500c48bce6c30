/* cli/merge.c — `natkeep merge` (not available yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
cli_merge (int argc, char **argv)
{
  fprintf (stderr, "natkeep merge: not available in this version yet\n");
  return CLI_FAILED;
}
