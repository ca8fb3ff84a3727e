/**
 * Finding Service references in configuration text (pure, linear, no regex over untrusted
 * text): host names in env values, arguments and ConfigMap data (`redis-cart:6379`,
 * `http://api.shop.svc.cluster.local:8080/v1`, `postgres://u:p@db:5432/app`), and the
 * variables Kubernetes injects for Services (`$(REDIS_MASTER_SERVICE_HOST)`).
 * Written by hand: URL parsers reject `host:port` without a scheme and most of these strings
 * are not URLs.
 */

export interface HostRef {
  /** Lower-cased host name, without a trailing dot. */
  readonly host: string;
  readonly port?: number | undefined;
  /** Written with a scheme (`http://…`). */
  readonly scheme: boolean;
  /** Whether the string gave more than a bare word: a scheme, a port, or the whole value. */
  readonly explicit: boolean;
}

/** Longest text looked at per value (ConfigMap files can be large). */
export const MAX_SCAN_CHARS = 64 * 1024;

const SEPARATORS = new Set([' ', '\t', '\n', '\r', ',', ';', '"', "'", '`', '(', ')', '[', ']', '{', '}', '<', '>', '|', '=', '\\']);

function validLabel(l: string): boolean {
  if (l.length === 0 || l.length > 63) return false;
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!alnum && !(c === 0x2d && i > 0 && i < l.length - 1)) return false;
  }
  return true;
}

/** A DNS name of valid labels (lower-cased), or undefined. */
export function dnsName(s: string): string | undefined {
  const h = s.toLowerCase().replace(/\.$/, '');
  if (h.length === 0 || h.length > 253) return undefined;
  return h.split('.').every(validLabel) ? h : undefined;
}

/** Host references in one configuration value. */
export function hostRefs(value: string): HostRef[] {
  const text = value.length > MAX_SCAN_CHARS ? value.slice(0, MAX_SCAN_CHARS) : value;
  const whole = text.trim();
  const out: HostRef[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !SEPARATORS.has(text[i]!)) continue;
    if (i > start) {
      const ref = tokenRef(text.slice(start, i), text.slice(start, i) === whole);
      if (ref !== undefined) out.push(ref);
    }
    start = i + 1;
  }
  return out;
}

function tokenRef(token: string, isWhole: boolean): HostRef | undefined {
  let t = token;
  let scheme = false;
  const sep = t.indexOf('://');
  if (sep >= 0) {
    t = t.slice(sep + 3);
    scheme = true;
  }
  let end = t.length;
  for (const c of ['/', '?', '#']) {
    const at = t.indexOf(c);
    if (at >= 0 && at < end) end = at;
  }
  let authority = t.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) return undefined;
  let port: number | undefined;
  const colon = authority.lastIndexOf(':');
  if (colon >= 0) {
    const p = authority.slice(colon + 1);
    if (p.length === 0 || p.length > 5 || ![...p].every((c) => c >= '0' && c <= '9')) return undefined;
    port = Number(p);
    if (port < 1 || port > 65535) return undefined;
    authority = authority.slice(0, colon);
  }
  const host = dnsName(authority);
  if (host === undefined || /^[0-9.]+$/.test(host)) return undefined;
  return { host, port, scheme, explicit: scheme || port !== undefined || isWhole };
}

/** Service names from `FOO_BAR_SERVICE_HOST` / `_SERVICE_PORT` variable references (`foo-bar`). */
export function serviceEnvRefs(value: string): string[] {
  const text = value.length > MAX_SCAN_CHARS ? value.slice(0, MAX_SCAN_CHARS) : value;
  const out: string[] = [];
  for (const marker of ['_SERVICE_HOST', '_SERVICE_PORT']) {
    for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length)) {
      // A Service name is at most 63 characters: look back no further (keeps this linear).
      let s = at;
      while (s > 0 && at - s < 64 && isEnvChar(text.charCodeAt(s - 1))) s--;
      if (s > 0 && isEnvChar(text.charCodeAt(s - 1))) continue;
      const name = text.slice(s, at);
      if (name.length > 0 && name !== 'KUBERNETES') out.push(name.toLowerCase().replaceAll('_', '-'));
    }
  }
  return out;
}

function isEnvChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}
