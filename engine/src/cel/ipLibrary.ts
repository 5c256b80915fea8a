/** Kubernetes CEL IP and CIDR library (net.IP, net.CIDR). */
import type { CelFunc } from '@bufbuild/cel';

export const ipFunctions: CelFunc[] = [];
