export { analyzeRightsizing } from './internal/analyze.js';
export type { RightsizingInput } from './internal/analyze.js';
export type { AnalyzedPrincipal } from './internal/granted.js';
export {
  AWS_MANAGED_POLICY_MAX_CHARS,
  KEPT_UNOBSERVABLE_SID,
  policySize,
} from './internal/aws-policy.js';
export {
  DEFAULT_MAX_EXTRA_PERMISSIONS,
  azureOperationsFromExports,
  candidateRolesFromExports,
  candidateRolesOf,
  gcpCustomRoleSupportFromExports,
  gcpCustomRoleSupportOf,
} from './internal/candidate-roles.js';
export {
  classifyRisk,
  isEscalationPermission,
  RISK_ORDER,
  serviceOf,
} from './internal/classify.js';
export { teamOf } from './internal/ownership.js';
export { RISK_WEIGHTS, UNUSED_SHARE_WEIGHT } from './internal/score.js';
export { describeWindow } from './internal/describe-window.js';
export { parseWindowEnd } from './internal/window-end.js';
export { NO_TEAM, summarizeRightsizing, summaryWindow, topByScore } from './internal/summary.js';
export type {
  AnalysisWindow,
  AzureRoleDefinitionJson,
  CandidateRole,
  Confidence,
  GcpCustomRoleJson,
  GcpRoleSetJson,
  IamPolicyJson,
  IamStatementJson,
  OwnershipOptions,
  PermissionRisk,
  PrincipalStatus,
  Recommendation,
  RecommendationAlternative,
  RecommendationDocument,
  RecommendationKind,
  RightsizingGroupSummary,
  RightsizingOptions,
  RightsizingProvider,
  RightsizingResult,
  RightsizingSummary,
  ScoreInputs,
  SummaryWindow,
  UnobservablePermission,
  UnobservableReason,
  UnusedPermission,
  UsedPermission,
} from './internal/types.js';
