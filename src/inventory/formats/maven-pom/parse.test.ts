import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mavenPomReader } from './index.js';
import { interpolate, parseMavenPom, resolveRelative, versionFromSpec } from './parse.js';

const read = (path: string, files: Record<string, string>) => parseMavenPom({ path, text: files[path]!, readFile: (p) => files[p] });
const dep = (g: string, a: string, extra = '') => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId>${extra}</dependency>`;

const PARENT = `<project>
  <groupId>org.acme</groupId>
  <artifactId>parent</artifactId>
  <version>2.0.0</version>
  <properties>
    <netty.version>4.1.42.Final</netty.version>
    <slf4j.version>1.7.0</slf4j.version>
  </properties>
  <dependencies>
    ${dep('com.google.code.findbugs', 'jsr305', '<version>3.0.2</version>')}
  </dependencies>
  <dependencyManagement>
    <dependencies>
      ${dep('io.netty', 'netty-all', '<version>${netty.version}</version>')}
      ${dep('org.acme', 'sibling', '<version>${project.version}</version>')}
      ${dep('org.acme', 'bom', '<version>1.0</version><type>pom</type><scope>import</scope>')}
    </dependencies>
  </dependencyManagement>
</project>`;

const CHILD = `<project>
  <parent>
    <groupId>org.acme</groupId>
    <artifactId>parent</artifactId>
    <version>2.0.0</version>
  </parent>
  <artifactId>child</artifactId>
  <properties>
    <slf4j.version>1.7.25</slf4j.version>
  </properties>
  <dependencies>
    ${dep('io.netty', 'netty-all')}
    ${dep('org.slf4j', 'slf4j-api', '<version>${slf4j.version}</version><scope>runtime</scope>')}
    ${dep('org.acme', 'sibling')}
    ${dep('junit', 'junit', '<version>[4.12,5.0)</version><scope>test</scope>')}
    ${dep('org.jdbi', 'jdbi3-core')}
    ${dep('x', 'y', '<version>${undefined.prop}</version>')}
  </dependencies>
  <dependencyManagement>
    <dependencies>
      ${dep('com.fasterxml', 'jackson', '<version>2.15.0</version>')}
    </dependencies>
  </dependencyManagement>
</project>`;

test('parent chain in the tree: inherited properties, dependencies and dependencyManagement; interpolation; scopes; warnings', () => {
  const r = read('child/pom.xml', { 'pom.xml': PARENT, 'child/pom.xml': CHILD });
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.scope, p.groups, p.direct, p.location.file]),
    [
      ['com.google.code.findbugs:jsr305', '3.0.2', 'prod', undefined, true, 'pom.xml'],
      ['io.netty:netty-all', '4.1.42.Final', 'prod', undefined, true, 'child/pom.xml'],
      ['org.slf4j:slf4j-api', '1.7.25', 'prod', ['runtime'], true, 'child/pom.xml'],
      ['org.acme:sibling', '2.0.0', 'prod', undefined, true, 'child/pom.xml'],
      ['junit:junit', '4.12', 'test', ['test'], true, 'child/pom.xml'],
      ['org.jdbi:jdbi3-core', '', 'prod', undefined, true, 'child/pom.xml'],
      ['x:y', '', 'prod', undefined, true, 'child/pom.xml'],
      ['com.fasterxml:jackson', '2.15.0', undefined, undefined, undefined, 'child/pom.xml'],
    ],
  );
  const netty = r.packages[1]!;
  assert.equal(netty.ecosystem, 'Maven');
  assert.equal(netty.purl, 'pkg:maven/io.netty/netty-all@4.1.42.Final');
  assert.equal(netty.properties?.['maven:versionFrom'], 'dependencyManagement');
  assert.equal(netty.location.line, 12);
  assert.equal(r.packages[4]!.properties?.['maven:versionRange'], '[4.12,5.0)');
  assert.equal(r.packages[7]!.properties?.['maven:managed'], 'true');
  assert.equal(r.edges.length, 7);
  assert.ok(r.edges.every((e) => e.from === 'root'));
  assert.deepEqual(r.problems.map((p) => p.severity), ['warning', 'warning', 'warning']);
  assert.match(r.problems[0]!.message, /junit:junit: version range \[4\.12,5\.0\)/);
  assert.match(r.problems[1]!.message, /org\.jdbi:jdbi3-core has no version.*imported BOM org\.acme:bom:1\.0/);
  assert.match(r.problems[2]!.message, /x:y: version \$\{undefined\.prop\} uses \$\{undefined\.prop\}/);
});

test('a parent outside the tree is named in the warnings it causes', () => {
  const r = read('pom.xml', { 'pom.xml': `<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent><dependencies>${dep('a', 'b')}</dependencies></project>` });
  assert.equal(r.packages[0]!.version, '');
  assert.match(r.problems[0]!.message, /a:b has no version .*; parent org\.springframework\.boot:spring-boot-starter-parent:3\.2\.0 is not in the scanned tree$/);
});

test('a relativePath candidate with other coordinates, or a cycle, is not followed', () => {
  const other = `<project><groupId>g</groupId><artifactId>other</artifactId><version>1</version><properties><v>9</v></properties></project>`;
  const r1 = read('a/pom.xml', { 'pom.xml': other, 'a/pom.xml': `<project><parent><groupId>g</groupId><artifactId>parent</artifactId><version>1</version></parent><artifactId>a</artifactId><dependencies>${dep('x', 'y', '<version>${v}</version>')}</dependencies></project>` });
  assert.equal(r1.packages[0]!.version, '');
  assert.match(r1.problems[0]!.message, /is not the pom at pom\.xml/);
  const a = `<project><parent><groupId>g</groupId><artifactId>b</artifactId><relativePath>../b</relativePath></parent><groupId>g</groupId><artifactId>a</artifactId><dependencies>${dep('x', 'y', '<version>1</version>')}</dependencies></project>`;
  const b = `<project><parent><groupId>g</groupId><artifactId>a</artifactId><relativePath>../a</relativePath></parent><groupId>g</groupId><artifactId>b</artifactId></project>`;
  const r2 = read('a/pom.xml', { 'a/pom.xml': a, 'b/pom.xml': b });
  assert.deepEqual(r2.packages.map((p) => `${p.name}@${p.version}`), ['x:y@1']);
  assert.match(r2.problems[0]!.message, /a cycle/);
});

test('duplicates keep the last declaration, with a warning', () => {
  const r = read('pom.xml', { 'pom.xml': `<project><dependencies>${dep('a', 'b', '<version>1</version>')}${dep('a', 'b', '<version>2</version>')}</dependencies></project>` });
  assert.deepEqual(r.packages.map((p) => p.version), ['2']);
  assert.match(r.problems[0]!.message, /declared more than once/);
});

test('helpers: relative paths, interpolation (nested, bounded), version specs', () => {
  assert.equal(resolveRelative('a/b/pom.xml', '../pom.xml'), 'a/pom.xml');
  assert.equal(resolveRelative('a/pom.xml', '../parent'), 'parent/pom.xml');
  assert.equal(resolveRelative('pom.xml', '../pom.xml'), undefined);
  assert.deepEqual(interpolate('${a}.${b}', new Map([['a', '${b}'], ['b', '1']])), { value: '1.1', unresolved: [] });
  const bomb = interpolate('${a}', new Map([['a', '${a}${a}']]));
  assert.ok(bomb.value.length < 20_000 && bomb.unresolved.length > 0);
  assert.deepEqual(versionFromSpec('[9.4.35.v20201120,9.5)'), { version: '9.4.35.v20201120', range: '[9.4.35.v20201120,9.5)' });
  assert.deepEqual(versionFromSpec('(,1.0]'), { version: '', range: '(,1.0]' });
  assert.deepEqual(versionFromSpec(' 1.0 '), { version: '1.0', range: undefined });
});

test('a POM without dependencies: nothing, no problems', () => {
  assert.deepEqual(read('pom.xml', { 'pom.xml': '<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version></project>' }), { packages: [], edges: [], problems: [] });
});

test('not XML, bad syntax or not a POM: one error', () => {
  for (const text of ['this is not a pom.xml file!', '<project><properties><${Id}.version>1</${Id}.version></properties></project>', '<settings/>']) {
    const r = read('pom.xml', { 'pom.xml': text });
    assert.equal(r.packages.length, 0);
    assert.deepEqual(r.problems.map((p) => p.severity), ['error']);
  }
});

test('hostile: DOCTYPE with external entities refused; deep nesting refused', () => {
  const xxe = read('pom.xml', { 'pom.xml': '<!DOCTYPE p [<!ENTITY x SYSTEM "http://evil/">]><project><dependencies><dependency><groupId>&x;</groupId><artifactId>a</artifactId></dependency></dependencies></project>' });
  assert.deepEqual(xxe.problems.map((p) => p.severity), ['error']);
  const deep = read('pom.xml', { 'pom.xml': `<project>${'<a>'.repeat(500)}${'</a>'.repeat(500)}</project>` });
  assert.deepEqual(deep.problems.map((p) => p.severity), ['error']);
});

test('matches pom.xml only', () => {
  assert.equal(mavenPomReader.matches('a/pom.xml'), true);
  assert.equal(mavenPomReader.matches('a/pom.xml.bak'), false);
  assert.equal(mavenPomReader.matches('my.pom.xml'), false);
});
