import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from '../../migrations';

describe('migrations/index.ts', () => {
  it('lists every migration file in the folder, oldest first', () => {
    const files = readdirSync(join(__dirname, '..', '..', 'migrations'))
      .filter((file) => /^\d+-.+\.ts$/.test(file))
      .sort();
    const timestamps = files.map((file) => file.split('-')[0]);
    const listed = migrations.map((migration) => /(\d+)$/.exec(migration.name)?.[1]);
    expect(listed).toEqual(timestamps);
  });
});
