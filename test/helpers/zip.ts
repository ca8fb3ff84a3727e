import yazl from 'yazl';

/** A zip built in memory with yazl. */
export async function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, body] of Object.entries(entries)) z.addBuffer(typeof body === 'string' ? Buffer.from(body) : body, name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
