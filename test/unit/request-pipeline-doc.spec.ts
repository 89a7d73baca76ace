import { readFileSync } from 'node:fs';
import { documentedPipelineSection, PIPELINE_DOC_PATH, renderPipelineSection } from '../../scripts/request-pipeline-doc';

describe('docs/request-pipeline.md', () => {
  it('lists the layers of src/core/bootstrap/pipeline.ts, per phase, in their order (npm run docs:pipeline rewrites it)', () => {
    expect(documentedPipelineSection(readFileSync(PIPELINE_DOC_PATH, 'utf8'))).toBe(renderPipelineSection());
  });
});
