export { setting } from './internal/setting.js';
export type {
  BaseSettingOptions,
  ConfigSchema,
  ConfigValues,
  DurationSettingOptions,
  IntegerSettingOptions,
  ListSettingOptions,
  Setting,
  SettingKind,
  SettingValue,
  StringSettingOptions,
  UrlSettingOptions,
} from './internal/setting.js';
export { loadConfig } from './internal/load-config.js';
export type { EffectiveSetting, LoadConfigOptions, LoadedConfig } from './internal/load-config.js';
export type { ConfigSource } from './internal/read-sources.js';
export { ConfigInvalidError } from './internal/config-invalid-error.js';
export { CONFIG_ERROR_CODES } from './internal/errors.js';
export { describeConfig, renderConfigTable } from './internal/describe-config.js';
export type { ConfigRow } from './internal/describe-config.js';
