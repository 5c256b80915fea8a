import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../test/helpers/build';

/**
 * One JSON schema for yaml-language-server made of the project's own schemas/ (one file per
 * kind), selected by apiVersion and kind with if/then, the way users configure the peer tool.
 */
export function buildPeerSchema(): Record<string, unknown> {
  const dir = join(ROOT, 'schemas');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json') && n !== 'index.json') files.push(p);
    }
  };
  walk(dir);
  const branches: unknown[] = [];
  for (const f of files) {
    const s = JSON.parse(readFileSync(f, 'utf8')) as {
      group?: string;
      kind?: string;
      schemas?: Array<{ versions: string[]; openAPIV3Schema: unknown }>;
    };
    for (const v of s.schemas ?? []) {
      const schema = v.openAPIV3Schema;
      if (!s.group || !s.kind || !schema) continue;
      for (const name of v.versions) {
        branches.push({
          if: { properties: { apiVersion: { const: `${s.group}/${name}` }, kind: { const: s.kind } }, required: ['apiVersion', 'kind'] },
          then: schema,
        });
      }
    }
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', allOf: branches };
}
