import { gzipSync } from 'node:zlib';

/** The dashboard's budget of initial JS (issue 8 §5): < 500 KB gzipped. */
export const INITIAL_JS_BUDGET = 500 * 1024;

export interface InitialScript {
  readonly src: string;
  readonly status: number;
  readonly cacheControl: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface InitialJs {
  readonly scripts: readonly InitialScript[];
  readonly gzipBytes: number;
}

/**
 * The JS `index.html` loads before any route chunk: its module scripts and the chunks it
 * preloads (`<link rel="modulepreload">`, the entry's static imports), fetched from the
 * running server and gzipped one by one. Route chunks (React.lazy pages) and the chunks only
 * they import are not counted: the browser asks for them when a page is opened.
 */
export async function initialJs(baseUrl: string, html: string): Promise<InitialJs> {
  const srcs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) srcs.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    if (!/\brel="modulepreload"/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) srcs.add(href);
  }
  const scripts: InitialScript[] = [];
  for (const src of srcs) {
    const res = await fetch(new URL(src, baseUrl));
    const body = Buffer.from(await res.arrayBuffer());
    scripts.push({ src, status: res.status, cacheControl: res.headers.get('cache-control') ?? '', bytes: body.length, gzipBytes: gzipSync(body).length });
  }
  return { scripts, gzipBytes: scripts.reduce((n, s) => n + s.gzipBytes, 0) };
}
