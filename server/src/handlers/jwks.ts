/** Explicit JWKS checks (command and lenses) and the engine functions the cluster check asks for. */
import { keySetReport, kubectlProxyArgs } from '../../../engine/src/host/index';
import { AnalyzeKeySetRequest, CheckJwksRequest, KubectlProxyArgsRequest, type CheckJwksResult } from '../../../protocol/src/index';
import type { Session } from '../session';

export function registerJwks(session: Session): void {
  const { connection, host } = session;

  /** An explicit check: allowed in untrusted workspaces (a user action), never when offline. */
  connection.onRequest(CheckJwksRequest, async (params, token): Promise<CheckJwksResult> => {
    const uris = (params.uri ? [params.uri] : host.files()).filter((u) => host.jwksTargets(u) > 0);
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Checking JWKS endpoints', 0, undefined, true);
    const cancelled = () => token.isCancellationRequested || progress?.token?.isCancellationRequested === true;
    let documents = 0;
    let problems = 0;
    try {
      for (let i = 0; i < uris.length && !cancelled(); i++) {
        progress?.report(Math.round((i / Math.max(1, uris.length)) * 100), `${i}/${uris.length} files`);
        if (!host.offline) {
          await host.checkJwks(uris[i], { force: params.force ?? true, shouldStop: cancelled });
          session.publish(uris[i]);
        }
        documents += host.jwksTargets(uris[i]);
        problems += host.jwksFindings(uris[i]).length;
      }
      return { documents, problems, offline: host.offline };
    } finally {
      progress?.done();
    }
  });

  connection.onRequest(KubectlProxyArgsRequest, (p) => ({ args: kubectlProxyArgs(p.url, { context: p.context, namespace: p.namespace }) }));
  connection.onRequest(AnalyzeKeySetRequest, (p) => keySetReport(String(p.text ?? '')));
}
