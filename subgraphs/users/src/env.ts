import { loadSettingsOrExit, subgraphSettingsSchema } from '@supergraph/server-kit';

export const settingsSchema = subgraphSettingsSchema({ service: 'users', defaultPort: 4001 });

/** This service's settings, from process.env (the only place it is read). Exits naming any bad variable. */
export function loadSettings() {
  return loadSettingsOrExit(settingsSchema, process.env);
}
