/** Reads a secret from standard input (first line, trimmed of the line end). */
export async function readSecretFromStdin(maxBytes = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > maxBytes) throw new Error(`standard input is longer than ${maxBytes} bytes`);
    chunks.push(b);
  }
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
}
