import { bearer } from '../helpers/app.js';

/** A minimal EventSource over fetch for the tests of GET /api/v1/jobs/events (inject() waits for an end that never comes). */

export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: unknown;
}

export interface Stream {
  readonly status: number;
  readonly headers: Headers;
  readonly events: SseEvent[];
  readonly text: () => string;
  waitFor(pred: (e: SseEvent) => boolean, what: string, ms?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens the stream and parses events as they arrive. */
export async function openStream(base: string, token: string | undefined, headers: Record<string, string> = {}): Promise<Stream> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/jobs/events`, { headers: { accept: 'text/event-stream', ...(token ? bearer(token) : {}), ...headers }, signal: ac.signal });
  const events: SseEvent[] = [];
  let raw = '';
  let buf = '';
  const waiters = new Set<() => void>();
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          raw += value;
          buf += value;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const fields = new Map<string, string>();
            for (const line of block.split('\n')) {
              if (line.startsWith(':') || !line.includes(':')) continue;
              const i = line.indexOf(':');
              fields.set(line.slice(0, i), line.slice(i + 1).trimStart());
            }
            const data = fields.get('data');
            if (fields.has('event')) events.push({ event: fields.get('event')!, id: fields.get('id'), data: data === undefined ? undefined : JSON.parse(data) });
            for (const w of waiters) w();
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  } else {
    raw = await res.text();
  }
  return {
    status: res.status,
    headers: res.headers,
    events,
    text: () => raw,
    async waitFor(pred, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => [e.event, (e.data as { status?: string })?.status]))}`);
        await new Promise<void>((r) => {
          const w = () => {
            waiters.delete(w);
            r();
          };
          waiters.add(w);
          setTimeout(w, 100);
        });
      }
    },
    close: () => ac.abort(),
  };
}
