/* models/pcap.h — classic pcap writer for simulated packets.
 *
 * Writes what a capture on a real Ethernet segment would show: a frame with
 * made-up MACs, a full IPv4 header and a 20-byte TCP header with real
 * sequence numbers and correct checksums, followed by p->len zero bytes of
 * payload, so Wireshark and tcpdump show true lengths and verify checksums.
 * The file is classic pcap v2.4 with nanosecond timestamps (magic
 * 0xa1b23c4d), snaplen 65535, linktype 1 (Ethernet), written little-endian
 * whatever the host, so identical runs give identical bytes.  Timestamps
 * are SimTime since the start of the run (the capture starts at the epoch).
 *
 * The capture goes to PATH.tmp and is renamed to PATH by a successful
 * pcap_writer_close(), so PATH is never half-written.
 */
#pragma once

#include <glib.h>
#include "sim/time.h"
#include "models/packet.h"

G_BEGIN_DECLS

typedef struct _PcapWriter PcapWriter;

/* Creates PATH.tmp and writes the global header.  Returns NULL with
 * @error set (G_FILE_ERROR) when the file cannot be created. */
PcapWriter *pcap_writer_open  (const char *path, GError **error);
/* Appends one frame carrying @p captured at @t (>= 0).  @p is not kept.
 * The payload must fit an IPv4 datagram (len <= 65495).  Write errors are
 * sticky and reported by pcap_writer_close(). */
void        pcap_writer_add   (PcapWriter *w, SimTime t, const Packet *p);
/* Flushes, closes and renames PATH.tmp to PATH; frees @w either way.  On
 * failure returns FALSE with @error set (G_FILE_ERROR) and removes the
 * temporary file. */
gboolean    pcap_writer_close (PcapWriter *w, GError **error);
/* Closes and removes PATH.tmp, leaving PATH untouched; frees @w.  NULL is
 * fine.  Also the autoptr cleanup, so a writer never closed leaves nothing. */
void        pcap_writer_abort (PcapWriter *w);
/* Frames written so far. */
guint64     pcap_writer_count (const PcapWriter *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcapWriter, pcap_writer_abort)

G_END_DECLS
