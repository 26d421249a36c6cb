// Configuration as code: a YAML file declaring monitors, channels, maintenance windows and status pages by key.
export { configFileSchema, configJsonSchema, CONFIG_KEY, type ConfigFile } from './schema.ts';
export {
  ConfigFileError,
  loadConfigText,
  loadConfigValue,
  type ConfigProblem,
  type DesiredConfig,
  type LoadOptions,
} from './load.ts';
export {
  applyConfig,
  formatPlan,
  planConfig,
  type ApplyMode,
  type ApplyOptions,
  type Plan,
  type PlannedChange,
} from './plan.ts';
export { exportConfig, type ExportedConfig } from './export.ts';
export { applyConfigFile } from './startup.ts';
