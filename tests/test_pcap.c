/* tests/test_pcap.c — the pcap writer, checked by reading its bytes back.
 *
 * A short flow (handshake, a keep-alive probe with seq = snd_una - 1 and no
 * data, a 100-byte segment) is written, then parsed here: global header,
 * record lengths and timestamps, and both checksums verified the way a
 * receiver does (the ones' complement sum over the IPv4 header, and over
 * the TCP pseudo-header plus segment, must be 0xffff).  When tcpdump is
 * installed it must read the file without complaint and find every TCP
 * checksum correct.  Files live in a fresh temporary directory.
 */
#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "models/packet.h"
#include "models/pcap.h"

#define IP(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))

#define CLIENT IP (10, 0, 0, 2)
#define SERVER IP (198, 51, 100, 1)

typedef struct {
  SimTime t;
  guint8  flags;
  gboolean to_server;
  guint32 seq, ack, len;
} Seg;

/* Client ISS 1000, server ISS 5000; the probe re-sends snd_una - 1. */
static const Seg flow[] = {
  { 0,                           TCP_SYN,           TRUE,  1000, 0,    0   },
  { SIM_MS (10),                 TCP_SYN | TCP_ACK, FALSE, 5000, 1001, 0   },
  { SIM_MS (20),                 TCP_ACK,           TRUE,  1001, 5001, 0   },
  { SIM_S (7200) + SIM_MS (20),  TCP_ACK,           TRUE,  1000, 5001, 0   },
  { SIM_S (7200) + 123456789,    TCP_PSH | TCP_ACK, TRUE,  1001, 5001, 100 },
};

static guint32
get_le32 (const guint8 *b)
{
  return b[0] | (b[1] << 8) | (b[2] << 16) | ((guint32) b[3] << 24);
}

static guint16
get_be16 (const guint8 *b)
{
  return (guint16) ((b[0] << 8) | b[1]);
}

static guint32
get_be32 (const guint8 *b)
{
  return ((guint32) b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
}

/* Folded ones' complement sum (not inverted): 0xffff means "valid". */
static guint16
ones_sum (guint32 sum, const guint8 *b, gsize n)
{
  for (gsize i = 0; i < n; i++)
    sum += (i % 2 == 0) ? (guint32) b[i] << 8 : b[i];
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) sum;
}

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("natkeep-pcap-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_tmpdir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

static char *
write_flow (const char *dir)
{
  g_autoptr(GError) error = NULL;
  PacketPool *pool = packet_pool_new ();
  char *path = g_build_filename (dir, "flow.pcap", NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  PcapWriter *w = pcap_writer_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (w);
  for (gsize i = 0; i < G_N_ELEMENTS (flow); i++)
    {
      const Seg *s = &flow[i];
      Packet *p = packet_new (pool);

      p->key = (FlowKey) { CLIENT, SERVER, 40000, 443 };
      if (!s->to_server)
        p->key = flow_key_reverse (p->key);
      p->flags = s->flags;
      p->seq = s->seq;
      p->ack = s->ack;
      p->len = s->len;
      p->window = i == 1 ? 64240 : 0;
      pcap_writer_add (w, s->t, p);
      packet_free (pool, p);
    }
  g_assert_cmpuint (pcap_writer_count (w), ==, G_N_ELEMENTS (flow));

  /* Nothing at the final name until close. */
  g_assert_true (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (pcap_writer_close (w, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  packet_pool_free (pool);
  return path;
}

static void
test_write_and_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = write_flow (dir);
  g_autofree char *raw = NULL;
  const guint8 *b, *end;
  gsize size;

  g_assert_true (g_file_get_contents (path, &raw, &size, &error));
  g_assert_no_error (error);
  b = (const guint8 *) raw;
  end = b + size;

  g_assert_cmpuint (size, >=, 24);
  g_assert_cmpuint (get_le32 (b), ==, 0xa1b23c4d);     /* ns resolution */
  g_assert_cmpuint (b[4] | (b[5] << 8), ==, 2);
  g_assert_cmpuint (b[6] | (b[7] << 8), ==, 4);
  g_assert_cmpuint (get_le32 (b + 16), ==, 65535);
  g_assert_cmpuint (get_le32 (b + 20), ==, 1);         /* Ethernet */
  b += 24;

  for (gsize i = 0; i < G_N_ELEMENTS (flow); i++)
    {
      const Seg *s = &flow[i];
      const guint8 *eth, *ip, *tcp;
      guint32 incl, orig, tcp_len, sum;

      g_assert_cmpint (end - b, >=, 16);
      g_assert_cmpuint (get_le32 (b), ==, s->t / SIM_S (1));
      g_assert_cmpuint (get_le32 (b + 4), ==, s->t % SIM_S (1));
      incl = get_le32 (b + 8);
      orig = get_le32 (b + 12);
      g_assert_cmpuint (orig, ==, 14 + 20 + 20 + s->len);
      g_assert_cmpuint (incl, ==, orig);
      b += 16;
      g_assert_cmpint (end - b, >=, (gssize) incl);
      eth = b;
      ip = eth + 14;
      tcp = ip + 20;

      g_assert_cmpuint (get_be16 (eth + 12), ==, 0x0800);
      g_assert_cmpuint (ip[0], ==, 0x45);
      g_assert_cmpuint (get_be16 (ip + 2), ==, 40 + s->len);
      g_assert_cmpuint (get_be16 (ip + 4), ==, i);       /* per-file ID */
      g_assert_cmpuint (get_be16 (ip + 6), ==, 0x4000);  /* DF */
      g_assert_cmpuint (ip[8], ==, 64);
      g_assert_cmpuint (ip[9], ==, 6);
      g_assert_cmpuint (get_be32 (ip + 12), ==, s->to_server ? CLIENT : SERVER);
      g_assert_cmpuint (get_be32 (ip + 16), ==, s->to_server ? SERVER : CLIENT);
      g_assert_cmpuint (ones_sum (0, ip, 20), ==, 0xffff);

      g_assert_cmpuint (get_be16 (tcp), ==, s->to_server ? 40000 : 443);
      g_assert_cmpuint (get_be16 (tcp + 2), ==, s->to_server ? 443 : 40000);
      g_assert_cmpuint (get_be32 (tcp + 4), ==, s->seq);
      g_assert_cmpuint (get_be32 (tcp + 8), ==, s->ack);
      g_assert_cmpuint (tcp[12], ==, 5 << 4);
      g_assert_cmpuint (tcp[13], ==, s->flags);
      g_assert_cmpuint (get_be16 (tcp + 14), ==, i == 1 ? 64240 : 65535);
      g_assert_cmpuint (get_be16 (tcp + 18), ==, 0);

      /* Pseudo-header + TCP header + payload, as the receiver checks. */
      tcp_len = 20 + s->len;
      sum = get_be16 (ip + 12) + get_be16 (ip + 14)
          + get_be16 (ip + 16) + get_be16 (ip + 18) + 6 + tcp_len;
      g_assert_cmpuint (ones_sum (sum, tcp, tcp_len), ==, 0xffff);
      for (guint32 k = 0; k < s->len; k++)
        g_assert_cmpuint (tcp[20 + k], ==, 0);

      b += incl;
    }
  g_assert_true (b == end);
  rm_tmpdir (dir);
}

static void
test_tcpdump (void)
{
  g_autofree char *tcpdump = g_find_program_in_path ("tcpdump");
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *vout = NULL, *verr = NULL;
  g_autoptr(GError) error = NULL;
  const char *p;
  int status, correct = 0;

  if (tcpdump == NULL)
    {
      g_test_skip ("tcpdump not found in PATH");
      return;
    }
  dir = make_tmpdir ();
  path = write_flow (dir);

  {
    const char *argv[] = { tcpdump, "-nn", "-r", path, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
                                 NULL, NULL, &out, &err, &status, &error));
  }
  g_assert_no_error (error);
  g_test_message ("tcpdump -nn:\n%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "10.0.0.2.40000 > 198.51.100.1.443"));
  g_assert_nonnull (strstr (out, "198.51.100.1.443 > 10.0.0.2.40000"));
  g_assert_nonnull (strstr (out, "length 0"));
  g_assert_nonnull (strstr (out, "length 100"));
  g_assert_null (strstr (out, "bad cksum"));
  g_assert_null (strstr (out, "truncated"));
  g_assert_null (strstr (out, "[|"));
  g_assert_null (strstr (err, "truncated"));

  /* -vv makes tcpdump verify every TCP checksum. */
  {
    const char *argv[] = { tcpdump, "-nn", "-vv", "-r", path, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT,
                                 NULL, NULL, &vout, &verr, &status, &error));
  }
  g_assert_no_error (error);
  g_test_message ("tcpdump -nn -vv:\n%s", vout);
  g_assert_null (strstr (vout, "incorrect"));
  g_assert_null (strstr (vout, "bad cksum"));
  for (p = vout; (p = strstr (p, "(correct)")) != NULL; p++)
    correct++;
  g_assert_cmpint (correct, ==, G_N_ELEMENTS (flow));

  rm_tmpdir (dir);
}

/* A frame longer than the snaplen keeps its true length and is cut. */
static void
test_snaplen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.pcap", NULL);
  g_autofree char *raw = NULL;
  PacketPool *pool = packet_pool_new ();
  Packet *p = packet_new (pool);
  PcapWriter *w;
  gsize size;

  w = pcap_writer_open (path, &error);
  g_assert_no_error (error);
  p->key = (FlowKey) { CLIENT, SERVER, 40000, 443 };
  p->flags = TCP_ACK;
  p->len = 65495;                               /* largest IPv4 datagram */
  pcap_writer_add (w, SIM_MS (1), p);
  g_assert_true (pcap_writer_close (w, &error));
  g_assert_true (g_file_get_contents (path, &raw, &size, &error));
  g_assert_cmpuint (size, ==, 24 + 16 + 65535);
  g_assert_cmpuint (get_le32 ((guint8 *) raw + 24 + 8), ==, 65535);
  g_assert_cmpuint (get_le32 ((guint8 *) raw + 24 + 12), ==, 14 + 40 + 65495);
  g_assert_cmpuint (get_be16 ((guint8 *) raw + 24 + 16 + 14 + 2), ==, 65535);
  packet_free (pool, p);
  packet_pool_free (pool);
  rm_tmpdir (dir);
}

/* Abort and failures leave no file behind, at either name. */
static void
test_atomic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "x.pcap", NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *bad = g_build_filename (dir, "no-such-dir", "x.pcap", NULL);
  PcapWriter *w;

  w = pcap_writer_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (tmp, G_FILE_TEST_EXISTS));
  pcap_writer_abort (w);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  pcap_writer_abort (NULL);

  {
    g_autoptr(PcapWriter) auto_w = pcap_writer_open (path, &error);
    g_assert_no_error (error);
    g_assert_nonnull (auto_w);
  }
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));

  w = pcap_writer_open (bad, &error);
  g_assert_null (w);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  rm_tmpdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pcap/write-and-verify", test_write_and_verify);
  g_test_add_func ("/pcap/tcpdump", test_tcpdump);
  g_test_add_func ("/pcap/snaplen", test_snaplen);
  g_test_add_func ("/pcap/atomic", test_atomic);

  return g_test_run ();
}
