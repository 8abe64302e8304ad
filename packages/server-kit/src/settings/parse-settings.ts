import type { z } from 'zod';

/** Raised when settings do not validate; the message names every bad variable. */
export class InvalidSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidSettingsError';
  }
}

/**
 * Validates environment variables against a zod schema. Packages call this from their own env.ts,
 * the one place that reads process.env, and get back a typed settings object.
 */
export function parseSettings<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
): z.output<TSchema> {
  return parseSettingGroups({ settings: schema }, source).settings;
}

/** Several schemas read from the same variables, by group name. */
export type SettingGroups = Record<string, z.ZodType>;

/** Each group's parsed settings, by group name. */
export type ParsedSettingGroups<TGroups extends SettingGroups> = { [Group in keyof TGroups]: z.output<TGroups[Group]> };

/**
 * Validates the same variables against several schemas (a service's common settings and those of
 * one of its domains) and reports the problems of every group at once, so that fixing one bad
 * variable never reveals another only on the next start.
 */
export function parseSettingGroups<TGroups extends SettingGroups>(
  groups: TGroups,
  source: Record<string, string | undefined>,
): ParsedSettingGroups<TGroups> {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [group, schema] of Object.entries(groups)) {
    const result = schema.safeParse(source);
    if (result.success) parsed[group] = result.data;
    else problems.push(...result.error.issues.map((issue) => describeIssue(issue, source)));
  }
  if (problems.length > 0) throw new InvalidSettingsError([...new Set(problems)]);
  return parsed as ParsedSettingGroups<TGroups>;
}

function describeIssue(issue: z.core.$ZodIssue, source: Record<string, string | undefined>): string {
  const variable = issue.path.map(String).join('.') || '(settings)';
  const value = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
  return `${variable}: ${issue.message}${value === undefined ? '' : ` (got ${describeValue(variable, value)})`}`;
}

const SECRET_VARIABLE = /SECRET|PASSWORD|PRIVATE_KEY|TOKEN/;

/** A rejected value as an error message may show it: never a secret, never a URL's password. */
function describeValue(variable: string, value: string): string {
  if (SECRET_VARIABLE.test(variable)) return `a value of ${value.length} characters`;
  if (/_URL$/.test(variable)) {
    try {
      const url = new URL(value);
      if (url.password) url.password = '***';
      return JSON.stringify(url.toString());
    } catch {
      return JSON.stringify(value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@'));
    }
  }
  return JSON.stringify(value);
}

/** Like parseSettings, but prints the problems and stops the process: for entry points. */
export function loadSettingsOrExit<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined>,
): z.output<TSchema> {
  return loadSettingGroupsOrExit({ settings: schema }, source).settings;
}

/** Like parseSettingGroups, but prints every group's problems and stops the process: for entry points. */
export function loadSettingGroupsOrExit<TGroups extends SettingGroups>(
  groups: TGroups,
  source: Record<string, string | undefined>,
): ParsedSettingGroups<TGroups> {
  try {
    return parseSettingGroups(groups, source);
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
