import { OutageState } from './outage-state';

describe('OutageState', () => {
  it('reports the first failure of an outage and its end, once each', () => {
    const seen: string[] = [];
    const outage = new OutageState(
      (error) => seen.push(`down ${(error as Error).message}`),
      () => seen.push('up'),
    );
    outage.up();
    outage.down(new Error('refused'));
    outage.down(new Error('refused again'));
    outage.up();
    outage.up();
    outage.down(new Error('second outage'));
    expect(seen).toEqual(['down refused', 'up', 'down second outage']);
  });
});
