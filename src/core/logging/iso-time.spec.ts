import pino from 'pino';
import { cachedIsoTime } from './iso-time';

describe('cachedIsoTime', () => {
  afterEach(() => jest.useRealTimers());

  it('writes what pino.stdTimeFunctions.isoTime writes, millisecond by millisecond', () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T20:48:53.985Z') });
    const isoTime = cachedIsoTime();
    for (let step = 0; step < 5; step++) {
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
      expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime()); // same millisecond: the cached value
      jest.advanceTimersByTime(1);
    }
    expect(isoTime()).toBe(',"time":"2026-11-21T20:48:53.990Z"');
  });

  it('follows the clock when it moves backwards (NTP step)', () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T20:48:53.985Z') });
    const isoTime = cachedIsoTime();
    isoTime();
    jest.setSystemTime(new Date('2026-11-21T20:48:50.000Z'));
    expect(isoTime()).toBe(',"time":"2026-11-21T20:48:50.000Z"');
  });
});
