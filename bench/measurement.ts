/** What one measurement holds, how subjects compare, and the table the bench prints. */
import { type LoadResult, type Server, median } from './support';

export interface Measurement {
  name: string;
  path: string;
  runs: (MeasuredLoad & { loadAverageBefore: number[] })[];
  requestsPerSecond: number;
  /** Server CPU time per request (median of the runs), µs. */
  serverCpuMicrosecondsPerRequest?: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
  rssAfterLoadMb?: number;
  /** Median over the rounds of this subject's req/s divided by bare Fastify's in the same round. */
  ratioToBareFastify?: number;
  /**
   * Median over the rounds of bare Fastify's server CPU µs per request divided by this
   * subject's in the same round: 1 costs what bare Fastify costs, 0.4 costs 2.5 times as much.
   */
  cpuEfficiencyToBareFastify?: number;
  notes?: string;
}

/** One load's figures and the server CPU time it cost per request, µs (undefined where /proc is not readable). */
export type MeasuredLoad = LoadResult & { serverCpuMicrosecondsPerRequest?: number };

/** One run of two servers loaded at the same time (see {@link Bench.measureSideBySide}). */
export interface SideBySideRun {
  /** b's req/s divided by a's, in this run. */
  ratio: number;
  a: MeasuredLoad;
  b: MeasuredLoad;
}

/** A server under load: what is requested from it, with which headers. */
export interface Subject {
  name: string;
  server: Server;
  path: string;
  headers: Record<string, string>;
  /** Default GET; with a method, every request carries a fresh Idempotency-Key (and `body`). */
  method?: string;
  body?: string;
}

/** The medians of a subject's runs; errors and non-2xx summed over the runs. */
export function summarize(subject: Subject, runs: Measurement['runs'], rssAfterLoadMb: number | undefined): Measurement {
  process.stdout.write(`  ${subject.name}: RSS after load ${rssAfterLoadMb} MB\n`);
  return {
    name: subject.name,
    path: subject.path,
    runs,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    serverCpuMicrosecondsPerRequest: median(runs.map((r) => r.serverCpuMicrosecondsPerRequest ?? NaN)),
    latencyP50Ms: median(runs.map((r) => r.latencyP50Ms)),
    latencyP99Ms: median(runs.map((r) => r.latencyP99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    rssAfterLoadMb,
  };
}

/**
 * The ratio of two subjects measured in the same rounds: the median over the
 * rounds of a's req/s divided by b's req/s in that round. Each round's pair was
 * measured seconds apart, so a slow spell of the machine cancels out; the ratio
 * of the two medians would mix runs from different moments.
 */
export function pairedRatio(a: Measurement, b: Measurement): number {
  return round(median(perRoundRatios(a, b)), 3);
}

/** a's req/s divided by b's req/s, round by round (the same rounds: see {@link Bench.measureInRounds}). */
export function perRoundRatios(a: Measurement, b: Measurement): number[] {
  return a.runs.map((run, i) => run.requestsPerSecond / b.runs[i].requestsPerSecond);
}

/**
 * b's server CPU per request divided by a's, round by round: how many times
 * cheaper than a the reference b is. The headline figure: a req/s ratio
 * flatters a costly server whenever the load generator, not the server, limits
 * the cheap one.
 */
export function perRoundCpuEfficiency(a: Measurement, b: Measurement): number[] {
  return a.runs.map((run, i) => (b.runs[i].serverCpuMicrosecondsPerRequest ?? NaN) / (run.serverCpuMicrosecondsPerRequest ?? NaN));
}

/** Errors, timeouts and non-2xx answers of one load. */
export function failures(result: LoadResult): number {
  return result.errors + result.timeouts + result.non2xx;
}

export function target(name: string, value: string, met: boolean) {
  return { name, value, met };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function printTable(rows: Measurement[]): void {
  console.log(
    '\n| Scenario | server CPU µs/req | CPU efficiency (bare ÷ this) | req/s (median) | req/s × bare | p50 ms | p99 ms | errors | non-2xx | RSS after load MB |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.serverCpuMicrosecondsPerRequest} | ${r.cpuEfficiencyToBareFastify ?? ''} | ${r.requestsPerSecond} | ${r.ratioToBareFastify ?? ''} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.errors} | ${r.non2xx} | ${r.rssAfterLoadMb ?? ''} |`,
    );
  }
}
