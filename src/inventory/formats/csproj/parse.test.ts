import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csprojReader } from './index.js';
import { parseCsproj } from './parse.js';

const read = (text: string, files: Record<string, string> = {}) => parseCsproj({ path: 'src/App/App.csproj', text, readFile: (p) => files[p] });

const PROJECT = `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <SerilogVersion>3.1.1</SerilogVersion>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
    <PackageReference Include="Serilog" Version="$(SerilogVersion)" />
    <PackageReference Include="StyleCop.Analyzers">
      <Version>1.1.118</Version>
      <PrivateAssets>all</PrivateAssets>
    </PackageReference>
    <PackageReference Include="Ranged" Version="[1.2.0,2.0.0)" />
    <PackageReference Include="Floating" Version="5.*" />
    <PackageReference Include="Escaped&amp;Name" Version="1.0.0" />
  </ItemGroup>
</Project>
`;

test('PackageReference with attribute and element versions, properties, PrivateAssets, ranges', () => {
  const r = read(PROJECT);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.scope, p.location.line]),
    [
      ['Newtonsoft.Json', '13.0.3', undefined, 7],
      ['Serilog', '3.1.1', undefined, 8],
      ['StyleCop.Analyzers', '1.1.118', 'dev', 9],
      ['Ranged', '1.2.0', undefined, 13],
      ['Floating', '', undefined, 14],
      ['Escaped&Name', '1.0.0', undefined, 15],
    ],
  );
  assert.ok(r.packages.every((p) => p.direct === true && p.ecosystem === 'NuGet'));
  assert.equal(r.packages[0]!.purl, 'pkg:nuget/Newtonsoft.Json@13.0.3');
  assert.equal(r.edges.length, 6);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['warning', 13], ['warning', 14]]);
});

test('central package management: Directory.Packages.props up the tree supplies versions', () => {
  const r = read('<Project><ItemGroup><PackageReference Include="A" /><PackageReference Include="B" VersionOverride="9.0.0" /><PackageReference Include="C" /></ItemGroup></Project>', {
    'src/Directory.Packages.props': '<Project><PropertyGroup><AV>1.2.3</AV></PropertyGroup><ItemGroup><PackageVersion Include="a" Version="$(AV)" /><PackageVersion Include="B" Version="2.0.0" /><GlobalPackageReference Include="G" Version="0.1.0" /></ItemGroup></Project>',
  });
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['A@1.2.3', 'B@9.0.0', 'C@', 'G@0.1.0']);
  assert.equal(r.packages[0]!.properties?.['nuget:versionFrom'], 'Directory.Packages.props');
  assert.equal(r.packages[3]!.location.file, 'src/Directory.Packages.props');
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, /^C has no Version/);
});

test('a project without package references: nothing, no problems', () => {
  assert.deepEqual(read('<Project Sdk="x"><PropertyGroup><A>1</A></PropertyGroup></Project>'), { packages: [], edges: [], problems: [] });
});

test('not XML, or not a project: one error with the line', () => {
  const broken = read('<Project>\n<ItemGroup>\n</Project>');
  assert.deepEqual(broken.problems.map((p) => p.severity), ['error']);
  assert.equal(broken.problems[0]!.location.line !== undefined, true);
  assert.deepEqual(read('<Other/>').problems.map((p) => p.severity), ['error']);
  assert.deepEqual(read('').problems.map((p) => p.severity), ['error']);
});

test('hostile: external entities are refused, internal ones are not expanded', () => {
  const xxe = read('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><ItemGroup><PackageReference Include="&x;" Version="1" /></ItemGroup></Project>');
  assert.equal(xxe.packages.length, 0);
  assert.deepEqual(xxe.problems.map((p) => p.severity), ['error']);
  const laughs = read(`<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Project><ItemGroup><PackageReference Include="&b;" Version="1" /></ItemGroup></Project>`);
  assert.ok(laughs.packages.every((p) => p.name.length < 20));
});

test('matches .csproj, .fsproj and .vbproj files', () => {
  assert.equal(csprojReader.matches('src/App/App.csproj'), true);
  assert.equal(csprojReader.matches('Lib.fsproj'), true);
  assert.equal(csprojReader.matches('src/.csproj'), false);
  assert.equal(csprojReader.matches('App.csproj.user'), false);
});
