import type { CrossRule } from '../crossCheck';
import { gatewayNotFound, hostNotInGateway } from './gateways';
import { issuerNotAccepted, requestAuthWithoutPolicy } from './jwt';

/** Every cross-resource rule (one file per concern). */
export const CROSS_RULES: readonly CrossRule[] = [gatewayNotFound, hostNotInGateway, issuerNotAccepted, requestAuthWithoutPolicy];
