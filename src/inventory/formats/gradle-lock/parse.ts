/**
 * Gradle dependency locking files (`gradle.lockfile`, `buildscript-gradle.lockfile`, and the
 * per-configuration `gradle/dependency-locks/*.lockfile` of Gradle 6). Hand-written line
 * reader: one `group:artifact:version=configuration,configuration` per line, `#` comments,
 * and an `empty=` line naming configurations without dependencies. The configurations are
 * the package's groups; a package used only by test configurations gets scope test, one on a
 * main compile or runtime classpath scope prod. Gradle lockfiles record no graph and do not
 * say which dependencies are direct.
 */
import type { Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PackageIds, purl } from '../../purl.js';

export const GRADLE_LOCK_READER_ID = 'gradle-lock';
const ECOSYSTEM = 'Maven';
const MAX_WARNINGS = 100;

const isTestConfiguration = (c: string): boolean => /^test|Test[A-Z]|Test$/.test(c) || /^androidTest|^testFixtures/.test(c);
const isMainClasspath = (c: string): boolean => /^(compileClasspath|runtimeClasspath|productionRuntimeClasspath|implementation|api|runtimeOnly|compileOnly|(release|debug)?(Compile|Runtime)Classpath)$/.test(c) || (/(Compile|Runtime)Classpath$/.test(c) && !isTestConfiguration(c));

export function scopeOfConfigurations(configurations: readonly string[]): 'prod' | 'test' | undefined {
  if (configurations.length === 0) return undefined;
  if (configurations.every(isTestConfiguration)) return 'test';
  return configurations.some(isMainClasspath) ? 'prod' : undefined;
}

export function parseGradleLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  let warnings = 0;
  const ids = new PackageIds();
  const packages: Package[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const eq = line.indexOf('=');
    const coords = eq === -1 ? line : line.slice(0, eq);
    const parts = coords.split(':');
    if (parts.length < 3 || !parts[0] || !parts[1] || !parts[2]) {
      if (++warnings <= MAX_WARNINGS) problems.push({ location: { file: path, line: i + 1 }, reader: GRADLE_LOCK_READER_ID, message: `expected group:artifact:version[=configurations], got "${line.slice(0, 80)}"`, severity: 'warning' });
      continue;
    }
    const [group, artifact] = parts as [string, string];
    const version = parts.slice(2).join(':');
    const configurations = eq === -1 ? [] : line.slice(eq + 1).split(',').map((c) => c.trim()).filter(Boolean);
    let p: string;
    try {
      p = purl('maven', group, artifact, version);
    } catch {
      p = purl('generic', undefined, `${group}:${artifact}`, version);
    }
    const scope = scopeOfConfigurations(configurations);
    packages.push({
      id: ids.next(p),
      name: `${group}:${artifact}`,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(scope ? { scope } : {}),
      ...(configurations.length ? { groups: configurations } : {}),
      location: { file: path, line: i + 1 },
    });
  }
  if (warnings > MAX_WARNINGS) problems.push({ location: { file: path }, reader: GRADLE_LOCK_READER_ID, message: `${warnings - MAX_WARNINGS} more warnings not shown`, severity: 'warning' });
  return { packages, edges: [], problems };
}
