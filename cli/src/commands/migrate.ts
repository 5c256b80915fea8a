import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateText, type MigrationNote } from '../../../engine/src/host/index';
import { readText } from '../files';
import { EXIT, UsageError, type Command } from '../io';

export const MIGRATE_USAGE = `Usage: istio-sec migrate [--default-namespace NS] [--root-namespace NS] <file | ->...
Converts removed Istio APIs to today's resources and prints the result on stdout:
  authentication.istio.io Policy/MeshPolicy -> PeerAuthentication, RequestAuthentication and a DENY
  AuthorizationPolicy requiring a token; rbac.istio.io ServiceRole + ServiceRoleBinding -> one
  AuthorizationPolicy per binding; RbacConfig/ClusterRbacConfig -> allow-nothing policies.
Other documents and comments are printed unchanged. Several files are separated by '---' and a
'# Source: <file>' comment. Notes (guessed selectors, fields that cannot be converted) go to stderr.
Exit status: 0 converted (read the notes), 2 usage error or unreadable file.`;

function formatNote(file: string, n: MigrationNote): string {
  return `${file}:${n.range.start.line + 1}:${n.range.start.character + 1}: ${n.severity} ${n.code} ${n.message}\n`;
}

export const migrate: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'default-namespace': { type: 'string' },
      'root-namespace': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('migrate needs at least one file (or - for stdin)');
  const inputs: Array<{ name: string; text: string }> = [];
  for (const p of positionals) {
    if (p === '-') {
      inputs.push({ name: '<stdin>', text: await io.readStdin() });
      continue;
    }
    const path = resolve(io.cwd, p);
    if (!existsSync(path)) throw new UsageError(`no such file: ${p}`);
    inputs.push({ name: p, text: readText(path) });
  }
  const opts = { defaultNamespace: values['default-namespace'], rootNamespace: values['root-namespace'] };
  inputs.forEach((input, i) => {
    const r = migrateText(input.text, opts);
    let out = r.text;
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    if (inputs.length > 1) out = `${i > 0 ? '---\n' : ''}# Source: ${input.name}\n${out}`;
    io.stdout(out);
    for (const n of r.notes) io.stderr(formatNote(input.name, n));
  });
  return EXIT.ok;
};
