import type { LayerRecord } from './layer.js';

/**
 * The image's filesystem as the container sees it: layers stacked in order, each layer's
 * whiteouts (`.wh.name` deletes a path, `.wh..wh..opq` hides a directory's lower contents)
 * applied to the layers below it before its own entries are added (OCI image spec,
 * "Representing Changes"). A tree of nodes, so deleting a subtree costs one map removal.
 *
 * Symlinks resolve inside the image (an absolute target is relative to the image root,
 * `..` stops at the root) with a hop limit, so a loop is an answer, not a hang.
 */

export interface Version {
  readonly layer: number;
  readonly bytes: Uint8Array;
}

export interface FileNode {
  readonly kind: 'file';
  readonly layer: number;
  readonly size: number;
  bytes?: Uint8Array | undefined;
  /** Where the content can be fetched again: the layer and path inside it (a hardlink's target). */
  readonly src: { readonly layer: number; readonly path: string };
  /** Earlier versions of this path with kept bytes, oldest first (for layer attribution). */
  readonly history: readonly Version[];
}

export interface DirNode {
  readonly kind: 'dir';
  readonly layer: number;
  readonly children: Map<string, Node>;
}

export interface LinkNode {
  readonly kind: 'symlink';
  readonly layer: number;
  readonly target: string;
}

export interface OtherNode {
  readonly kind: 'other';
  readonly layer: number;
}

export type Node = FileNode | DirNode | LinkNode | OtherNode;

export type Resolved = { readonly ok: true; readonly path: string; readonly node: Node } | { readonly ok: false; readonly reason: 'missing' | 'loop' | 'not-a-directory' };

/** Symlinks followed while resolving one path (Linux's MAXSYMLINKS is 40). */
const MAX_HOPS = 40;

const split = (path: string): string[] => path.split('/').filter((s) => s !== '' && s !== '.');

export class FsView {
  readonly root: DirNode = { kind: 'dir', layer: -1, children: new Map() };

  /** Stacks one layer on the view. */
  apply(layer: number, record: LayerRecord): void {
    for (const e of record.entries) {
      if (e.kind === 'whiteout') this.remove(e.path);
      else if (e.kind === 'opaque') this.ensureDir(split(e.path), layer).children.clear();
    }
    for (const e of record.entries) {
      switch (e.kind) {
        case 'whiteout':
        case 'opaque':
          break;
        case 'dir':
          this.ensureDir(split(e.path), layer);
          break;
        case 'file':
          this.put(e.path, layer, (previous) => ({
            kind: 'file',
            layer,
            size: e.size,
            bytes: e.bytes,
            src: { layer, path: e.path },
            history: nextHistory(previous),
          }));
          break;
        case 'hardlink': {
          const target = this.lookupLiteral(e.target);
          this.put(e.path, layer, (previous) =>
            target?.kind === 'file'
              ? { kind: 'file', layer, size: target.size, bytes: target.bytes, src: target.src, history: nextHistory(previous) }
              : { kind: 'file', layer, size: 0, src: { layer, path: e.target }, history: nextHistory(previous) },
          );
          break;
        }
        case 'symlink':
          this.put(e.path, layer, () => ({ kind: 'symlink', layer, target: e.target }));
          break;
        case 'other':
          this.put(e.path, layer, () => ({ kind: 'other', layer }));
          break;
      }
    }
  }

  /** Resolves a path, following symlinks in every component (and in the last when `followLast`). */
  resolve(path: string, followLast = true): Resolved {
    let pending = split(path);
    const stack: DirNode[] = [this.root];
    const names: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const name = pending[0]!;
      pending = pending.slice(1);
      if (name === '..') {
        if (stack.length > 1) {
          stack.pop();
          names.pop();
        }
        continue;
      }
      const dir = stack[stack.length - 1]!;
      const node = dir.children.get(name);
      if (!node) return { ok: false, reason: 'missing' };
      const last = pending.length === 0;
      if (node.kind === 'symlink' && (!last || followLast)) {
        if (++hops > MAX_HOPS) return { ok: false, reason: 'loop' };
        if (node.target.startsWith('/')) {
          stack.length = 1;
          names.length = 0;
        }
        pending = [...split(node.target), ...pending];
        continue;
      }
      if (last) return { ok: true, path: [...names, name].join('/'), node };
      if (node.kind !== 'dir') return { ok: false, reason: 'not-a-directory' };
      stack.push(node);
      names.push(name);
    }
    return { ok: true, path: names.join('/'), node: stack[stack.length - 1]! };
  }

  /** Every file and symlink in the view (symlinked directories are not entered), in path order. */
  *entries(): Generator<{ path: string; node: FileNode | LinkNode }> {
    const walk = function* (dir: DirNode, prefix: string): Generator<{ path: string; node: FileNode | LinkNode }> {
      const names = [...dir.children.keys()].sort();
      for (const name of names) {
        const node = dir.children.get(name)!;
        const path = prefix === '' ? name : `${prefix}/${name}`;
        if (node.kind === 'dir') yield* walk(node, path);
        else if (node.kind === 'file' || node.kind === 'symlink') yield { path, node };
      }
    };
    yield* walk(this.root, '');
  }

  /** The node at a literal path (no symlinks followed). */
  lookupLiteral(path: string): Node | undefined {
    let node: Node = this.root;
    for (const name of split(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.children.get(name);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private remove(path: string): void {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) return;
    const parent = this.lookupLiteral(parts.join('/'));
    if (parent?.kind === 'dir') parent.children.delete(name);
  }

  /** The directory at a literal path, created (or made a directory, replacing a file) as needed. */
  private ensureDir(parts: readonly string[], layer: number): DirNode {
    let dir = this.root;
    for (const name of parts) {
      const next = dir.children.get(name);
      if (next?.kind === 'dir') {
        dir = next;
      } else {
        const made: DirNode = { kind: 'dir', layer, children: new Map() };
        dir.children.set(name, made);
        dir = made;
      }
    }
    return dir;
  }

  private put(path: string, layer: number, make: (previous: Node | undefined) => Node): void {
    const parts = split(path);
    const name = parts.pop();
    if (name === undefined) return;
    const dir = this.ensureDir(parts, layer);
    dir.children.set(name, make(dir.children.get(name)));
  }
}

/** A path's earlier versions, extended with the one being replaced (when its bytes were kept). */
function nextHistory(previous: Node | undefined): readonly Version[] {
  if (previous?.kind !== 'file') return [];
  return previous.bytes ? [...previous.history, { layer: previous.layer, bytes: previous.bytes }] : previous.history;
}
