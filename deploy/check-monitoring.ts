// Checks the monitoring kit in ops/ offline (`npm run ops:check`, run by .ci/run): promtool checks
// the Prometheus configurations and the rule files and runs the rule unit tests; then every alert
// must have a `for`, a severity, its annotations, a runbook section in docs/observability.md and a
// test case firing and one not firing; the Grafana dashboard must be well formed, query through its
// data source variable, and read only metrics the services define (or recording rules). Whether each
// expression returns data from the real stack is e2e/test/prometheus.test.ts's part. Prints every
// problem and exits 1 if there is any.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import {
  createMetricNameCheck,
  DASHBOARD_PATH,
  listPanels,
  listRuleFiles,
  listRuleTestFiles,
  metricNamesIn,
  OPS_DIRECTORY,
  readAlertingRules,
  readDashboard,
  readRecordingRules,
  readRules,
  REPOSITORY_ROOT,
  type Dashboard,
} from './monitoring-kit.js';

/** The Prometheus configurations: prometheus.yml (this machine), prometheus-compose.yml, prometheus-kubernetes.yml. */
const CONFIGURATIONS = readdirSync(join(OPS_DIRECTORY, 'prometheus'))
  .filter((name) => /^prometheus.*\.yml$/.test(name))
  .map((name) => join(OPS_DIRECTORY, 'prometheus', name));
const RUNBOOK_PATH = join(REPOSITORY_ROOT, 'docs/observability.md');
const SEVERITIES = new Set(['critical', 'warning']);
const DATASOURCE_UID = '${datasource}';

const shown = (path: string) => relative(REPOSITORY_ROOT, path);

/** Runs promtool; a failure is a problem carrying promtool's own output. */
function runPromtool(args: string[]): string[] {
  try {
    execFileSync('promtool', args, { cwd: REPOSITORY_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    process.stdout.write(`promtool ${args.map((arg) => (arg.startsWith('/') ? shown(arg) : arg)).join(' ')}: ok\n`);
    return [];
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    if ((error as { code?: string }).code === 'ENOENT') {
      return ['promtool is not installed: it comes with Prometheus (apt-get install -y prometheus)'];
    }
    return [`promtool ${args.join(' ')} failed:\n${`${stdout}${stderr}`.trim() || message}`];
  }
}

interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

/** Every alert has a `for`, a severity, a summary, a description, a runbook and firing and quiet test cases. */
function checkAlerts(): string[] {
  const problems: string[] = [];
  if (!existsSync(RUNBOOK_PATH)) problems.push('docs/observability.md, where the runbooks are, is missing');
  const runbook = existsSync(RUNBOOK_PATH) ? readFileSync(RUNBOOK_PATH, 'utf8') : '';
  const cases = listRuleTestFiles().flatMap((path) =>
    (parse(readFileSync(path, 'utf8')) as RuleTestFile).tests.flatMap((test) => test.alert_rule_test ?? []),
  );
  for (const alert of readAlertingRules()) {
    const name = alert.alert;
    if (!alert.for) problems.push(`alert ${name} has no "for": one bad scrape would page someone`);
    if (!SEVERITIES.has(alert.labels?.severity ?? '')) problems.push(`alert ${name}: severity must be critical or warning`);
    for (const annotation of ['summary', 'description', 'runbook_url']) {
      if (!alert.annotations?.[annotation]) problems.push(`alert ${name} has no ${annotation} annotation`);
    }
    const anchor = name.toLowerCase();
    if (alert.annotations?.runbook_url !== `docs/observability.md#${anchor}`) {
      problems.push(`alert ${name}: runbook_url must be docs/observability.md#${anchor}`);
    }
    if (!new RegExp(`^### ${name}$`, 'm').test(runbook))
      problems.push(`alert ${name} has no "### ${name}" runbook section in docs/observability.md`);
    const own = cases.filter((testCase) => testCase.alertname === name);
    if (!own.some((testCase) => (testCase.exp_alerts ?? []).length > 0))
      problems.push(`alert ${name} has no test case where it fires`);
    if (!own.some((testCase) => (testCase.exp_alerts ?? []).length === 0))
      problems.push(`alert ${name} has no test case where it stays quiet`);
  }
  return problems;
}

/** The dashboard's shape: a Prometheus data source variable every query goes through, unique ids, a 24-column grid. */
function checkDashboardShape(dashboard: Dashboard): string[] {
  const problems: string[] = [];
  if (!dashboard.uid || !dashboard.title) problems.push('the dashboard needs a uid and a title');
  if (!(dashboard.schemaVersion >= 36))
    problems.push(`schemaVersion ${dashboard.schemaVersion} is older than Grafana 9 reads without migrating`);
  const datasource = dashboard.templating.list.find((variable) => variable.name === 'datasource');
  if (datasource?.type !== 'datasource' || datasource.query !== 'prometheus') {
    problems.push('the dashboard needs a "datasource" variable of type datasource, query prometheus');
  }
  const ids = new Set<number>();
  for (const panel of listPanels(dashboard)) {
    const name = `panel "${panel.title}"`;
    if (ids.has(panel.id)) problems.push(`${name}: id ${panel.id} is used twice`);
    ids.add(panel.id);
    const grid = panel.gridPos;
    if (!grid || grid.x < 0 || grid.w < 1 || grid.x + grid.w > 24 || grid.h < 1)
      problems.push(`${name}: gridPos must fit the 24-column grid`);
    if (panel.type === 'row') continue;
    if (panel.datasource?.uid !== DATASOURCE_UID) problems.push(`${name}: its datasource must be ${DATASOURCE_UID}`);
    const targets = panel.targets ?? [];
    if (targets.length === 0) problems.push(`${name} has no query`);
    const refIds = new Set<string>();
    for (const target of targets) {
      if (refIds.has(target.refId)) problems.push(`${name}: refId ${target.refId} is used twice`);
      refIds.add(target.refId);
      if (!target.expr?.trim()) problems.push(`${name}: query ${target.refId} has no expression`);
      if (target.datasource && target.datasource.uid !== DATASOURCE_UID)
        problems.push(`${name}: query ${target.refId} must use ${DATASOURCE_UID}`);
    }
  }
  return problems;
}

/** Every metric a rule or a panel reads is one a service defines, a default metric, `up`, or a recording rule. */
function checkMetricNames(dashboard: Dashboard): string[] {
  const isKnown = createMetricNameCheck(readRecordingRules().map((rule) => rule.record));
  const expressions = [
    ...readRules().map((rule) => ({ where: `rule ${rule.record ?? rule.alert}`, expr: rule.expr })),
    ...listPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}" query ${target.refId}`, expr: target.expr ?? '' })),
    ),
  ];
  return expressions.flatMap(({ where, expr }) =>
    metricNamesIn(expr)
      .filter((name) => !isKnown(name))
      .map((name) => `${where} reads ${name}, which no service defines (nor a recording rule)`),
  );
}

const problems = [
  ...CONFIGURATIONS.flatMap((path) => runPromtool(['check', 'config', path])),
  ...runPromtool(['check', 'rules', ...listRuleFiles()]),
  ...runPromtool(['test', 'rules', ...listRuleTestFiles()]),
  ...checkAlerts(),
];
const dashboard = readDashboard();
problems.push(...checkDashboardShape(dashboard).map((problem) => `${shown(DASHBOARD_PATH)}: ${problem}`));
problems.push(...checkMetricNames(dashboard));
if (problems.length > 0) {
  process.stderr.write(`Monitoring kit (ops/): ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `Monitoring kit (ops/): ${readAlertingRules().length} alerts tested, ${readRecordingRules().length} recording rules, ` +
    `${listPanels(dashboard).length} dashboard panels check out\n`,
);
