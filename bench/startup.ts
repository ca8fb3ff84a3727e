// Start-up-to-ready time of the built server (`node dist/cli/main.js serve`) on the embedded
// database: (a) first start on an empty data directory (PGlite initdb + every migration),
// (b) restart on that directory (the everyday case; target < 3 s). Each is measured from
// spawn until GET /readyz answers 200. A bare Node HTTP server measured the same way is the
// baseline, so the ratio stays meaningful on a slow or busy machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './built.js';
import type { BenchResult, Figure } from './types.js';

const ENTRY = join(ROOT, 'dist', 'cli', 'main.js');
export const WARM_TARGET_MS = 3000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Children still running and temporary directories: cleaned up whatever way this process ends. */
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? ok(port) : fail(new Error('no free port'))));
    });
  });
}

async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(hard);
      ok();
    });
    child.kill('SIGTERM');
  });
}

/**
 * CPU time (user + system, all threads) a process has used so far, from /proc on Linux; NaN
 * elsewhere. Less sensitive than wall time to other work on the machine.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

interface Ready {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Spawns `args` with node; the time until GET /readyz on `port` is 200, and the CPU time used. */
async function timeToReady(args: readonly string[], port: number, env: NodeJS.ProcessEnv, cwd: string): Promise<Ready> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
    live.delete(child);
  });
  try {
    const url = `http://127.0.0.1:${port}/readyz`;
    for (;;) {
      if (await answers200(url)) return { wallMs: performance.now() - t0, cpuMs: cpuMs(child.pid) };
      if (exited) throw new Error(`server exited before it was ready (code ${child.exitCode ?? child.signalCode}):\n${stderr}`);
      if (performance.now() - t0 > READY_TIMEOUT_MS) throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await stop(child);
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const BASELINE_SERVER = `require('node:http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));`;

export interface StartupOptions {
  readonly firstRuns?: number;
  readonly warmRuns?: number;
}

export async function benchStartup(opts: StartupOptions = {}): Promise<BenchResult> {
  const firstRuns = opts.firstRuns ?? 3;
  const warmRuns = opts.warmRuns ?? 5;
  ensureBuilt();
  const base = mkdtempSync(join(tmpdir(), 'vigil-bench-startup-'));
  tempDirs.add(base);
  // Only what is set here configures the server: no inherited database URL, config file or
  // tracing endpoint, and the working directory is the temporary one (no ./vigil.yaml).
  const inherited = { ...process.env };
  for (const k of Object.keys(inherited)) if (k.startsWith('VIGIL_') || k.startsWith('OTEL_') || k === 'DATABASE_URL') delete inherited[k];
  const serverEnv = (dataDir: string, port: number): NodeJS.ProcessEnv => ({
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    VIGIL_DATA_DIR: dataDir,
    VIGIL_LOG_LEVEL: 'warn',
    VIGIL_ADMIN_EMAIL: 'admin@bench.test',
    VIGIL_ADMIN_PASSWORD: 'bench-password-long-enough',
  });
  try {
    const baseline: Ready[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      baseline.push(await timeToReady(['-e', BASELINE_SERVER], port, { ...process.env, PORT: String(port) }, base));
    }
    const first: Ready[] = [];
    let dataDir = '';
    for (let i = 0; i < firstRuns; i++) {
      dataDir = join(base, `data-${i}`);
      const port = await freePort();
      first.push(await timeToReady([ENTRY, 'serve'], port, serverEnv(dataDir, port), base));
    }
    // Restarts on the last directory the first starts created.
    const warm: Ready[] = [];
    for (let i = 0; i < warmRuns; i++) {
      const port = await freePort();
      warm.push(await timeToReady([ENTRY, 'serve'], port, serverEnv(dataDir, port), base));
    }
    const wall = (rs: readonly Ready[]) => median(rs.map((r) => r.wallMs));
    const cpu = (rs: readonly Ready[]) => median(rs.map((r) => r.cpuMs));
    const figures: Figure[] = [
      { name: 'startup_node_baseline_ms', value: Math.round(wall(baseline)), unit: 'ms' },
      { name: 'startup_first_ms', value: Math.round(wall(first)), unit: 'ms' },
      { name: 'startup_warm_ms', value: Math.round(wall(warm)), unit: 'ms' },
      { name: 'startup_warm_max_ms', value: Math.round(Math.max(...warm.map((r) => r.wallMs))), unit: 'ms' },
      { name: 'startup_warm_target_ms', value: WARM_TARGET_MS, unit: 'ms' },
      { name: 'startup_warm_over_baseline', value: Number((wall(warm) / wall(baseline)).toFixed(1)), unit: 'x' },
      // CPU time to ready: a check on the wall times when the machine is busy.
      ...(Number.isNaN(cpu(warm))
        ? []
        : [
            { name: 'startup_first_cpu_ms', value: Math.round(cpu(first)), unit: 'ms' },
            { name: 'startup_warm_cpu_ms', value: Math.round(cpu(warm)), unit: 'ms' },
          ]),
    ];
    const failures = wall(warm) > WARM_TARGET_MS ? [`warm start-up median ${Math.round(wall(warm))} ms exceeds the ${WARM_TARGET_MS} ms target`] : [];
    return { figures, failures };
  } finally {
    rmSync(base, { recursive: true, force: true });
    tempDirs.delete(base);
  }
}
