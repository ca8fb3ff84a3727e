import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradleLockReader } from './index.js';
import { parseGradleLock, scopeOfConfigurations } from './parse.js';

const read = (text: string) => parseGradleLock({ path: 'app/gradle.lockfile', text });

test('group:artifact:version=configurations lines; comments and empty= skipped; scope from configurations', () => {
  const r = read(`# This is a Gradle generated file for dependency locking.
org.springframework.boot:spring-boot-autoconfigure:2.7.4=compileClasspath,runtimeClasspath
junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath
org.projectlombok:lombok:1.18.30=annotationProcessor
com.example:weird:1.0:with-colon=runtimeClasspath
empty=incomingCatalogForLibs0
`);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.scope, p.groups, p.location.line]),
    [
      ['org.springframework.boot:spring-boot-autoconfigure', '2.7.4', 'prod', ['compileClasspath', 'runtimeClasspath'], 2],
      ['junit:junit', '4.13.2', 'test', ['testCompileClasspath', 'testRuntimeClasspath'], 3],
      ['org.projectlombok:lombok', '1.18.30', undefined, ['annotationProcessor'], 4],
      ['com.example:weird', '1.0:with-colon', 'prod', ['runtimeClasspath'], 5],
    ],
  );
  assert.equal(r.packages[0]!.ecosystem, 'Maven');
  assert.equal(r.packages[0]!.purl, 'pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4');
  assert.equal(r.packages[0]!.direct, undefined);
  assert.deepEqual(r.edges, []);
});

test('configuration names → scope', () => {
  assert.equal(scopeOfConfigurations(['androidTestRuntimeClasspath', 'testFixturesApi']), 'test');
  assert.equal(scopeOfConfigurations(['releaseRuntimeClasspath', 'debugUnitTestRuntimeClasspath']), 'prod');
  assert.equal(scopeOfConfigurations([]), undefined);
});

test('comments only, empty= only, empty file: nothing, no problems', () => {
  for (const text of ['# a\n# b\n\n', 'empty=\n', '']) assert.deepEqual(read(text), { packages: [], edges: [], problems: [] });
});

test('a malformed line is a warning with its line; the others are kept', () => {
  const r = read('a:b:1=x\nnot-a-coordinate\n:b:1\nc:d:2\n');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['a:b@1', 'c:d@2']);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['warning', 2], ['warning', 3]]);
});

test('hostile: many bad lines cap the warnings; a huge line is fine', () => {
  const r = read(`${'x\n'.repeat(10_000)}a:b:${'1'.repeat(1_000_000)}\n`);
  assert.equal(r.packages.length, 1);
  assert.equal(r.problems.length, 101);
});

test('matches gradle.lockfile, buildscript-gradle.lockfile and Gradle 6 dependency-locks', () => {
  assert.equal(gradleLockReader.matches('app/gradle.lockfile'), true);
  assert.equal(gradleLockReader.matches('buildscript-gradle.lockfile'), true);
  assert.equal(gradleLockReader.matches('gradle/dependency-locks/compileClasspath.lockfile'), true);
  assert.equal(gradleLockReader.matches('app/other.lockfile'), false);
});
