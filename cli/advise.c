/* cli/advise.c — `natkeep advise` (not available yet). */
#include "config.h"

#include <stdio.h>

#include "cli/cli.h"

int
cli_advise (int argc, char **argv)
{
  fprintf (stderr, "natkeep advise: not available in this version yet\n");
  return CLI_FAILED;
}
