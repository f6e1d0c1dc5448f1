export { VARIABLES, VARIABLE_NAMES, MAX_NODES, flagName, isVariableName } from './definitions.js';
export type { VariableDefinition, VariableKind, VariableName } from './definitions.js';
export { ConfigError, formatIssue } from './errors.js';
export type { ConfigIssue } from './errors.js';
export { parseConfigFile, settingsFromEnv } from './sources.js';
export type { RawSettings, SourceKind } from './sources.js';
export { resolveConfig } from './resolve.js';
export type { ClusterConfig, CloudProfile, ConfigInputs } from './resolve.js';
export { loadConfig } from './load.js';
