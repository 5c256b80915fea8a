import type { Rule } from './rule';
import { authorizationPolicyRules } from './authorizationPolicy';
import { requestAuthenticationRules } from './requestAuthentication';
import { peerAuthenticationRules } from './peerAuthentication';
import { workloadRules } from './common/workload';
import { gatewayRules } from './gateway';
import { virtualServiceRules } from './virtualService';
import { destinationRuleRules } from './destinationRule';
import { serviceEntryRules } from './serviceEntry';
import { tlsRules } from './common/tls';
import { policyAttachmentRules } from './common/policyAttachment';

/** Every semantic rule, grouped by kind (one file per kind). */
export const RULES: readonly Rule[] = [
  ...authorizationPolicyRules,
  ...requestAuthenticationRules,
  ...peerAuthenticationRules,
  ...workloadRules,
  ...gatewayRules,
  ...virtualServiceRules,
  ...destinationRuleRules,
  ...serviceEntryRules,
  ...tlsRules,
  ...policyAttachmentRules,
];
