/**
 * IPv4 addresses, port ranges and "anywhere" sources as cloud firewall rules write them
 * (written by hand: a few lines of 32-bit arithmetic, no library needed). Shared by the Azure
 * and GCP rules. Unparseable input gives undefined, never an exception.
 */

/** A dotted IPv4 address as a 32-bit unsigned number. */
export function ipv4(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const parts = s.trim().split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

const PRIVATE_V4: readonly (readonly [number, number])[] = [
  [ipv4('10.0.0.0')!, ipv4('10.255.255.255')!],
  [ipv4('172.16.0.0')!, ipv4('172.31.255.255')!],
  [ipv4('192.168.0.0')!, ipv4('192.168.255.255')!],
];

/** True when the whole range [start, end] lies inside one RFC 1918 block. */
export function isPrivateRange(start: number, end: number): boolean {
  return PRIVATE_V4.some(([lo, hi]) => start >= lo && end <= hi);
}

/** An address prefix meaning "any address": `0.0.0.0/0`, `::/0`. */
export function isWorldCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const s = v.trim();
  return s === '0.0.0.0/0' || s === '::/0' || s === '0::/0' || s === '::0/0';
}

/**
 * True when a port specification (`22`, `"20-25"`, `"*"`, a number) includes `port`. `"*"`
 * and the empty string match every port; an unparseable specification matches none.
 */
export function portSpecIncludes(spec: unknown, port: number): boolean {
  if (typeof spec === 'number') return spec === port;
  if (typeof spec !== 'string') return false;
  const s = spec.trim();
  if (s === '*') return true;
  const m = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(s);
  if (m !== null) return Number(m[1]) <= port && port <= Number(m[2]);
  return /^\d{1,5}$/.test(s) && Number(s) === port;
}

/** True when a port specification covers every port (`*`, `0-65535`, `1-65535`). */
export function portSpecIsAll(spec: unknown): boolean {
  if (typeof spec !== 'string') return false;
  const s = spec.trim();
  if (s === '*') return true;
  const m = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(s);
  return m !== null && Number(m[1]) <= 1 && Number(m[2]) >= 65535;
}
