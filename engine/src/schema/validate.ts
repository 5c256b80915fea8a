import type { Finding } from '../diagnostics';
import type { ParsedDoc } from '../model/parse';

/** Structural validation against schemas/ (placeholder until the schema validator lands). */
export function checkSchema(_doc: ParsedDoc, _out: Finding[]): void {}
