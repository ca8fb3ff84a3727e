/**
 * Routes that read their body as raw bytes (uploads that may be gzipped or archives): the body
 * schema documents the upload in OpenAPI while the handler validates it itself, and the bytes
 * are read with a size cap that holds without a content-length.
 */
import type { Readable } from 'node:stream';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { VigilError } from '../../core/errors.js';

type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];
type ValidationResult = ReturnType<FastifySchemaCompiler<unknown>>;

/** A validator compiler that lets the body through unchecked and compiles the rest as usual. */
export const bodyUnchecked = <S>(req: RouteSchemaDef<S>): ValidationResult =>
  req.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(req as unknown as RouteSchemaDef<z.core.$ZodType>);

/** Reads the raw body into memory, refusing more than `limit` bytes (also without a content-length). */
export async function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) {
      stream.destroy();
      throw new VigilError('payload-too-large', `the upload is larger than ${limit} bytes`, { errors: [{ pointer: '/body', detail: 'too large' }] });
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
