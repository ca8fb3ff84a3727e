import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { createSafeXmlParser, decodeXmlText, safeXmlParserOptions, xmlAttr, xmlChild, xmlChildren, xmlChildText, xmlList, xmlTextOf, type XmlNode } from './xml-input.js';

test('decodeXmlText: the five entities and character references; anything else kept', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['', ''],
    ['a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;', `a & b <c> "d" 'e'`],
    ['&#x2014;&#8212;&#X41;', '——&#X41;'],
    ['&nbsp; &copy; &unknown;', '&nbsp; &copy; &unknown;'],
    ['&#x110000; &#1114112;', '&#x110000; &#1114112;'],
    ['&#x1F600;', '😀'],
    ['&amp;amp;', '&amp;'],
    ['& ; &# ; &#x;', '& ; &# ; &#x;'],
  ];
  for (const [input, want] of cases) assert.equal(decodeXmlText(input), want, input);
});

test('the safe parser: no entity expansion, no value coercion, every element an array', () => {
  const xml = '<?xml version="1.0"?><r a="1 &amp; 2"><n>007</n><n>true</n><t>x &lt; y</t><c><![CDATA[<raw> &amp;]]></c><p:q xmlns:p="urn:p">prefixed</p:q></r>';
  const doc = createSafeXmlParser().parse(xml) as XmlNode;
  const r = xmlChild(doc, 'r');
  assert.deepEqual(xmlChildren(r, 'n').map(xmlTextOf), ['007', 'true']);
  assert.equal(xmlChildText(r, 't'), 'x < y');
  // As both CycloneDX readers always did: CDATA text goes through the entity decoding too.
  assert.equal(xmlChildText(r, 'c'), '<raw> &');
  assert.equal(xmlAttr(r, 'a'), '1 & 2');
  assert.equal(xmlChildText(r, 'p:q'), 'prefixed');
  const stripped = createSafeXmlParser({ removeNSPrefix: true }).parse(xml) as XmlNode;
  assert.equal(xmlChildText(xmlChild(stripped, 'r'), 'q'), 'prefixed');
  // An internal DTD entity is not expanded (the billion-laughs shape stays text).
  const bomb = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>';
  assert.equal(xmlChildText(createSafeXmlParser().parse(bomb), 'r'), '&b;');
  const opts = safeXmlParserOptions({ captureMetaData: true });
  assert.equal(opts.processEntities, false);
  assert.equal(opts.htmlEntities, false);
  assert.equal(opts.captureMetaData, true);
  assert.equal(safeXmlParserOptions().captureMetaData, undefined);
  const meta = createSafeXmlParser({ captureMetaData: true }).parse('<r><n a="1"/></r>') as XmlNode;
  const n = xmlChild(xmlChild(meta, 'r'), 'n') as Record<symbol, { startIndex?: number } | undefined>;
  assert.equal(n[XMLParser.getMetaDataSymbol() as unknown as symbol]?.startIndex, 3);
});

test('node helpers on empty, missing and non-element values', () => {
  assert.deepEqual(xmlChildren(undefined, 'x'), []);
  assert.deepEqual(xmlChildren('text', 'x'), []);
  assert.deepEqual(xmlChildren({ x: 'one' }, 'x'), ['one']);
  assert.equal(xmlChild({}, 'x'), undefined);
  assert.equal(xmlChildText({}, 'x'), undefined);
  assert.equal(xmlChildText({ x: [''] }, 'x'), '');
  assert.equal(xmlList({}, 'w', 'i'), undefined);
  assert.deepEqual(xmlList({ w: [{}] }, 'w', 'i'), []);
  assert.deepEqual(xmlList({ w: [{ i: ['a', 'b'] }] }, 'w', 'i'), ['a', 'b']);
  assert.equal(xmlAttr(null, 'a'), undefined);
  assert.equal(xmlAttr({ '@_a': 5 }, 'a'), undefined);
  assert.equal(xmlTextOf(42), '');
  assert.equal(xmlTextOf({ '#text': ['a &amp;', 'b'], '#cdata': [{ '#text': '<c>' }] }), 'a &b<c>');
});

test('hostile: many entities and deep text decode in linear time', () => {
  const big = '&amp;'.repeat(200_000) + '&#x41;'.repeat(100_000);
  const t0 = performance.now();
  const out = decodeXmlText(big);
  assert.equal(out.length, 300_000);
  assert.ok(performance.now() - t0 < 1000);
});
