/**
 * Command-line flags of control plane components running as (static) pods: kube-apiserver,
 * kube-controller-manager, kube-scheduler, etcd and the kubelet. One reader for every rule:
 * `--flag=value`, `--flag value`, `-flag` (etcd), repeated flags (the last one wins, as with
 * pflag), bare boolean flags and comma-separated lists. Written by hand: no maintained library
 * parses pflag-style argument lists outside Go.
 */
import type { AttrPath } from '../../../model.js';
import { containers, strings, type ContainerRef, type PodSpecRef } from './pod.js';

export const COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubelet'] as const;
export type Component = (typeof COMPONENTS)[number];

export class Flags {
  private readonly values = new Map<string, string[]>();

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const token = argv[i]!;
      const m = /^--?([A-Za-z0-9][\w.-]*)(?:=(.*))?$/s.exec(token);
      if (m === null) continue;
      const name = m[1]!;
      let value = m[2];
      if (value === undefined) {
        const next = argv[i + 1];
        // `--flag value`: the next token is the value unless it is itself a flag.
        if (next !== undefined && !next.startsWith('-')) {
          value = next;
          i++;
        } else value = '';
      }
      let list = this.values.get(name);
      if (list === undefined) this.values.set(name, (list = []));
      list.push(value.trim());
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The effective value (the last occurrence), undefined when the flag is absent. */
  get(name: string): string | undefined {
    const list = this.values.get(name);
    return list === undefined ? undefined : list[list.length - 1];
  }

  /** A flag that must carry a value: set and not empty. */
  isSet(name: string): boolean {
    const v = this.get(name);
    return v !== undefined && v !== '';
  }

  /** A boolean flag: a bare `--flag` is true; undefined when absent or not a boolean. */
  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const s = v.toLowerCase();
    return s === '' || s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
  }

  num(name: string): number | undefined {
    const v = this.get(name);
    return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
  }

  /** Comma-separated values of every occurrence (`--enable-admission-plugins=A,B`). */
  list(name: string): string[] {
    const list = this.values.get(name) ?? [];
    return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  }

  /** `--feature-gates=A=true,B=false` as a map. */
  gates(name = 'feature-gates'): Map<string, string> {
    const out = new Map<string, string>();
    for (const item of this.list(name)) {
      const eq = item.indexOf('=');
      if (eq > 0) out.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim().toLowerCase());
    }
    return out;
  }
}

export interface ComponentContainer {
  readonly component: Component;
  readonly container: ContainerRef;
  readonly flags: Flags;
  /** Where findings are reported: the container's command (the component's identity). */
  readonly path: AttrPath;
}

function basename(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** The component a container runs, from its command (`kube-apiserver`, `/usr/local/bin/etcd`). */
export function componentOf(c: ContainerRef): Component | undefined {
  const command = strings(c.container['command']);
  const first = command[0] === undefined ? undefined : basename(command[0]);
  return COMPONENTS.find((name) => name === first || command.includes(name));
}

const componentCache = new WeakMap<PodSpecRef, Map<Component, readonly ComponentContainer[]>>();

/** The control plane containers of a pod, with their parsed flags (computed once per pod). */
export function componentContainers(pod: PodSpecRef, component: Component): readonly ComponentContainer[] {
  let perComponent = componentCache.get(pod);
  if (perComponent === undefined) {
    perComponent = new Map<Component, ComponentContainer[]>();
    for (const c of containers(pod)) {
      const name = c.field === 'ephemeralContainers' ? undefined : componentOf(c);
      if (name === undefined) continue;
      const argv = [...strings(c.container['command']), ...strings(c.container['args'])];
      const list = perComponent.get(name) ?? [];
      perComponent.set(name, [...list, { component: name, container: c, flags: new Flags(argv), path: [...c.path, 'command'] }]);
    }
    componentCache.set(pod, perComponent);
  }
  return perComponent.get(component) ?? [];
}

/** Go durations (`300s`, `1h0m5s`, `1.5h`) in seconds; undefined when malformed. */
export function durationSeconds(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (m === null) return undefined;
    const n = Number(m[1]);
    const unit = m[2]!;
    total += unit === 'h' ? n * 3600 : unit === 'm' ? n * 60 : unit === 's' ? n : unit === 'ms' ? n / 1e3 : unit === 'ns' ? n / 1e9 : n / 1e6;
    pos = re.lastIndex;
  }
  return pos === 0 ? undefined : total;
}
