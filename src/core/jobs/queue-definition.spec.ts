import { IsString } from 'class-validator';
import { InvalidJobPayloadError } from './invalid-job-payload.error';
import { validatedPayload } from './job-payload';
import { defineQueue } from './queue-definition';
import { queueSettings } from './queue-settings';
import { loadConfig } from '../settings/load-config';

class MailDto {
  @IsString()
  to!: string;
}

describe('defineQueue', () => {
  it('refuses a name BullMQ cannot use', () => {
    expect(() => defineQueue({ name: 'mail:out', payload: MailDto })).toThrow(/queue name "mail:out"/);
    expect(() => defineQueue({ name: '', payload: MailDto })).toThrow(/queue name/);
  });

  it('takes each unset default from the JOBS_* settings', () => {
    const queue = defineQueue({ name: 'mail', payload: MailDto, defaults: { attempts: 9, rateLimit: { max: 10, durationSeconds: 1 } } });
    expect(queueSettings(queue, loadConfig({ JOBS_TIMEOUT_SECONDS: '30' }))).toEqual({
      name: 'mail',
      attempts: 9,
      backoffSeconds: 1,
      timeoutSeconds: 30,
      concurrency: 5,
      rateLimit: { max: 10, durationSeconds: 1 },
      keepFailed: undefined,
      keepCompleted: 1000,
    });
  });

  it('validates a payload against the DTO, refusing unknown properties and naming the fields', () => {
    const queue = defineQueue({ name: 'mail', payload: MailDto });
    expect(validatedPayload(queue, { to: 'a@example.com' })).toBeInstanceOf(MailDto);
    let error: unknown;
    try {
      validatedPayload(queue, { cc: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect((error as InvalidJobPayloadError).problem).toMatchObject({
      status: 400,
      detail: 'invalid payload for queue "mail": 2 invalid fields: body #/cc, body #/to',
    });
  });
});
