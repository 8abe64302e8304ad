import { defineWorkspaceProject } from '../vitest.shared.js';

// Each file starts a whole stack of processes; on a 2-core machine they run one file at a time.
export default defineWorkspaceProject('e2e', { testTimeout: 60_000, fileParallelism: false });
