import { jobRequestContext } from './job-request-context';

describe('jobRequestContext', () => {
  const signal = new AbortController().signal;

  it('is undefined for a job with neither tenant nor subject (it runs outside any request context)', () => {
    expect(jobRequestContext({ requestId: 'r', correlationId: 'c' }, 'job-1', signal)).toBeUndefined();
  });

  it("restores the enqueuing request's ids, tenant and subject, with the attempt's signal", () => {
    expect(jobRequestContext({ requestId: 'r', correlationId: 'c', tenantId: 'acme', subject: 'alice' }, 'job-1', signal)).toEqual({
      requestId: 'r',
      correlationId: 'c',
      tenantId: 'acme',
      subject: 'alice',
      signal,
    });
  });

  it('stands the job id in for missing request ids', () => {
    expect(jobRequestContext({ tenantId: 'acme' }, 'job-1', signal)).toMatchObject({ requestId: 'job-1', correlationId: 'job-1' });
  });
});
