// graphql-shield 7.6.5 (its latest release) imports `isUndefined` from Node's `util`, which Node 23
// removed: unpatched, its ES module does not load on Node 24 and its CommonJS build throws when a
// chain() or race() rule runs. patches/graphql-shield+7.6.5.patch, applied by patch-package at
// install (decision 029), replaces it. These tests fail when the patch stops applying: the installed
// version moved away from the patch's, the util import is back, or either build cannot run the rules
// that called it on the Node this suite runs on (CI runs it on every supported version).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const PATCHES_DIR = join(REPO_ROOT, 'patches');
const shieldDir = dirname(require.resolve('graphql-shield/package.json'));

type Verdict = boolean | Error;
interface LogicRule {
  resolve(parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo, options: unknown): Promise<Verdict>;
}
interface ShieldRules {
  allow: LogicRule;
  deny: LogicRule;
  chain: (...rules: LogicRule[]) => LogicRule;
  race: (...rules: LogicRule[]) => LogicRule;
}

/** What chain() and race() answer; both walk their rules with the helper the patch replaces. */
async function verdicts({ allow, deny, chain, race }: ShieldRules) {
  const run = (rule: LogicRule) => rule.resolve({}, {}, {}, {} as GraphQLResolveInfo, {});
  return {
    chainAllowed: await run(chain(allow, allow)),
    chainDenied: await run(chain(allow, deny)),
    raceAllowed: await run(race(deny, allow)),
    raceDenied: await run(race(deny, deny)),
  };
}

const EXPECTED = { chainAllowed: true, chainDenied: false, raceAllowed: true, raceDenied: false };

describe('the graphql-shield patch', () => {
  it('is written for the installed graphql-shield version', () => {
    const patches = readdirSync(PATCHES_DIR).filter((name) => name.startsWith('graphql-shield+'));
    const installed = (JSON.parse(readFileSync(join(shieldDir, 'package.json'), 'utf8')) as { version: string }).version;
    expect(patches, `patches/ should hold one patch for the installed graphql-shield ${installed}`).toEqual([
      `graphql-shield+${installed}.patch`,
    ]);
  });

  it('leaves neither build importing from util', () => {
    for (const build of ['esm/rules.js', 'cjs/rules.js']) {
      const source = readFileSync(join(shieldDir, build), 'utf8');
      expect(source, `node_modules/graphql-shield/${build} is unpatched: run npm install`).not.toMatch(
        /from 'util'|require\("util"\)|util_1\./,
      );
    }
  });

  it(`loads as an ES module and runs chain() and race() on Node ${process.versions.node}`, async () => {
    const shield = (await import('graphql-shield')) as unknown as ShieldRules;
    expect(await verdicts(shield)).toEqual(EXPECTED);
  });

  it(`loads as CommonJS and runs chain() and race() on Node ${process.versions.node}`, async () => {
    const shield = require('graphql-shield') as ShieldRules;
    expect(await verdicts(shield)).toEqual(EXPECTED);
  });
});
