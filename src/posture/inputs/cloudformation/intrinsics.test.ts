import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCloudFormation } from './index.js';
import { subParts } from './intrinsics.js';

/** The resolved value of property `V` of resource `R` in a template with the given sections. */
function resolved(value: string, sections = ''): unknown {
  const text = `${sections}\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      V: ${value}\n  Other:\n    Type: AWS::X::Z\n`;
  const out = parseCloudFormation({ path: 't.yaml', text });
  assert.deepEqual(out.problems, [], JSON.stringify(out.problems));
  return out.resources.find((r) => r.id === 'R')!.attrs['V'];
}

const PARAMS = `Parameters:
  Name: { Type: String, Default: web }
  Port: { Type: Number, Default: 8080 }
  Empty: { Type: String, Default: "" }
  NoDefault: { Type: String }
  Zones: { Type: "List<AWS::EC2::AvailabilityZone::Name>", Default: "a,b,c" }
Mappings:
  M:
    web: { Size: small, List: [x, y] }
Conditions:
  IsWeb: !Equals [!Ref Name, web]
  IsEmpty: !Equals ["", !Ref Empty]
  Unknown: !Equals [!Ref NoDefault, x]
  AndFalse: !And [!Condition Unknown, !Not [!Condition IsWeb]]
  OrTrue: !Or [!Condition Unknown, !Condition IsWeb]
  AndUnknown: !And [!Condition Unknown, !Condition IsWeb]
  PortIs: !Equals [8080, !Ref Port]`;

const CASES: readonly (readonly [string, string, unknown])[] = [
  ['Ref to a String default', '!Ref Name', 'web'],
  ['Ref to a Number default keeps its type', '!Ref Port', 8080],
  ['Ref without default stays', '!Ref NoDefault', { Ref: 'NoDefault' }],
  ['Ref to a list parameter is a list', '!Ref Zones', ['a', 'b', 'c']],
  ['Ref to a resource stays', '!Ref Other', { Ref: 'Other' }],
  ['pseudo parameter stays', '!Ref AWS::Partition', { Ref: 'AWS::Partition' }],
  ['If on Equals', '!If [IsWeb, on, off]', 'on'],
  ['If on Equals of empty strings', '!If [IsEmpty, on, off]', 'on'],
  ['If on a number compared as a string', '!If [PortIs, on, off]', 'on'],
  ['And with a false member is false', '!If [AndFalse, on, off]', 'off'],
  ['Or with a true member is true', '!If [OrTrue, on, off]', 'on'],
  ['And with an unknown member stays', '!If [AndUnknown, on, off]', { 'Fn::If': ['AndUnknown', 'on', 'off'] }],
  ['If with an undefined condition stays', '!If [Nope, on, off]', { 'Fn::If': ['Nope', 'on', 'off'] }],
  ['If removing a list item', '[a, !If [IsWeb, !Ref AWS::NoValue, b], c]', ['a', 'c']],
  ['Sub with locals and parameters', '!Sub ["${Name}-${X}", { X: !Ref Port }]', 'web-8080'],
  ['Sub with an unknown variable keeps it', '!Sub ["${Name}:${P}-${X}", { X: !Ref Port }]', { 'Fn::Sub': 'web:${P}-8080' }],
  ['Sub escape ${!x}', '!Sub "a-${!Literal}-${Name}"', 'a-${Literal}-web'],
  ['Sub with an unresolved local keeps it', '!Sub ["${A}-${Name}", { A: !GetAtt Other.Arn }]', { 'Fn::Sub': ['${A}-web', { A: { 'Fn::GetAtt': ['Other', 'Arn'] } }] }],
  ['FindInMap', '!FindInMap [M, !Ref Name, Size]', 'small'],
  ['FindInMap to a list', '!FindInMap [M, web, List]', ['x', 'y']],
  ['FindInMap missing with DefaultValue', '!FindInMap [M, web, Nope, { DefaultValue: dflt }]', 'dflt'],
  ['FindInMap on a pseudo parameter stays', '!FindInMap [M, !Ref AWS::Region, Size]', { 'Fn::FindInMap': ['M', { Ref: 'AWS::Region' }, 'Size'] }],
  ['Join', '!Join [":", [!Ref Name, !Ref Port]]', 'web:8080'],
  ['Join with an unknown stays', '!Join [":", [!Ref Name, !Ref AWS::Region]]', { 'Fn::Join': [':', ['web', { Ref: 'AWS::Region' }]] }],
  ['Select from a list parameter', '!Select [2, !Ref Zones]', 'c'],
  ['Select out of range stays', '!Select [5, [a]]', { 'Fn::Select': [5, ['a']] }],
  ['Split', '!Split ["|", "a|b"]', ['a', 'b']],
  ['Base64 stays with its argument resolved', '!Base64 { "Fn::Sub": "n=${Name}" }', { 'Fn::Base64': 'n=web' }],
];

test('intrinsic resolution, case by case', () => {
  for (const [name, value, expected] of CASES) {
    assert.deepEqual(resolved(value, PARAMS), expected, name);
  }
});

test('long and short forms resolve alike', () => {
  assert.equal(resolved('{ "Fn::If": [IsWeb, { "Fn::Sub": "${Name}" }, x] }', PARAMS), 'web');
  assert.deepEqual(resolved('{ Ref: NoDefault }', PARAMS), { Ref: 'NoDefault' });
});

test('a key whose value resolves to AWS::NoValue is removed', () => {
  const text = `${PARAMS}\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      A: !If [IsWeb, !Ref AWS::NoValue, x]\n      B: 1\n`;
  const r = parseCloudFormation({ path: 't.yaml', text }).resources.find((x) => x.id === 'R')!;
  assert.deepEqual(r.attrs, { B: 1 });
  assert.equal(r.lineOf(['A']), undefined);
});

test('subParts splits literals, variables and escapes in one pass', () => {
  assert.deepEqual(
    subParts('a${X}b${!Y}${Z.Attr}${unclosed'),
    [
      { literal: 'a', raw: 'a' },
      { literal: '${X}', raw: '${X}', name: 'X' },
      { literal: 'b', raw: 'b' },
      { literal: '${Y}', raw: '${!Y}' },
      { literal: '${Z.Attr}', raw: '${Z.Attr}', name: 'Z.Attr' },
      { literal: '${unclosed', raw: '${unclosed' },
    ],
  );
  assert.deepEqual(subParts(''), []);
  const t0 = Date.now();
  assert.equal(subParts('${'.repeat(100_000)).length, 1);
  assert.ok(Date.now() - t0 < 1000);
});
