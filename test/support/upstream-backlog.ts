import { type ChildProcess, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';

/**
 * A TCP port on 127.0.0.1 where a connection never completes: a socket
 * listening with a backlog of 0 that never accepts (Node's servers always
 * accept, hence a python3 child), its accept queue filled by a few idle
 * connections, so the kernel drops further SYNs and a client's connect
 * hangs until its connect timeout.
 */
export class FullBacklog {
  private child?: ChildProcess;
  private readonly fillers: Socket[] = [];
  port = 0;

  async start(): Promise<this> {
    const child = (this.child = spawn('python3', [
      '-c',
      "import socket,sys\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()",
    ]));
    this.port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    });
    for (let index = 0; index < 4; index++) this.fillers.push(connect(this.port, '127.0.0.1').on('error', () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  stop(): void {
    for (const socket of this.fillers) socket.destroy();
    this.child?.kill();
  }
}
