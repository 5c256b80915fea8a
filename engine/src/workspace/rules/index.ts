import type { CrossRule } from '../crossCheck';
import { conflictingGateways, duplicateCertificate } from './gatewayConflicts';
import { gatewayNotFound, hostNotInGateway } from './gateways';
import { claimRoutingWithoutRequestAuth, ingressPolicyNamespace, issuerNotAccepted, requestAuthWithoutPolicy, selectorMismatch } from './jwt';
import { conflictingMeshHosts, subsetNotFound } from './routing';

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
];
