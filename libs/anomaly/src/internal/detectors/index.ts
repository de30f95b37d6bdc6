import type { Detector } from '../types.js';
import { defenseEvasionDetector } from './defense-evasion.js';
import { deniedBurstDetector } from './denied-burst.js';
import { dormantDetector } from './dormant.js';
import { firstUseDetector } from './first-use.js';
import { networkDetector } from './network.js';
import { privilegeEscalationDetector } from './privilege-escalation.js';
import { privilegedIdentityDetector } from './privileged-identity.js';
import { volumeSpikeDetector } from './volume-spike.js';

/** Every detector, in the order the engine runs them. */
export const DETECTORS: readonly Detector[] = [
  dormantDetector,
  privilegeEscalationDetector,
  defenseEvasionDetector,
  privilegedIdentityDetector,
  deniedBurstDetector,
  networkDetector,
  volumeSpikeDetector,
  firstUseDetector,
];
