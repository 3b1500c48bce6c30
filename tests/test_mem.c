/* tests/test_mem.c — sim/mem.c: big arrays in huge pages.
 *
 * What a caller may rely on: the memory is zeroed, 64-byte aligned, 2 MiB
 * aligned from 2 MiB up (so whole huge pages can back it), writable to
 * its last byte, and freed by sim_mem_free.  Whether the kernel actually
 * used huge pages is its choice and is not asserted.
 */
#include "config.h"

#include <glib.h>

#include "sim/mem.h"

static void
check (gsize n, gsize size, gsize align)
{
  guint8 *mem = sim_mem_alloc0 (n, size);
  gsize bytes = MAX (n * size, 1);

  g_assert_nonnull (mem);
  g_assert_cmpuint ((guintptr) mem % align, ==, 0);
  for (gsize i = 0; i < bytes; i += 4093)
    g_assert_cmpuint (mem[i], ==, 0);
  g_assert_cmpuint (mem[bytes - 1], ==, 0);
  mem[0] = 1;
  mem[bytes - 1] = 2;                 /* the same byte when bytes == 1 */
  g_assert_cmpuint (mem[bytes - 1], ==, 2);
  if (bytes > 1)
    g_assert_cmpuint (mem[0], ==, 1);
  sim_mem_free (mem, n, size);
}

static void
test_small (void)
{
  check (0, 64, 64);               /* empty: still a valid pointer */
  check (1, 1, 64);
  check (1000, 320, 64);           /* 320 000 bytes: below 2 MiB */
}

static void
test_big (void)
{
  sim_mem_free (NULL, 1000000, 64);  /* nothing to free */
  check (1, 2u << 20, 2u << 20);   /* exactly 2 MiB */
  check (100003, 64, 2u << 20);    /* 6.1 MiB, not a multiple of 2 MiB */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mem/small", test_small);
  g_test_add_func ("/mem/big", test_big);
  return g_test_run ();
}
