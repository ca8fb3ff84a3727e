/**
 * `cidrsubnet` / `cidrhost` for IPv4 (written by hand; a few lines of 32-bit arithmetic).
 * IPv6 prefixes give undefined: the call stays unresolved.
 */
import { EvalError } from './value.js';

function parseV4(prefix: string): { ip: number; bits: number } | undefined {
  const slash = prefix.indexOf('/');
  if (slash < 0) return undefined;
  const octets = prefix.slice(0, slash).split('.');
  const bits = Number(prefix.slice(slash + 1));
  if (octets.length !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  let ip = 0;
  for (const o of octets) {
    if (!/^\d{1,3}$/.test(o) || Number(o) > 255) return undefined;
    ip = ip * 256 + Number(o);
  }
  return { ip, bits };
}

function fmt(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

export function cidrsubnet(prefix: string, newbits: number, netnum: number): string | undefined {
  if (prefix.includes(':')) return undefined;
  const p = parseV4(prefix);
  if (p === undefined) throw new EvalError(`cidrsubnet: invalid prefix ${JSON.stringify(prefix)}`);
  const len = p.bits + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || len > 32) throw new EvalError('cidrsubnet: not enough address space');
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) throw new EvalError('cidrsubnet: netnum out of range');
  const size = 2 ** (32 - p.bits);
  const base = p.ip - (p.ip % size);
  return `${fmt(base + netnum * 2 ** (32 - len))}/${len}`;
}

export function cidrhost(prefix: string, hostnum: number): string | undefined {
  if (prefix.includes(':')) return undefined;
  const p = parseV4(prefix);
  if (p === undefined) throw new EvalError(`cidrhost: invalid prefix ${JSON.stringify(prefix)}`);
  const size = 2 ** (32 - p.bits);
  const n = hostnum < 0 ? size + hostnum : hostnum;
  if (!Number.isInteger(n) || n < 0 || n >= size) throw new EvalError('cidrhost: host number out of range');
  return fmt(p.ip - (p.ip % size) + n);
}
