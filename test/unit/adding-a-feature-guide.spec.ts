import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostTree } from '@angular-devkit/schematics';
import { SchematicTestRunner, type UnitTestTree } from '@angular-devkit/schematics/testing';

/**
 * docs/adding-a-feature.md is copied from generated code: each TypeScript
 * snippet names the file `nest g resource orders` writes (first line
 * `// <path>`), and each of its parts (split at `// …` lines) appears in that
 * file as written, indentation aside (a part may be quoted from inside a class). The schematic runs in memory, on the repository's
 * features module and migration index.
 */
const root = join(__dirname, '..', '..');
const TIMESTAMP = 1800000000000;

interface Snippet {
  file: string;
  parts: string[];
}

/** The text with each line's indentation removed. */
const dedented = (text: string) => text.replace(/^[ \t]+/gm, '');

function snippets(markdown: string): Snippet[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, body]) => {
    const [first, ...lines] = body.replace(/\n$/, '').split('\n');
    const file = /^\/\/ (\S+)$/.exec(first)?.[1] ?? '';
    const parts = lines
      .join('\n')
      .split(/^\/\/ …$/m)
      .map((part) => part.replace(/^\n+|\n+$/g, ''))
      .filter(Boolean);
    return { file: file.replace('<timestamp>', String(TIMESTAMP)), parts };
  });
}

describe('docs/adding-a-feature.md, against what the generator writes', () => {
  let generated: UnitTestTree;
  const guide = readFileSync(join(root, 'docs', 'adding-a-feature.md'), 'utf8');

  beforeAll(async () => {
    const runner = new SchematicTestRunner('chassis', join(root, 'schematics', 'collection.json'));
    const tree = new HostTree();
    for (const file of ['nest-cli.json', 'src/features/features.module.ts', 'migrations/index.ts']) {
      tree.create(file, readFileSync(join(root, file)));
    }
    generated = await runner.runSchematic('resource', { name: 'orders', timestamp: TIMESTAMP, sourceRoot: 'src/features' }, tree);
  }, 60_000);

  it('has TypeScript snippets, each naming a generated file', () => {
    const all = snippets(guide);
    expect(all.length).toBeGreaterThanOrEqual(8);
    expect(all.filter((snippet) => !generated.exists(snippet.file)).map((snippet) => snippet.file || '(no "// <path>" line)')).toEqual([]);
  });

  it('quotes each generated file as written, owner scoping included', () => {
    const stale = snippets(guide).flatMap(({ file, parts }) => {
      const text = dedented(generated.readContent(file));
      return parts.filter((part) => !text.includes(dedented(part))).map((part) => `${file}:\n${part}`);
    });
    expect(stale).toEqual([]);
    const quoted = snippets(guide)
      .flatMap((snippet) => snippet.parts)
      .join('\n');
    expect(quoted).toContain('ownerId!: string;');
    expect(quoted).toContain('where: { ownerId: principal.subject }');
    expect(quoted).toContain('findOneBy({ id, ownerId: principal.subject })');
  });
});
