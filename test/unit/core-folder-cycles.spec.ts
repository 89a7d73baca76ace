import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const core = join(__dirname, '..', '..', 'src', 'core');

/** Every TypeScript file under `dir` that runs in the service (specs left out). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Relative specifiers of static imports and `export … from` (type-only ones included). */
function relativeSpecifiers(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']*)'|(?:^|\n)\s*import\s+'(\.[^']*)'/g)].map(
    (m) => m[1] ?? m[2],
  );
}

/** The folder of src/core a file belongs to (`.` for the files at its top). */
function folderOf(file: string): string {
  const parts = relative(core, file).split(sep);
  return parts.length === 1 ? '.' : parts[0];
}

/** Folder → the other folders of src/core its files import. */
export function coreFolderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(core)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const specifier of relativeSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(core + sep)) continue;
      const to = folderOf(`${target}.ts`);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/**
 * The cycles among folders: for each strongly connected component of more
 * than one folder (Tarjan), the shortest cycle through each of its folders,
 * as `a → b → a`, without repeats.
 */
export function folderCycles(graph: Map<string, Set<string>>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  const cycles = components.flatMap((component) => component.map((start) => cyclePath(graph, component, start)));
  return [...new Set(cycles.map(canonical))];
}

/** The same cycle written from its alphabetically first folder. */
function canonical(cycle: string): string {
  const folders = cycle.split(' → ').slice(0, -1);
  const first = folders.indexOf([...folders].sort()[0]);
  const rotated = [...folders.slice(first), ...folders.slice(0, first)];
  return [...rotated, rotated[0]].join(' → ');
}

/** A shortest path from `start` back to itself, through the component. */
function cyclePath(graph: Map<string, Set<string>>, component: string[], start: string): string {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.includes(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start].join(' → ');
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component.join(' ↔ ');
}

describe('src/core folders', () => {
  it('import each other without cycles', () => {
    expect(folderCycles(coreFolderGraph())).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(folderCycles(graph)).toEqual(['a → b → c → a']);
  });
});
