/**
 * App Service language runtimes past their end of life (CIS Azure 2.1 sections 9.5–9.7 ask for
 * the latest PHP, Python and Java): one rule per language from a table of the oldest release
 * line each project still supports (as of 2026-11; update the table when a line reaches its end
 * of life). The version is read from the site configuration: `phpVersion` / `pythonVersion` /
 * `javaVersion` on Windows, `linuxFxVersion` (`PHP|8.3`, `PYTHON|3.12`, `JAVA|17-java17`,
 * `TOMCAT|10.1-java21`) on Linux. Version strings are parsed by hand: two numbers at most,
 * with a linear, anchored pattern.
 */
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, needs } from '../../shared/live.js';
import { arm, AZ, low, props } from './lib.js';

type Version = readonly [number, number];

/** `8.2`, `3.11`, `1.8`, `17`: major and minor; undefined for anything else. */
function version(s: string): Version | undefined {
  const m = /^(\d{1,4})(?:\.(\d{1,4}))?/.exec(s.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

const older = (a: Version, b: Version): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

interface Runtime {
  readonly id: string;
  readonly cis: string;
  readonly language: string;
  /** The Windows site config key. */
  readonly windowsKey: string;
  /** linuxFxVersion stacks that run this language. */
  readonly stacks: readonly string[];
  /** The oldest supported release line. */
  readonly oldest: Version;
  /** Normalises a parsed version (Java `1.8` is 8). */
  readonly normalise?: (v: Version) => Version;
  /** The version inside a Linux stack value (`17-java17`, `10.1-java21`). */
  readonly linuxVersion?: (stack: string, rest: string) => string;
  readonly example: { readonly old: string; readonly current: string };
}

const javaOf = (stack: string, rest: string): string => {
  if (stack === 'java') return rest;
  const i = rest.toLowerCase().indexOf('-java');
  return i >= 0 ? rest.slice(i + 5) : '';
};

const RUNTIMES: readonly Runtime[] = [
  { id: 'VGL-AZURE-152', cis: '9.5', language: 'PHP', windowsKey: 'phpVersion', stacks: ['php'], oldest: [8, 2], example: { old: 'PHP|7.4', current: 'PHP|8.3' } },
  { id: 'VGL-AZURE-153', cis: '9.6', language: 'Python', windowsKey: 'pythonVersion', stacks: ['python'], oldest: [3, 10], example: { old: 'PYTHON|3.8', current: 'PYTHON|3.12' } },
  {
    id: 'VGL-AZURE-154',
    cis: '9.7',
    language: 'Java',
    windowsKey: 'javaVersion',
    stacks: ['java', 'tomcat', 'jbosseap'],
    oldest: [8, 0],
    normalise: (v) => (v[0] === 1 ? [v[1], 0] : v),
    linuxVersion: javaOf,
    example: { old: 'TOMCAT|8.5-java7', current: 'JAVA|21-java21' },
  },
];

/** The runtime version an app declares, with where it was read. */
function declared(config: Record<string, unknown>, rt: Runtime): { value: string; key: string; version: Version } | undefined {
  const win = config[rt.windowsKey];
  if (typeof win === 'string' && win.trim() !== '' && low(win) !== 'off') {
    const v = version(win);
    if (v) return { value: win, key: rt.windowsKey, version: rt.normalise ? rt.normalise(v) : v };
  }
  const fx = config['linuxFxVersion'];
  if (typeof fx !== 'string' || fx.length > 200) return undefined;
  const bar = fx.indexOf('|');
  if (bar < 0) return undefined;
  const stack = fx.slice(0, bar).trim().toLowerCase();
  if (!rt.stacks.includes(stack)) return undefined;
  const rest = fx.slice(bar + 1);
  const v = version(rt.linuxVersion ? rt.linuxVersion(stack, rest) : rest);
  return v ? { value: fx, key: 'linuxFxVersion', version: rt.normalise ? rt.normalise(v) : v } : undefined;
}

function runtimeCheck(rt: Runtime) {
  return (r: Resource): Violation[] => {
    if (r.kind !== AZ.site) return [];
    const missing = needs(r, 'config');
    if (missing.length > 0) return missing;
    const d = declared(props(r.attrs['config']), rt);
    if (d === undefined || !older(d.version, rt.oldest)) return [];
    return [violation(['config', 'properties', d.key], `${rt.language} ${d.value} is past its end of life (the oldest supported line is ${rt.oldest.join('.')})`)];
  };
}

const site = (name: string, config: Record<string, unknown>): ReturnType<typeof arm> => arm(AZ.site, name, { httpsOnly: true }, { kind: 'app,linux', config: { name: 'web', properties: config } });

export const runtimeLiveRules: readonly Rule[] = RUNTIMES.map((rt) =>
  liveRule('azure', {
    id: rt.id,
    title: `App Service runs an end-of-life ${rt.language} version`,
    description: `The app runs a ${rt.language} release line that no longer receives security fixes, so known vulnerabilities in the runtime stay open.`,
    severity: 'medium',
    service: 'app-service',
    frameworks: [cis(rt.cis), ...themes('patching')],
    remediation: `Move the app to a supported ${rt.language} version (${rt.oldest.join('.')} or later, preferably the latest) and test it.`,
    references: ['https://learn.microsoft.com/azure/app-service/language-support-policy'],
    live: {
      kinds: [AZ.site],
      check: runtimeCheck(rt),
      cli: `az webapp config set --resource-group <resource-group> --name <app> --linux-fx-version "<${rt.language.toUpperCase()}|version>" (Windows: --${rt.windowsKey === 'phpVersion' ? 'php' : rt.windowsKey === 'pythonVersion' ? 'python' : 'java'}-version <version>)`,
      console: `App Services → the app → Settings → Configuration → General settings → Stack settings → ${rt.language} version → latest → Save.`,
      bad: [collected('azure', [site('old1', { linuxFxVersion: rt.example.old }), site('current1', { linuxFxVersion: rt.example.current })], [site('old1', {}).id])],
      good: [collected('azure', [site('current1', { linuxFxVersion: rt.example.current }), site('node1', { linuxFxVersion: 'NODE|20-lts' }), site('win1', { [rt.windowsKey]: '', netFrameworkVersion: 'v4.0' })])],
    },
  }),
);
