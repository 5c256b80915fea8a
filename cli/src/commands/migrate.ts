import { convertToGatewayApi, MAX_FILE_BYTES, migrateText, type MigrationNote } from '../../../engine/src/host/index';
import { parseCliArgs } from '../args';
import { displayPath, readInput } from '../files';
import { printable, printablePath } from '../printable';
import { EXIT, UsageError, type Command } from '../io';

export const MIGRATE_USAGE = `Usage: istio-sec migrate [--to current | gateway-api] [--default-namespace NS] [--root-namespace NS] <file | ->...
--to current (default): converts removed Istio APIs to today's resources:
  authentication.istio.io Policy/MeshPolicy -> PeerAuthentication, RequestAuthentication and a DENY
  AuthorizationPolicy requiring a token; rbac.istio.io ServiceRole + ServiceRoleBinding -> one
  AuthorizationPolicy per binding; RbacConfig/ClusterRbacConfig -> allow-nothing policies.
--to gateway-api: converts Istio Gateways to Kubernetes Gateway API Gateways (gatewayClassName
  istio), the VirtualServices bound to them to HTTPRoutes/TLSRoutes, and the RequestAuthentication,
  AuthorizationPolicy, Telemetry and WasmPlugin whose selector picks the gateway pods to policies
  with targetRefs. The files are converted together (a route may live apart from its Gateway).
The result goes to stdout; other documents and comments are printed unchanged. Several files are
separated by '---' and a '# Source: <file>' comment. Notes (guesses, fields that cannot be
converted) go to stderr as file:line:col: severity code message.
Exit status: 0 converted (read the notes), 2 usage error or unreadable file.`;

function formatNote(file: string, n: MigrationNote): string {
  return `${printablePath(file)}:${n.range.start.line + 1}:${n.range.start.character + 1}: ${n.severity} ${n.code} ${printable(n.message)}\n`;
}

export const migrate: Command = async (args, io) => {
  const { values, positionals } = parseCliArgs({
    args,
    allowPositionals: true,
    options: {
      to: { type: 'string', default: 'current' },
      'default-namespace': { type: 'string' },
      'root-namespace': { type: 'string' },
    },
  });
  if (values.to !== 'current' && values.to !== 'gateway-api') throw new UsageError(`unknown --to '${values.to}' (expected current or gateway-api)`);
  if (positionals.length === 0) throw new UsageError('migrate needs at least one file (or - for stdin)');
  const inputs: Array<{ name: string; text: string }> = [];
  for (const p of positionals) {
    if (p === '-') {
      inputs.push({ name: '<stdin>', text: await io.readStdin(MAX_FILE_BYTES) });
      continue;
    }
    inputs.push({ name: displayPath(p, io.cwd), text: readInput(p, io.cwd) });
  }
  const opts = { defaultNamespace: values['default-namespace'], rootNamespace: values['root-namespace'] };
  const results = values.to === 'gateway-api' ? convertToGatewayApi(inputs, opts) : inputs.map((input) => ({ name: input.name, ...migrateText(input.text, opts) }));
  results.forEach((r, i) => {
    const input = inputs[i];
    let out = r.text;
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    if (inputs.length > 1) out = `${i > 0 ? '---\n' : ''}# Source: ${input.name}\n${out}`;
    io.stdout(out);
    for (const n of r.notes) io.stderr(formatNote(input.name, n));
  });
  return EXIT.ok;
};
