import * as bullmq from 'bullmq';
import { Backoffs, UnrecoverableError } from './bullmq-standalone';

describe('BullMQ classes loaded without BullMQ’s index', () => {
  it('are the classes BullMQ exports (a BullMQ release that moves their files fails here)', () => {
    expect(Backoffs).toBe(bullmq.Backoffs);
    expect(UnrecoverableError).toBe(bullmq.UnrecoverableError);
  });

  it('compute BullMQ’s exponential back-off and make an error BullMQ does not retry', async () => {
    expect(await Backoffs.calculate({ type: 'exponential', delay: 100 }, 3, new Error('x'), {} as never)).toBe(400);
    const error = new UnrecoverableError('stop');
    expect(error).toBeInstanceOf(bullmq.UnrecoverableError);
    expect(error.name).toBe('UnrecoverableError');
  });
});
