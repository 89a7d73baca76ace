import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { createCircuitBreakerMetrics } from './circuit-breaker.metrics';
import { CircuitOpenError } from './circuit-open.error';
import { DependencyBreaker } from './dependency-breaker';
import { DependencyBreakers } from './dependency-breakers';

const settings = (overrides: Partial<AppConfig['circuitBreaker']> = {}): AppConfig['circuitBreaker'] => ({
  enabled: true,
  failures: 2,
  halfOpenAfterSeconds: 0.1,
  ...overrides,
});

function makeBreaker(config = settings(), isFailure?: (error: unknown) => boolean) {
  const registry = new Registry();
  const warnings: unknown[] = [];
  const breaker = new DependencyBreaker(
    'redis',
    config,
    createCircuitBreakerMetrics(registry),
    { warn: (fields: unknown) => warnings.push(fields) },
    isFailure,
  );
  const gauge = async () => (await registry.getSingleMetric('dependency_circuit_state')?.get())?.values[0]?.value;
  return { breaker, warnings, gauge, registry };
}

const fail = () => Promise.reject(new Error('down'));
const succeed = () => Promise.resolve('up');

describe('DependencyBreaker', () => {
  it('opens after the configured consecutive failures, then fails at once without calling', async () => {
    const { breaker, warnings, gauge } = makeBreaker();
    expect(await gauge()).toBe(0);
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
    expect(await gauge()).toBe(2);
    let called = false;
    await expect(
      breaker.execute(() => {
        called = true;
        return succeed();
      }),
    ).rejects.toBeInstanceOf(CircuitOpenError);
    expect(called).toBe(false);
    expect(warnings).toEqual([{ dependency: 'redis', state: 'open' }]);
  });

  it('a success in between resets the count', async () => {
    const { breaker } = makeBreaker();
    await expect(breaker.execute(fail)).rejects.toThrow();
    await breaker.execute(succeed);
    await expect(breaker.execute(fail)).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('lets one probe through after the half-open delay: calls meanwhile fail at once; its success closes the circuit', async () => {
    const { breaker, warnings, gauge } = makeBreaker();
    for (let i = 0; i < 2; i++) await expect(breaker.execute(fail)).rejects.toThrow();
    await sleep(150);
    let answer!: (value: string) => void;
    const probe = breaker.execute(() => new Promise<string>((resolve) => (answer = resolve)));
    expect(breaker.state).toBe('half_open');
    expect(await gauge()).toBe(1);
    await expect(breaker.execute(succeed)).rejects.toBeInstanceOf(CircuitOpenError);
    answer('up');
    await expect(probe).resolves.toBe('up');
    expect(breaker.state).toBe('closed');
    expect(warnings.map((w) => (w as { state: string }).state)).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed probe opens the circuit again', async () => {
    const { breaker } = makeBreaker();
    for (let i = 0; i < 2; i++) await expect(breaker.execute(fail)).rejects.toThrow();
    await sleep(150);
    await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('open');
  });

  it('errors the predicate does not count pass through without opening the circuit', async () => {
    const { breaker } = makeBreaker(settings(), (error) => (error as Error).message !== 'bad query');
    for (let i = 0; i < 5; i++) await expect(breaker.execute(() => Promise.reject(new Error('bad query')))).rejects.toThrow('bad query');
    expect(breaker.state).toBe('closed');
  });

  it('calls straight through when disabled', async () => {
    const { breaker } = makeBreaker(settings({ enabled: false }));
    for (let i = 0; i < 5; i++) await expect(breaker.execute(fail)).rejects.toThrow('down');
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(succeed)).resolves.toBe('up');
  });
});

describe('DependencyBreakers', () => {
  it('gives one breaker per dependency, and counts only database faults for the database', async () => {
    const registry = new Registry();
    const breakers = new DependencyBreakers({ circuitBreaker: settings() } as AppConfig, registry);
    expect(breakers.for('redis')).toBe(breakers.for('redis'));
    const database = breakers.for('database');
    // Not from the database layer (a bug): never counted.
    for (let i = 0; i < 3; i++) await expect(database.execute(fail)).rejects.toThrow('down');
    expect(database.state).toBe('closed');
    const transitions = await registry.getSingleMetric('dependency_circuit_transitions_total')?.get();
    expect(transitions?.values).toEqual([]);
  });
});
