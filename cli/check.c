/* cli/check.c — `natkeep check` (not available yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
cli_check (int argc, char **argv)
{
  fprintf (stderr, "natkeep check: not available in this version yet\n");
  return CLI_FAILED;
}
