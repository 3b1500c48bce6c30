/* models/nat_ports.c — which public address and port a new entry gets.
 *
 * Uniqueness is conntrack's (nf_nat_used_tuple): a public port is taken
 * only for the full reply tuple (remote ip, remote port, public ip, public
 * port), so one public port serves any number of remote ends, and it is
 * free again the instant its entry expires (S21, S22: a stale entry found
 * in the way is reaped first, or counted as gone by the read-only oracle).
 *
 * napt: the public address is paired (RFC 4787 REQ-2): inside host h
 *   always uses public_ip + h mod public_ips, like Linux SNAT hashing the
 *   source address; each address has its own port pool [port_lo, port_hi].
 *   preserve: the inside port if it lies in the pool and is free, else a
 *   random one (nf_nat_l4proto_unique_tuple starts at a random offset);
 *   sequential: the next free port after the last one handed out on that
 *   address, wrapping; random: uniform draws from the box RNG, a new port
 *   for every entry (S19: masquerade random = fully-random).  After
 *   NAT_PORT_ATTEMPTS clashing draws the pool is scanned from a random
 *   offset, so a port is found whenever one is free; Linux halves its
 *   attempts instead and may fail with a few ports left (not modelled).
 *   Ports a port forward publishes are never handed out.  A count of the
 *   ports in use per (public address, remote end) answers "pool full" at
 *   once, so more flows than ports cost O(1) per refused SYN, not a scan.
 *   Below full, a scan costs about range / free ports.
 * dynamic: one pool address per inside host while the host has entries
 *   (lowest free address first), ports kept.
 * static: inside_base + i <-> public_ip + i, ports kept.
 * none: no translation.
 */
#include "config.h"

#include <glib.h>

#include "models/nat_private.h"

void
nat_ports_init (NatBox *nat)
{
  guint32 n = MAX (nat->cfg.public_ips, 1);

  nat->last_port = g_new (guint16, n);
  if (nat->cfg.mode == NAT_MODE_NAPT)
    nat->remotes = g_hash_table_new_full (flow_key_hash, flow_key_equal, g_free, NULL);
  if (nat->cfg.mode == NAT_MODE_DYNAMIC)
    {
      nat->host_slot = g_hash_table_new (g_direct_hash, g_direct_equal);
      nat->slot_refs = g_new0 (guint32, n);
    }
  nat_ports_reset (nat);
}

void
nat_ports_clear (NatBox *nat)
{
  g_clear_pointer (&nat->last_port, g_free);
  g_clear_pointer (&nat->slot_refs, g_free);
  g_clear_pointer (&nat->host_slot, g_hash_table_unref);
  g_clear_pointer (&nat->remotes, g_hash_table_unref);
}

/* Sequential allocation starts at port_lo (the "last" one is port_hi). */
void
nat_ports_reset (NatBox *nat)
{
  for (guint32 i = 0; i < MAX (nat->cfg.public_ips, 1); i++)
    nat->last_port[i] = nat->cfg.port_hi;
}

static gboolean
nat_port_forwarded (const NatBox *nat, guint32 ip, guint16 port)
{
  for (guint i = 0; i < nat->cfg.n_forwards; i++)
    if (nat->cfg.forwards[i].public_ip == ip && nat->cfg.forwards[i].public_port == port)
      return TRUE;
  return FALSE;
}

/* Is the reply tuple (remote of @inside -> ip:port) free now?  With
 * @commit a due entry in the way is acted on (and usually reaped); without,
 * only the expiry predicate is asked. */
static gboolean
nat_tuple_free (NatBox *nat, const FlowKey *inside, guint32 ip, guint16 port,
                gboolean commit)
{
  FlowKey r = { inside->dst_ip, ip, inside->dst_port, port };
  NatEntry *e;

  if (nat->cfg.mode == NAT_MODE_NAPT && nat_port_forwarded (nat, ip, port))
    return FALSE;
  e = nat_peek_reply (nat, &r);
  if (e == NULL)
    return TRUE;
  if (commit)
    return nat_find_reply (nat, &r) == NULL;
  return nat_entry_gone_at (nat, e, sim_now (nat->sim));
}

static gboolean
nat_port_random (NatBox *nat, SimRng *rng, const FlowKey *inside, guint32 ip,
                 gboolean commit, guint16 *port)
{
  guint32 lo = nat->cfg.port_lo, range = (guint32) nat->cfg.port_hi - lo + 1;
  guint32 attempts = MIN (range, NAT_PORT_ATTEMPTS), off;

  for (guint32 i = 0; i < attempts; i++)
    {
      guint16 cand = (guint16) (lo + sim_rng_below (rng, range));
      if (nat_tuple_free (nat, inside, ip, cand, commit))
        {
          *port = cand;
          return TRUE;
        }
    }
  off = (guint32) sim_rng_below (rng, range);
  for (guint32 i = 0; i < range; i++)
    {
      guint16 cand = (guint16) (lo + (off + i) % range);
      if (nat_tuple_free (nat, inside, ip, cand, commit))
        {
          *port = cand;
          return TRUE;
        }
    }
  return FALSE;
}

/* Entries towards @rk that are due now and would go if looked up: still
 * counted in NatRemote.used, already free for S21/S22.  Costs O(lists +
 * entries due now), usually O(lists). */
static guint32
nat_remote_stale (const NatBox *nat, const FlowKey *rk)
{
  SimTime now = sim_now (nat->sim);
  guint32 n = 0;

  for (guint i = 0; i < nat->n_lists; i++)
    for (const NatEntry *e = nat_entry_or_null (nat, nat->lists[i].head);
         e != NULL && nat_entry_due (nat, e) <= now;
         e = nat_entry_or_null (nat, e->next))
      if (!(e->bits & NAT_E_INIT_IN) && e->reply.src_ip == rk->src_ip
          && e->reply.src_port == rk->src_port && e->reply.dst_ip == rk->dst_ip
          && nat_entry_gone_at (nat, e, now))
        n++;
  return n;
}

/* Whether every pool port of @ip is taken towards @inside's remote end:
 * the pool minus the ports forwards publish there, against the live
 * entries holding one. */
static gboolean
nat_pool_full (const NatBox *nat, const FlowKey *inside, guint32 ip)
{
  FlowKey rk = { inside->dst_ip, ip, inside->dst_port, 0 };
  const NatRemote *r = g_hash_table_lookup (nat->remotes, &rk);
  guint32 cap = (guint32) nat->cfg.port_hi - nat->cfg.port_lo + 1;

  if (r == NULL)
    return FALSE;
  for (guint i = 0; i < nat->cfg.n_forwards; i++)
    if (nat->cfg.forwards[i].public_ip == ip
        && nat->cfg.forwards[i].public_port >= nat->cfg.port_lo
        && nat->cfg.forwards[i].public_port <= nat->cfg.port_hi && cap > 0)
      cap--;
  return r->used >= cap && r->used - nat_remote_stale (nat, &rk) >= cap;
}

static gboolean
nat_port_napt (NatBox *nat, const FlowKey *inside, guint32 slot, gboolean commit,
               guint16 *port)
{
  guint32 ip = nat->cfg.public_ip + slot;
  guint32 lo = nat->cfg.port_lo, range = (guint32) nat->cfg.port_hi - lo + 1;
  /* The oracle draws from a copy, so asking changes no later draw. */
  SimRng scratch = nat->rng;
  SimRng *rng = commit ? &nat->rng : &scratch;
  guint16 p = inside->src_port;

  /* Exhaustion is the common failure (one server, more flows than ports):
   * answer it without trying every port. */
  if (nat_pool_full (nat, inside, ip))
    return FALSE;

  switch (nat->cfg.port_mode)
    {
    case NAT_PORT_PRESERVE:
      if (p >= nat->cfg.port_lo && p <= nat->cfg.port_hi
          && nat_tuple_free (nat, inside, ip, p, commit))
        {
          *port = p;
          return TRUE;
        }
      return nat_port_random (nat, rng, inside, ip, commit, port);

    case NAT_PORT_SEQUENTIAL:
      for (guint32 i = 1; i <= range; i++)
        {
          guint16 cand = (guint16) (lo + (nat->last_port[slot] - lo + i) % range);
          if (nat_tuple_free (nat, inside, ip, cand, commit))
            {
              if (commit)
                nat->last_port[slot] = cand;
              *port = cand;
              return TRUE;
            }
        }
      return FALSE;

    case NAT_PORT_RANDOM:
    default:
      return nat_port_random (nat, rng, inside, ip, commit, port);
    }
}

/* Dynamic mode: the slot @ip holds, or the lowest free one. */
static gboolean
nat_dynamic_slot (const NatBox *nat, guint32 ip, guint32 *slot)
{
  gpointer v;

  if (g_hash_table_lookup_extended (nat->host_slot, GUINT_TO_POINTER (ip), NULL, &v))
    {
      *slot = GPOINTER_TO_UINT (v);
      return TRUE;
    }
  for (guint32 i = nat->slot_lo_free; i < nat->cfg.public_ips; i++)
    if (nat->slot_refs[i] == 0)
      {
        *slot = i;
        return TRUE;
      }
  return FALSE;
}

/* The public ip:port a new entry for @inside gets now, FALSE if none (no
 * free port, no pool address, no static address).  @commit FALSE: the
 * read-only oracle (no reaping, no allocator or RNG state moves). */
gboolean
nat_ports_choose (NatBox *nat, const FlowKey *inside, gboolean commit,
                  guint32 *ip, guint16 *port)
{
  guint32 slot;

  switch (nat->cfg.mode)
    {
    case NAT_MODE_NONE:
      *ip = inside->src_ip;
      *port = inside->src_port;
      return nat_tuple_free (nat, inside, *ip, *port, commit);

    case NAT_MODE_STATIC:
      if (inside->src_ip < nat->cfg.inside_base
          || inside->src_ip - nat->cfg.inside_base >= nat->cfg.public_ips)
        return FALSE;
      *ip = nat->cfg.public_ip + (inside->src_ip - nat->cfg.inside_base);
      *port = inside->src_port;
      return nat_tuple_free (nat, inside, *ip, *port, commit);

    case NAT_MODE_DYNAMIC:
      if (!nat_dynamic_slot (nat, inside->src_ip, &slot))
        return FALSE;
      *ip = nat->cfg.public_ip + slot;
      *port = inside->src_port;
      return nat_tuple_free (nat, inside, *ip, *port, commit);

    case NAT_MODE_NAPT:
    default:
      slot = inside->src_ip % nat->cfg.public_ips;
      *ip = nat->cfg.public_ip + slot;
      return nat_port_napt (nat, inside, slot, commit, port);
    }
}

/* A new entry holds a port towards its remote end (NAPT) or its host's
 * pool address (dynamic).  A port forward's entry uses the forward's own
 * address and port, not the pool. */
void
nat_ports_hold (NatBox *nat, const NatEntry *e)
{
  guint32 slot;

  if (e->bits & NAT_E_INIT_IN)
    return;
  if (nat->cfg.mode == NAT_MODE_NAPT)
    {
      FlowKey rk = { e->reply.src_ip, e->reply.dst_ip, e->reply.src_port, 0 };
      NatRemote *r = g_hash_table_lookup (nat->remotes, &rk);

      if (r == NULL)
        {
          r = g_new (NatRemote, 1);
          *r = (NatRemote) { rk, 0 };
          g_hash_table_add (nat->remotes, r);
        }
      r->used++;
      return;
    }
  if (nat->cfg.mode != NAT_MODE_DYNAMIC)
    return;
  slot = e->reply.dst_ip - nat->cfg.public_ip;
  g_assert (slot < nat->cfg.public_ips);
  if (nat->slot_refs[slot]++ == 0)
    {
      g_hash_table_insert (nat->host_slot, GUINT_TO_POINTER (e->inside.src_ip),
                           GUINT_TO_POINTER (slot));
      if (slot == nat->slot_lo_free)
        while (nat->slot_lo_free < nat->cfg.public_ips
               && nat->slot_refs[nat->slot_lo_free] > 0)
          nat->slot_lo_free++;
    }
}

/* Undoes nat_ports_hold: the port count drops (NAPT); the host's last
 * entry gone, its address returns to the pool (dynamic). */
void
nat_ports_release (NatBox *nat, const NatEntry *e)
{
  guint32 slot;

  if (e->bits & NAT_E_INIT_IN)
    return;
  if (nat->cfg.mode == NAT_MODE_NAPT)
    {
      FlowKey rk = { e->reply.src_ip, e->reply.dst_ip, e->reply.src_port, 0 };
      NatRemote *r = g_hash_table_lookup (nat->remotes, &rk);

      g_assert (r != NULL && r->used > 0);
      if (--r->used == 0)
        g_hash_table_remove (nat->remotes, r);
      return;
    }
  if (nat->cfg.mode != NAT_MODE_DYNAMIC)
    return;
  slot = e->reply.dst_ip - nat->cfg.public_ip;
  g_assert (slot < nat->cfg.public_ips && nat->slot_refs[slot] > 0);
  if (--nat->slot_refs[slot] == 0)
    {
      g_hash_table_remove (nat->host_slot, GUINT_TO_POINTER (e->inside.src_ip));
      nat->slot_lo_free = MIN (nat->slot_lo_free, slot);
    }
}
