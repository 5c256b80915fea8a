/**
 * The engine's public API: what server/ and cli/ may import (a test enforces it). An
 * AnalysisHost holds files and answers every question about them as plain data; the pure
 * functions below need no files.
 */
export { AnalysisHost, defaultWorkerCount, type HostOptions } from './host';
export { DEFAULT_HOST_SETTINGS, type HostSettings, type NetworkSettings } from './settings';
export type * from './types';
export type { UpdateStats } from '../model/fileModel';

export { codeDocUrl, compareFindings } from '../diagnostics';
export { decodeToken, redactToken, type DecodedJwt } from '../jwt/index';
export { keySetReport, kubectlProxyArgs, type KeySetReport } from '../jwks/index';
export { migrateText, type MigrateOptions, type MigrationNote, type MigrationResult } from '../legacy/migrate';
export { convertToGatewayApi, type GatewayApiFileResult, type GatewayApiInput, type GatewayApiOptions } from '../convert/gatewayApi/index';
export { MAX_FILE_BYTES } from '../model/fileModel';
export { checkHelmChart, checkKustomize, type FindingsByFile, type RenderOptions, type RenderResult } from '../render/index';
export type { ObjectRef, SimRequest, SimTarget, SimulationResult } from '../simulate/index';
export { DEFAULT_PATH_NORMALIZATION, PATH_NORMALIZATIONS, type PathNormalization } from '../simulate/normalize';
