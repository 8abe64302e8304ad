// @supergraph/server-kit/settings: Settings: environment variables parsed once with zod, every problem reported at once.
export {
  InvalidSettingsError,
  parseSettings,
  parseSettingGroups,
  loadSettingGroupsOrExit,
  loadSettingsOrExit,
  type SettingGroups,
  type ParsedSettingGroups,
} from './parse-settings.js';
export {
  portSetting,
  nodeEnvSetting,
  logLevelSetting,
  httpUrlSetting,
  serviceSettingsShape,
  metricsPortSetting,
  readHttpSettings,
  serverTimeoutSettingsShape,
  readServerTimeouts,
  DEFAULT_SERVER_TIMEOUTS,
  REPO_ROOT,
  resolveListenHost,
  postgresUrlSetting,
  accessTokenSettingsShape,
  MIN_PRODUCTION_SECRET_LENGTH,
  developmentRouterSecret,
  developmentServiceSecret,
  readTestDatabaseSettings,
  type AccessTokenSettings,
  type HttpSettings,
  type ServerTimeouts,
} from './settings.js';
export { subgraphSettingsSchema, type SubgraphSettings } from './subgraph-settings.js';
