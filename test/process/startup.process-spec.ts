import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { AppProcess } from '../support/app-process';

jest.setTimeout(60_000);

describe('startup failures (real process)', () => {
  it('port in use: one fatal line naming PORT and HOST, no stack trace, exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const app = AppProcess.launch(port, { DATABASE_URL: 'sqlite::memory:' });
      expect(await app.exited).toBe(1);
      const fatal = app.lines.filter((line) => line.level === 'fatal');
      expect(fatal).toEqual([
        expect.objectContaining({
          context: 'Startup',
          code: 'EADDRINUSE',
          port,
          host: '127.0.0.1',
          msg: `Cannot listen on 127.0.0.1:${port}: the address is already in use (another process listens there): set PORT (or HOST) to a free one`,
        }),
      ]);
      expect(app.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
