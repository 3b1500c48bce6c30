/* sim/mem.h — big arrays in transparent huge pages.
 *
 * An array of a million owners (flows, timers) or a heap of a million
 * slots is touched at random: on 4 KiB pages nearly every access is also
 * a TLB miss, and a store waits for its page walk before it can retire.
 * sim_mem_alloc0 maps arrays of 2 MiB and more straight from the kernel,
 * 2 MiB aligned, and asks for 2 MiB pages (madvise MADV_HUGEPAGE, which
 * Debian's default THP mode "madvise" honours) before the first touch, so
 * the pages are huge from the start.  Smaller arrays, and systems without
 * madvise, get plain 64-byte-aligned memory.  Nothing else changes: same
 * contents, same results.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The huge page size: arrays of this many bytes or more get huge pages. */
#define SIM_MEM_HUGE ((gsize) 2 << 20)

/* @n elements of @size bytes, zeroed, 64-byte aligned (2 MiB when big);
 * free with sim_mem_free and the same @n and @size.  Aborts on overflow
 * or out of memory, as g_malloc does. */
void *sim_mem_alloc0 (gsize n, gsize size);
void  sim_mem_free   (void *mem, gsize n, gsize size);   /* NULL: nothing */

G_END_DECLS
