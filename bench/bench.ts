import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MeasuredLoad, type Measurement, type SideBySideRun, type Subject, round, summarize } from './measurement';
import { settings } from './settings';
import { type LoadResult, type Pinning, Server, autocannon, freePort, loadAverage, pinning } from './support';

/** Starts servers and loads them: in rounds, or two side by side. */
export class Bench {
  readonly pin: Pinning = pinning();
  readonly workDir = mkdtempSync(join(tmpdir(), 'nest-chassis-bench-'));
  readonly logFile = join(this.workDir, 'server.log');

  /** Measures one server: {@link measureInRounds} with one subject. */
  async measure(name: string, server: Server, path: string, headers: Record<string, string>): Promise<Measurement> {
    const [measurement] = await this.measureInRounds([{ name, server, path, headers }]);
    return measurement;
  }

  /**
   * Measures servers that are all up at once, in rounds: a warm-up of each,
   * then `repeats` rounds in which each subject is loaded once, in turn (each
   * round starting one subject later). A slow
   * spell of a shared machine then falls on every subject alike, so the ratios
   * between them (× bare Fastify, JWKS against shared secret) compare runs made
   * seconds apart, not minutes. Only the subject under load is busy; the others
   * sit idle on the same core.
   */
  async measureInRounds(subjects: Subject[]): Promise<Measurement[]> {
    for (const subject of subjects) {
      process.stdout.write(`  warm-up ${settings.warmupSeconds} s: ${subject.name}\n`);
      await this.load(subject, settings.warmupSeconds);
    }
    const runs: Measurement['runs'][] = subjects.map(() => []);
    for (let roundNumber = 1; roundNumber <= settings.repeats; roundNumber++) {
      // Each round starts one subject later (round-robin), so no subject always runs first or last.
      for (let turn = 0; turn < subjects.length; turn++) {
        const index = (turn + roundNumber - 1) % subjects.length;
        const subject = subjects[index];
        const loadAverageBefore = loadAverage();
        const result = await this.measuredLoad(subject, settings.durationSeconds);
        runs[index].push({ ...result, loadAverageBefore });
        process.stdout.write(
          `  round ${roundNumber}/${settings.repeats} ${subject.name}: ${result.requestsPerSecond} req/s, ${result.serverCpuMicrosecondsPerRequest} µs CPU/req (load ${loadAverageBefore[0]})\n`,
        );
      }
    }
    return subjects.map((subject, index) => summarize(subject, runs[index], subject.server.rssMb()));
  }

  /**
   * Loads two servers at the same time: one autocannon each (both on the load
   * generator's core, `connections` connections each), the two servers sharing
   * the server core. The kernel's scheduler gives each the same share of that
   * core, so each one's req/s is set by its own cost per request, and a slow
   * spell of the host falls on both in the same milliseconds. Measured in
   * turns, 8 s apart, the same two servers' per-round ratios spread from 0.6
   * to 1.6 on these machines (docs/performance.md).
   *
   * Only fair between two builds of the same program: two processes sharing a
   * core also share its caches, which costs a large program more than a small
   * one, so bare Fastify is never compared this way. The absolute figures are
   * lower than in turns (the core is shared); only the ratio is used.
   *
   * A warm-up of both at once, then `runs` runs; which load generator starts
   * first alternates. Returns, per run, b's req/s divided by a's, and both
   * sides' figures.
   */
  async measureSideBySide(a: Subject, b: Subject, runs: number, label: string): Promise<SideBySideRun[]> {
    await Promise.all([this.load(a, settings.warmupSeconds), this.load(b, settings.warmupSeconds)]);
    const results: SideBySideRun[] = [];
    for (let run = 1; run <= runs; run++) {
      const [resultA, resultB] =
        run % 2 === 1
          ? await Promise.all([this.measuredLoad(a, settings.durationSeconds), this.measuredLoad(b, settings.durationSeconds)])
          : (await Promise.all([this.measuredLoad(b, settings.durationSeconds), this.measuredLoad(a, settings.durationSeconds)])).reverse();
      const entry: SideBySideRun = { ratio: round(resultB.requestsPerSecond / resultA.requestsPerSecond, 3), a: resultA, b: resultB };
      results.push(entry);
      process.stdout.write(
        `  ${label}, run ${run}/${runs}: ${a.name} ${resultA.requestsPerSecond} req/s (${resultA.serverCpuMicrosecondsPerRequest} µs CPU/req), ` +
          `${b.name} ${resultB.requestsPerSecond} req/s (${resultB.serverCpuMicrosecondsPerRequest} µs CPU/req) → ${entry.ratio}\n`,
      );
    }
    return results;
  }

  /** One load of `subject`, with the server CPU time it cost per request (read from /proc before and after). */
  private async measuredLoad(subject: Subject, durationSeconds: number): Promise<MeasuredLoad> {
    const cpuBefore = subject.server.cpuMicroseconds();
    const result = await this.load(subject, durationSeconds);
    const cpuAfter = subject.server.cpuMicroseconds();
    const serverCpuMicrosecondsPerRequest =
      cpuBefore !== undefined && cpuAfter !== undefined && result.requests > 0
        ? round((cpuAfter - cpuBefore) / result.requests, 1)
        : undefined;
    return { ...result, serverCpuMicrosecondsPerRequest };
  }

  private load(subject: Subject, durationSeconds: number): Promise<LoadResult> {
    const url = `http://127.0.0.1:${subject.server.port}${subject.path}`;
    const { headers, method, body } = subject;
    return autocannon(this.pin.load, url, { connections: settings.connections, durationSeconds, headers, method, body });
  }

  /** Starts a server on the server core, or with `pinned: false` where the kernel puts it (a helper process whose CPU is not measured). */
  async start(nodeArgs: string[], env: Record<string, string>, readyPath: string, pinned = true): Promise<Server> {
    const server = Server.spawn(pinned ? this.pin.server : [], nodeArgs, env, await freePort(), this.logFile);
    try {
      await server.waitFor200(readyPath);
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}; see ${this.logFile}`, { cause: error });
    }
    return server;
  }

  /** Runs `fn` with all these servers started (one after the other), always stopping them. */
  async withAll<T>(
    specs: { nodeArgs: string[]; env: Record<string, string>; readyPath: string; pinned?: boolean }[],
    fn: (servers: Server[]) => Promise<T>,
  ): Promise<T> {
    const servers: Server[] = [];
    try {
      for (const spec of specs) servers.push(await this.start(spec.nodeArgs, spec.env, spec.readyPath, spec.pinned));
      return await fn(servers);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  }

  /** Runs `fn` with a started server, always stopping it. */
  with<T>(nodeArgs: string[], env: Record<string, string>, readyPath: string, fn: (server: Server) => Promise<T>): Promise<T> {
    return this.withAll([{ nodeArgs, env, readyPath }], ([server]) => fn(server));
  }
}
