// Validates every workflow in .github/workflows offline against GitHub's workflow schema, with the
// parser GitHub publishes (@actions/workflow-parser), and converts each to a workflow template so
// that job and step errors (needs, matrix, expressions) are reported too. Prints every error and
// exits 1 if there is any. Run by .ci/run: `npx tsx deploy/check-workflows.ts`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';

const WORKFLOWS_DIR = join(import.meta.dirname, '..', '.github', 'workflows');

async function problemsOf(file: string): Promise<string[]> {
  const result = parseWorkflow(
    { name: file, content: readFileSync(join(WORKFLOWS_DIR, file), 'utf8') },
    new NoOperationTraceWriter(),
  );
  const problems = result.context.errors.getErrors().map((error) => error.message);
  if (result.value === undefined) return problems.length > 0 ? problems : ['the file holds no workflow'];
  const template = await convertWorkflowTemplate(result.context, result.value);
  problems.push(...(template.errors ?? []).map((error) => error.Message));
  if (problems.length === 0 && (template.jobs ?? []).length === 0) problems.push('the workflow has no jobs');
  return [...new Set(problems)];
}

const files = readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file));
let count = 0;
for (const file of files) {
  const problems = await problemsOf(file);
  count += problems.length;
  for (const problem of problems) process.stderr.write(`${file}: ${problem}\n`);
}
if (files.length === 0 || count > 0) {
  process.stderr.write(`workflows: ${files.length === 0 ? 'none found' : `${count} problem(s)`}\n`);
  process.exit(1);
}
process.stdout.write(`workflows: ${files.join(', ')} validate against GitHub's workflow schema\n`);
