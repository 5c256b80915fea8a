/** The JWT requests behind the Decode / Verify / Simulate commands. Tokens are never logged. */
import { DecodeJwtRequest, JwtAtRequest, SimulateRequest, SimulationTargetsRequest, VerifyJwtRequest } from '../../../protocol/src/index';
import type { Session } from '../session';

export function registerJwt(session: Session): void {
  const { connection, host, documents } = session;
  connection.onRequest(JwtAtRequest, (p) => ({ token: (documents.get(p.uri) && host.tokenAt(p.uri, p.position)) ?? null }));
  connection.onRequest(DecodeJwtRequest, (p) => host.decodeJwt(p.token));
  connection.onRequest(VerifyJwtRequest, (p) => host.verifyJwt(p));
  connection.onRequest(SimulationTargetsRequest, () => ({ targets: host.simulationTargets() }));
  connection.onRequest(SimulateRequest, (p) => host.simulate(p));
}
