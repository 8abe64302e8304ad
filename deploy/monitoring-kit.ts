// The monitoring kit in ops/ as data: its rule files, its alerts, the expressions of the Grafana
// dashboard, and the metric names the services define. deploy/check-monitoring.ts checks the kit with
// these; the end-to-end test (e2e/test/prometheus.test.ts) evaluates the same expressions against a
// real Prometheus scraping the stack.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OPS_DIRECTORY = join(REPOSITORY_ROOT, 'ops');
export const RULES_DIRECTORY = join(OPS_DIRECTORY, 'prometheus/rules');
export const RULE_TESTS_DIRECTORY = join(OPS_DIRECTORY, 'prometheus/tests');
export const DASHBOARD_PATH = join(OPS_DIRECTORY, 'grafana/supergraph.json');

/** One rule of a Prometheus rule file: a recording rule (`record`) or an alert (`alert`). */
export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}

/** The rule files in ops/prometheus/rules, by path. */
export function listRuleFiles(): string[] {
  return readdirSync(RULES_DIRECTORY)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(RULES_DIRECTORY, name));
}

/** The rule test files in ops/prometheus/tests, by path. */
export function listRuleTestFiles(): string[] {
  return readdirSync(RULE_TESTS_DIRECTORY)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(RULE_TESTS_DIRECTORY, name));
}

/** Every rule of every rule file. */
export function readRules(): Rule[] {
  return listRuleFiles().flatMap((path) =>
    (parse(readFileSync(path, 'utf8')) as RuleFile).groups.flatMap((group) => group.rules),
  );
}

/** The recording rules: what the e2e test requires a result of. */
export function readRecordingRules(): (Rule & { record: string })[] {
  return readRules().filter((rule): rule is Rule & { record: string } => typeof rule.record === 'string');
}

export function readAlertingRules(): (Rule & { alert: string })[] {
  return readRules().filter((rule): rule is Rule & { alert: string } => typeof rule.alert === 'string');
}

/** A Grafana panel as far as the kit cares: where it is and what it queries. */
export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: { refId: string; expr?: string; datasource?: { type?: string; uid?: string } }[];
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query?: unknown; allValue?: string }[] };
  panels: DashboardPanel[];
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as Dashboard;
}

/** Every panel, those inside collapsed rows included. */
export function listPanels(dashboard: Dashboard): DashboardPanel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** One query of a panel: which panel, and its PromQL as Grafana would send it before substitution. */
export interface PanelQuery {
  panel: string;
  refId: string;
  expr: string;
}

export function listPanelQueries(dashboard: Dashboard): PanelQuery[] {
  return listPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ panel: panel.title, refId: target.refId, expr: target.expr ?? '' })),
  );
}

/**
 * A panel's expression as Prometheus gets it from Grafana: `$__rate_interval` as `rateInterval`, and
 * each template variable as its "All" value (a regular expression matching every value).
 */
export function substituteDashboardVariables(expr: string, dashboard: Dashboard, rateInterval: string): string {
  let substituted = expr.replaceAll('$__rate_interval', rateInterval).replaceAll('${__rate_interval}', rateInterval);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query') continue;
    const value = variable.allValue ?? '.+';
    substituted = substituted.replaceAll(`\${${variable.name}}`, value).replaceAll(`$${variable.name}`, value);
  }
  return substituted;
}

const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names an expression reads (recording rule names included): what is left of the
 * identifiers once strings, label matchers, ranges, grouping clauses and function calls are taken out.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:]|\s*\()/g)) {
    const name = match[1]!;
    if (!PROMQL_KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Series every Node service exports through prom-client's default metrics, and those Prometheus makes itself. */
const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'];
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

function listTypeScriptFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return listTypeScriptFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The metric names the services define: every `name: '...'` in a source file that imports
 * prom-client (server-kit's shared metrics, the router's, the checkout's...), with the `_bucket`,
 * `_count` and `_sum` series of each (a histogram's; harmless for the others).
 */
export function readDefinedMetricNames(): Set<string> {
  const sourceDirectories = ['router/src', 'packages', 'subgraphs']
    .map((path) => join(REPOSITORY_ROOT, path))
    .flatMap((path) =>
      path.endsWith('router/src')
        ? [path]
        : readdirSync(path)
            .map((name) => join(path, name, 'src'))
            .filter((candidate) => statSync(candidate, { throwIfNoEntry: false })?.isDirectory()),
    );
  const names = new Set<string>();
  for (const file of sourceDirectories.flatMap(listTypeScriptFiles)) {
    const source = readFileSync(file, 'utf8');
    if (!source.includes("from 'prom-client'")) continue;
    for (const match of source.matchAll(/\bname:\s*'([a-z_:][a-z0-9_:]*)'/g)) {
      const name = match[1]!;
      for (const suffix of ['', '_bucket', '_count', '_sum']) names.add(name + suffix);
    }
  }
  return names;
}

/** Whether `name` is a series Prometheus will have: defined by a service, a default metric, `up`, or a recording rule. */
export function createMetricNameCheck(recordedNames: Iterable<string>): (name: string) => boolean {
  const defined = readDefinedMetricNames();
  const recorded = new Set(recordedNames);
  return (name) =>
    defined.has(name) ||
    recorded.has(name) ||
    PROMETHEUS_SERIES.has(name) ||
    DEFAULT_METRIC_PREFIXES.some((prefix) => name.startsWith(prefix));
}
