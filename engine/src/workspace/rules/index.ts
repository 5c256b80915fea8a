import type { CrossRule } from '../crossCheck';
import { conflictingGateways, duplicateCertificate } from './gatewayConflicts';
import { gatewayNotFound, hostNotInGateway } from './gateways';
import { claimRoutingWithoutRequestAuth, ingressPolicyNamespace, issuerNotAccepted, requestAuthWithoutPolicy, selectorMismatch } from './jwt';
import { conflictingMeshHosts, subsetNotFound } from './routing';
import { referenceNotPermitted } from './gatewayApiGrants';
import { policyTargetNoWaypoint, policyTargetNotFound, selectorOnK8sGateway } from './gatewayApiPolicies';
import { routeNotAccepted, routeParentNotFound } from './gatewayApiRoutes';

/** Every cross-resource rule (one file per concern). */
export const CROSS_RULES: readonly CrossRule[] = [
  gatewayNotFound,
  hostNotInGateway,
  conflictingGateways,
  duplicateCertificate,
  conflictingMeshHosts,
  subsetNotFound,
  issuerNotAccepted,
  requestAuthWithoutPolicy,
  claimRoutingWithoutRequestAuth,
  ingressPolicyNamespace,
  selectorMismatch,
  routeParentNotFound,
  routeNotAccepted,
  referenceNotPermitted,
  policyTargetNotFound,
  policyTargetNoWaypoint,
  selectorOnK8sGateway,
];
