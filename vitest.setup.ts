import { afterEach, beforeEach, vi } from 'vitest';

// An unexpected console.error or console.warn is a bug: fail the test that caused it. A test that
// expects one gives the mock an implementation of its own (vi.mocked(console.warn).mockImplementation).
const FAILING_METHODS = ['error', 'warn'] as const;
let calls: { method: (typeof FAILING_METHODS)[number]; args: unknown[] }[] = [];
let spies: { mockRestore(): void }[] = [];
beforeEach(() => {
  calls = [];
  spies = FAILING_METHODS.map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      calls.push({ method, args });
    }),
  );
});
afterEach(() => {
  for (const spy of spies) spy.mockRestore();
  if (calls.length > 0) {
    const lines = calls.map(({ method, args }) => `console.${method}: ${args.map(String).join(' ')}`);
    throw new Error(`console.error or console.warn was called:\n${lines.join('\n')}`);
  }
});
