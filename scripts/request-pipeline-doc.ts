import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FASTIFY_PHASES, FASTIFY_PIPELINE, NEST_PIPELINE, type PipelineStep } from '../src/core/bootstrap/pipeline';

/** The generated part of docs/request-pipeline.md sits between these two lines. */
export const PIPELINE_DOC_START = '<!-- pipeline:start (generated from src/core/bootstrap/pipeline.ts by `npm run docs:pipeline`) -->';
export const PIPELINE_DOC_END = '<!-- pipeline:end -->';

export const PIPELINE_DOC_PATH = join(__dirname, '..', 'docs', 'request-pipeline.md');

/** The lists of src/core/bootstrap/pipeline.ts as markdown: one numbered list per phase, then Nest's part. */
export function renderPipelineSection(): string {
  const lines: string[] = [];
  const list = (steps: readonly PipelineStep[]) => steps.forEach((step, i) => lines.push(`${i + 1}. **${step.name}**: ${step.why}.`));
  for (const phase of FASTIFY_PHASES) {
    if (phase === 'onSend') {
      lines.push('#### Nest (guards, interceptors, pipe, handler, filter)', '');
      list(NEST_PIPELINE);
      lines.push('');
    }
    const steps = FASTIFY_PIPELINE[phase];
    lines.push(`#### \`${phase}\``, '');
    if (steps.length === 0) lines.push('(none)');
    list(steps);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

/** The generated section as it stands in the doc now (undefined when the markers are missing). */
export function documentedPipelineSection(text: string): string | undefined {
  const start = text.indexOf(PIPELINE_DOC_START);
  const end = text.indexOf(PIPELINE_DOC_END);
  if (start < 0 || end < start) return undefined;
  return text.slice(start + PIPELINE_DOC_START.length, end).trim();
}

function main(): void {
  const text = readFileSync(PIPELINE_DOC_PATH, 'utf8');
  if (documentedPipelineSection(text) === undefined)
    throw new Error(`${PIPELINE_DOC_PATH} has no ${PIPELINE_DOC_START} ... ${PIPELINE_DOC_END} section`);
  const start = text.indexOf(PIPELINE_DOC_START) + PIPELINE_DOC_START.length;
  const end = text.indexOf(PIPELINE_DOC_END);
  writeFileSync(PIPELINE_DOC_PATH, `${text.slice(0, start)}\n\n${renderPipelineSection()}\n\n${text.slice(end)}`);
}

if (require.main === module) main();
