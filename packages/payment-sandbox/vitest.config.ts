import { defineWorkspaceProject } from '../../vitest.shared.js';

export default defineWorkspaceProject('payment-sandbox');
