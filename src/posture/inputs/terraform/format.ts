/**
 * Terraform's `format()` verbs (written by hand): %% %s %d %v %t %q %f %e %g %x %o %b %#v with
 * optional flags, width and precision. Explicit argument indexes (`%[2]s`) are not evaluated:
 * the call stays unresolved.
 */
import { asBool, asNumber, asString, EvalError, fmtNumber, jsonEncode, str, type Val } from './value.js';

function pad(s: string, width: number, left: boolean, zero: boolean): string {
  if (s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const neg = s.startsWith('-');
    return (neg ? '-' : '') + '0'.repeat(width - s.length) + (neg ? s.slice(1) : s);
  }
  return ' '.repeat(width - s.length) + s;
}

export function formatString(spec: string, args: readonly Val[]): string | undefined {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    if (spec[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    let flags = '';
    while (i < spec.length && '-+# 0'.includes(spec[i]!)) flags += spec[i++];
    if (spec[i] === '[') return undefined;
    let width = '';
    while (i < spec.length && spec[i]! >= '0' && spec[i]! <= '9' && width.length < 4) width += spec[i++];
    let prec: number | undefined;
    if (spec[i] === '.') {
      i++;
      let p = '';
      while (i < spec.length && spec[i]! >= '0' && spec[i]! <= '9' && p.length < 3) p += spec[i++];
      prec = Number(p || '0');
    }
    const verb = spec[i++];
    if (verb === undefined) throw new EvalError('format: incomplete verb');
    if (next >= args.length) throw new EvalError('format: not enough arguments');
    const arg = args[next++]!;
    let s: string;
    switch (verb) {
      case 's':
        s = asString(arg);
        if (prec !== undefined) s = [...s].slice(0, prec).join('');
        break;
      case 'q':
        s = JSON.stringify(asString(arg));
        break;
      case 'v':
        s = flags.includes('#') || (typeof arg === 'object' && arg !== null) ? jsonEncode(arg).text : asString(arg);
        break;
      case 't':
        s = asBool(arg) ? 'true' : 'false';
        break;
      case 'd': {
        const n = asNumber(arg);
        if (!Number.isInteger(n)) throw new EvalError('format: %d needs an integer');
        s = (flags.includes('+') && n >= 0 ? '+' : '') + fmtNumber(n);
        break;
      }
      case 'f':
        s = asNumber(arg).toFixed(prec ?? 6);
        break;
      case 'e':
        s = asNumber(arg).toExponential(prec ?? 6);
        break;
      case 'g':
        s = String(asNumber(arg));
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const n = asNumber(arg);
        if (!Number.isInteger(n)) throw new EvalError(`format: %${verb} needs an integer`);
        s = n.toString(verb === 'o' ? 8 : verb === 'b' ? 2 : 16);
        if (verb === 'X') s = s.toUpperCase();
        break;
      }
      default:
        return undefined;
    }
    out += pad(s, Number(width || '0'), flags.includes('-'), flags.includes('0'));
    str(out);
  }
  return out;
}
