/** The engine's public API: editor-independent parsing, validation and analysis. */
export * from './diagnostics';
export { analyzeDocument, type DocAnalysis } from './analyze';
export { FileModel, type DocumentEntry, type UpdateStats } from './model/fileModel';
export { AnalysisCache } from './model/analysisCache';
export { parseDoc, type ParsedDoc } from './model/parse';
export { splitDocuments, type Segment } from './model/split';
export { identifyResource, type IstioResource } from './model/resource';
export { LineIndex } from './text/lineIndex';
export { DEFAULT_SETTINGS, type EngineSettings, type Rule } from './rules/rule';
export {
  allKinds,
  childSchema,
  documentSchema,
  findKind,
  kindsOfGroup,
  schemaAt,
  servedVersions,
  type JSONSchema,
  type KindInfo,
} from './schema/catalog';
export { migrateText, convertSingleDocument, type MigrateOptions, type MigrationNote, type MigrationResult, type SingleConversion } from './legacy/migrate';
