import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './processes.js';

/** Where the browser suite writes a PNG per step (e2e/artifacts/ is not committed). */
export const STOREFRONT_SCREENSHOTS_DIR = join(REPO_ROOT, 'e2e/artifacts/storefront');

/** Empties the screenshot folder, so that what it holds after a run is that run's steps only. */
export function resetScreenshots(directory = STOREFRONT_SCREENSHOTS_DIR): void {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
}

/** Runs one named step of a browser test and screenshots the page after it, passed or failed. */
export type Step = <T>(name: string, action: () => Promise<T>) => Promise<T>;

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Steps on `page` whose screenshots are `<prefix>-<nn>-<step name>.png` in `directory`, numbered in
 * the order they ran. A failing step throws an error naming the step and its screenshot, with the
 * failure as its cause.
 */
export function createSteps(page: Page, prefix: string, directory = STOREFRONT_SCREENSHOTS_DIR): Step {
  let count = 0;
  return async (name, action) => {
    count += 1;
    const path = join(directory, `${prefix}-${String(count).padStart(2, '0')}-${slugOf(name)}.png`);
    let result: Awaited<ReturnType<typeof action>>;
    try {
      result = await action();
    } catch (error) {
      const shot = await page.screenshot({ path, fullPage: true }).then(
        () => `screenshot: ${path}`,
        (shotError: unknown) => `no screenshot (${String(shotError)})`,
      );
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`step "${name}" failed (${shot}): ${reason}`, { cause: error });
    }
    await page.screenshot({ path, fullPage: true });
    return result;
  };
}
