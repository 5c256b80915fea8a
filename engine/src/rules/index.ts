import type { Rule } from './rule';
import { authorizationPolicyRules } from './authorizationPolicy';
import { requestAuthenticationRules } from './requestAuthentication';
import { peerAuthenticationRules } from './peerAuthentication';
import { workloadRules } from './common/workload';

/** Every semantic rule, grouped by kind (one file per kind). */
export const RULES: readonly Rule[] = [
  ...authorizationPolicyRules,
  ...requestAuthenticationRules,
  ...peerAuthenticationRules,
  ...workloadRules,
];
