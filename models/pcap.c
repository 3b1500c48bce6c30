/* models/pcap.c — classic pcap files of simulated IPv4/TCP segments.
 *
 * Each frame is Ethernet II + IPv4 (RFC 791, no options, DF set, ID from a
 * per-file counter) + TCP (RFC 9293, data offset 5, no options) + zero
 * payload bytes.  Both checksums are computed as the stack would (RFC 1071
 * ones' complement sum; the TCP one over the RFC 9293 §3.1 pseudo-header,
 * header and payload), so checksum verification in Wireshark or
 * `tcpdump -vv` passes.  MAC addresses are 02:00 (locally administered)
 * followed by the host's IPv4 address, so each host keeps one MAC and the
 * made-up addresses are easy to read back.
 *
 * Header fields on the wire are built big-endian by hand; the pcap headers
 * are written little-endian (readers detect the order from the magic).
 * Everything goes through one buffered stdio stream; write errors are
 * sticky in the FILE and surface at close.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "models/pcap.h"

#define PCAP_MAGIC_NS      0xa1b23c4du
#define PCAP_SNAPLEN       65535u
#define PCAP_LINKTYPE_ETH  1u

#define ETH_HEADER_BYTES   14
#define IP_HEADER_BYTES    20
#define TCP_HEADER_BYTES   20
#define HEADERS_BYTES      (ETH_HEADER_BYTES + IP_HEADER_BYTES + TCP_HEADER_BYTES)
/* Largest payload a 16-bit IPv4 total length can carry. */
#define PCAP_MAX_PAYLOAD   (65535 - IP_HEADER_BYTES - TCP_HEADER_BYTES)

static const guint8 pcap_zeros[4096];   /* payload filler */

struct _PcapWriter {
  FILE    *file;
  char    *path;          /* final name */
  char    *tmp_path;      /* path + ".tmp", written until close */
  guint16  ip_id;         /* next IPv4 identification */
  guint64  count;         /* frames written */
};

static void
put_le32 (guint8 *b, guint32 v)
{
  b[0] = v & 0xff;
  b[1] = (v >> 8) & 0xff;
  b[2] = (v >> 16) & 0xff;
  b[3] = (v >> 24) & 0xff;
}

static void
put_le16 (guint8 *b, guint16 v)
{
  b[0] = v & 0xff;
  b[1] = (v >> 8) & 0xff;
}

static void
put_be16 (guint8 *b, guint16 v)
{
  b[0] = (v >> 8) & 0xff;
  b[1] = v & 0xff;
}

static void
put_be32 (guint8 *b, guint32 v)
{
  b[0] = (v >> 24) & 0xff;
  b[1] = (v >> 16) & 0xff;
  b[2] = (v >> 8) & 0xff;
  b[3] = v & 0xff;
}

/* RFC 1071 sum of big-endian 16-bit words, not yet folded or inverted. */
static guint32
pcap_sum (guint32 sum, const guint8 *b, gsize n)
{
  for (gsize i = 0; i + 1 < n; i += 2)
    sum += ((guint32) b[i] << 8) | b[i + 1];
  if (n & 1)
    sum += (guint32) b[n - 1] << 8;
  return sum;
}

static guint16
pcap_fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

static void
pcap_set_file_error (GError **error, int errsv, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               "%s: %s", path, g_strerror (errsv));
}

static void
pcap_writer_destroy (PcapWriter *w)
{
  g_free (w->path);
  g_free (w->tmp_path);
  g_free (w);
}

PcapWriter *
pcap_writer_open (const char *path, GError **error)
{
  PcapWriter *w;
  guint8 hdr[24];

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  w = g_new0 (PcapWriter, 1);
  w->path = g_strdup (path);
  w->tmp_path = g_strconcat (path, ".tmp", NULL);
  w->file = g_fopen (w->tmp_path, "wb");
  if (w->file == NULL)
    {
      pcap_set_file_error (error, errno, w->tmp_path);
      pcap_writer_destroy (w);
      return NULL;
    }
  setvbuf (w->file, NULL, _IOFBF, 1 << 16);

  put_le32 (hdr, PCAP_MAGIC_NS);
  put_le16 (hdr + 4, 2);                  /* version 2.4 */
  put_le16 (hdr + 6, 4);
  put_le32 (hdr + 8, 0);                  /* thiszone: UTC */
  put_le32 (hdr + 12, 0);                 /* sigfigs */
  put_le32 (hdr + 16, PCAP_SNAPLEN);
  put_le32 (hdr + 20, PCAP_LINKTYPE_ETH);
  fwrite (hdr, 1, sizeof hdr, w->file);
  return w;
}

static void
pcap_put_mac (guint8 *b, guint32 ip)
{
  b[0] = 0x02;
  b[1] = 0x00;
  put_be32 (b + 2, ip);
}

void
pcap_writer_add (PcapWriter *w, SimTime t, const Packet *p)
{
  guint8 rec[16], frame[HEADERS_BYTES];
  guint8 *ip = frame + ETH_HEADER_BYTES, *tcp = ip + IP_HEADER_BYTES;
  guint32 frame_len, incl_len, left, sum;
  guint16 tcp_len;

  g_return_if_fail (w != NULL && w->file != NULL);
  g_return_if_fail (p != NULL);
  g_return_if_fail (t >= 0);
  g_return_if_fail (p->len <= PCAP_MAX_PAYLOAD);

  frame_len = HEADERS_BYTES + p->len;
  incl_len = MIN (frame_len, PCAP_SNAPLEN);
  put_le32 (rec, (guint32) (t / SIM_S (1)));
  put_le32 (rec + 4, (guint32) (t % SIM_S (1)));
  put_le32 (rec + 8, incl_len);
  put_le32 (rec + 12, frame_len);

  /* Ethernet II */
  pcap_put_mac (frame, p->key.dst_ip);
  pcap_put_mac (frame + 6, p->key.src_ip);
  put_be16 (frame + 12, 0x0800);

  /* IPv4 */
  ip[0] = 0x45;                           /* version 4, IHL 5 words */
  ip[1] = 0;                              /* DSCP/ECN */
  put_be16 (ip + 2, (guint16) (IP_HEADER_BYTES + TCP_HEADER_BYTES + p->len));
  put_be16 (ip + 4, w->ip_id++);
  put_be16 (ip + 6, 0x4000);              /* DF, as Linux sets for TCP */
  ip[8] = p->ttl;
  ip[9] = 6;                              /* TCP */
  put_be16 (ip + 10, 0);
  put_be32 (ip + 12, p->key.src_ip);
  put_be32 (ip + 16, p->key.dst_ip);
  put_be16 (ip + 10, pcap_fold (pcap_sum (0, ip, IP_HEADER_BYTES)));

  /* TCP */
  put_be16 (tcp, p->key.src_port);
  put_be16 (tcp + 2, p->key.dst_port);
  put_be32 (tcp + 4, p->seq);
  put_be32 (tcp + 8, p->ack);
  tcp[12] = (TCP_HEADER_BYTES / 4) << 4;  /* data offset, no options */
  tcp[13] = p->flags;
  /* A model that does not track windows leaves 0; show an open window
   * rather than a zero-window stall that never happened. */
  put_be16 (tcp + 14, p->window != 0 ? p->window : 65535);
  put_be16 (tcp + 16, 0);
  put_be16 (tcp + 18, 0);                 /* urgent pointer */

  /* Pseudo-header (src, dst, zero, protocol, TCP length), then the header;
   * the payload is all zeros and adds nothing to the sum, but its length
   * is in tcp_len. */
  tcp_len = (guint16) (TCP_HEADER_BYTES + p->len);
  sum = pcap_sum (0, ip + 12, 8);
  sum += 6;
  sum += tcp_len;
  sum = pcap_sum (sum, tcp, TCP_HEADER_BYTES);
  put_be16 (tcp + 16, pcap_fold (sum));

  fwrite (rec, 1, sizeof rec, w->file);
  fwrite (frame, 1, MIN (incl_len, sizeof frame), w->file);
  /* Payload bytes within the snaplen. */
  left = incl_len > sizeof frame ? incl_len - (guint32) sizeof frame : 0;
  while (left > 0)
    {
      guint32 n = MIN (left, (guint32) sizeof pcap_zeros);

      fwrite (pcap_zeros, 1, n, w->file);
      left -= n;
    }
  w->count++;
}

gboolean
pcap_writer_close (PcapWriter *w, GError **error)
{
  int errsv = 0;
  const char *failed = NULL;

  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  errno = 0;
  if (fflush (w->file) != 0 || ferror (w->file))
    {
      errsv = errno != 0 ? errno : EIO;
      failed = w->tmp_path;
    }
  if (fclose (w->file) != 0 && failed == NULL)
    {
      errsv = errno;
      failed = w->tmp_path;
    }
  w->file = NULL;
  if (failed == NULL && g_rename (w->tmp_path, w->path) != 0)
    {
      errsv = errno;
      failed = w->path;
    }
  if (failed != NULL)
    {
      pcap_set_file_error (error, errsv, failed);
      g_remove (w->tmp_path);
      pcap_writer_destroy (w);
      return FALSE;
    }
  pcap_writer_destroy (w);
  return TRUE;
}

void
pcap_writer_abort (PcapWriter *w)
{
  if (w == NULL)
    return;
  if (w->file != NULL)
    fclose (w->file);
  g_remove (w->tmp_path);
  pcap_writer_destroy (w);
}

guint64
pcap_writer_count (const PcapWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->count;
}
