import { defineWorkspaceProject } from '../vitest.shared.js';

// Each file starts a whole stack of processes; on a 2-core machine they run one file at a time, and
// a beforeAll that migrates, seeds and starts five processes may take minutes when the machine is busy.
export default defineWorkspaceProject('e2e', { testTimeout: 60_000, hookTimeout: 180_000, fileParallelism: false });
