import { createSampler } from './sampler';

describe('createSampler', () => {
  it('builds the sampler named by OTEL_TRACES_SAMPLER, with the ratio of OTEL_TRACES_SAMPLER_ARG', () => {
    expect(createSampler({ sampler: 'parentbased_traceidratio', samplerArg: 0.25 }).toString()).toBe(
      'ParentBased{root=TraceIdRatioBased{0.25}, remoteParentSampled=AlwaysOnSampler, remoteParentNotSampled=AlwaysOffSampler, localParentSampled=AlwaysOnSampler, localParentNotSampled=AlwaysOffSampler}',
    );
    expect(createSampler({ sampler: 'always_off', samplerArg: 1 }).toString()).toBe('AlwaysOffSampler');
    expect(createSampler({ sampler: 'always_on', samplerArg: 1 }).toString()).toBe('AlwaysOnSampler');
    expect(createSampler({ sampler: 'traceidratio', samplerArg: 0.5 }).toString()).toBe('TraceIdRatioBased{0.5}');
    expect(createSampler({ sampler: 'parentbased_always_on', samplerArg: 1 }).toString()).toMatch(/^ParentBased\{root=AlwaysOnSampler/);
    expect(createSampler({ sampler: 'parentbased_always_off', samplerArg: 1 }).toString()).toMatch(/^ParentBased\{root=AlwaysOffSampler/);
  });
});
