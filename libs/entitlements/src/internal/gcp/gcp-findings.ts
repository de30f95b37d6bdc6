import type { Finding, FindingSeverity } from '../model/entitlements.js';
import type { GcpBinding, GcpPolicy, GcpRoleDefinition } from './gcp-export.js';
import type { GcpHierarchy } from './gcp-hierarchy.js';
import { gcpProjectOf, gcpResourceCovers, gcpResourceLevel } from './gcp-hierarchy.js';
import { serviceAccountProject } from './gcp-members.js';

/** How a principal is granted a role: bound directly, or through the groups in `groups`. */
export interface GcpBindingPath {
  readonly binding: GcpBinding;
  readonly policy: GcpPolicy;
  /** The role's definition, or `undefined` when the export lacks it. */
  readonly role: GcpRoleDefinition | undefined;
  /** Groups (and convenience members) from the principal up to the bound member. */
  readonly groups: readonly string[];
}

const LOWER: Readonly<Record<FindingSeverity, FindingSeverity>> = {
  critical: 'high',
  high: 'medium',
  medium: 'low',
  low: 'low',
};

// Basic roles and the IAM administration roles that can set IAM policies on the resource
// they are granted at (IAM documentation, "Basic and predefined roles reference").
const ADMIN_ROLES: Readonly<Record<string, FindingSeverity>> = {
  'roles/owner': 'critical',
  'roles/editor': 'high',
  'roles/resourcemanager.organizationAdmin': 'critical',
  'roles/resourcemanager.folderAdmin': 'critical',
  'roles/resourcemanager.folderIamAdmin': 'critical',
  'roles/resourcemanager.projectIamAdmin': 'critical',
  'roles/iam.securityAdmin': 'critical',
};
const IAM_ADMIN_ROLE = /^roles\/(iam|resourcemanager)\.[A-Za-z]*Admin$/;

// Permissions that yield a service account's credentials or let a principal run code as
// it (IAM documentation, "Service account impersonation" and "Roles for service account
// authentication").
const IMPERSONATION: Readonly<Record<string, FindingSeverity>> = {
  'iam.serviceAccounts.getAccessToken': 'high',
  'iam.serviceAccountKeys.create': 'high',
  'iam.serviceAccounts.implicitDelegation': 'high',
  'iam.serviceAccounts.signJwt': 'high',
  'iam.serviceAccounts.signBlob': 'high',
  'iam.serviceAccounts.actAs': 'medium',
};
const PROJECT_POLICY_WRITES = new Set([
  'resourcemanager.projects.setIamPolicy',
  'resourcemanager.folders.setIamPolicy',
  'resourcemanager.organizations.setIamPolicy',
]);
const ROLE_UPDATE = 'iam.roles.update';
const DEPLOYMENT_CREATE = 'deploymentmanager.deployments.create';
const MAX_IMPERSONATION_HOPS = 3;

/** Estate-wide facts the risk rules need. */
export interface GcpRiskContext {
  readonly hierarchy: GcpHierarchy;
  /** Every service account member id seen in the export. */
  readonly serviceAccounts: readonly string[];
}

interface Edge {
  readonly permission: string;
  readonly target: string;
  readonly path: GcpBindingPath;
}

/**
 * Finds the risks of every principal, keyed by principal id:
 *
 * - admin-equivalent: `roles/owner` (critical) and `roles/editor` (high) at organization,
 *   folder or project level, and the IAM administration roles there;
 * - privilege-escalation: `*.setIamPolicy`, service account impersonation (`actAs`,
 *   `getAccessToken`, key creation, implicit delegation, signing), `iam.roles.update` on a
 *   custom role the principal holds, and `deploymentmanager.deployments.create`. When an
 *   impersonation chain of up to three service accounts reaches an admin-equivalent
 *   account, the finding is critical and its path shows every hop;
 * - public-exposure: any binding of `allUsers` or `allAuthenticatedUsers`.
 *
 * A conditional binding lowers the severity one step. Rules that need permissions skip
 * roles without a definition; the admin and public rules work on role names alone.
 */
export function findGcpRisks(
  paths: ReadonlyMap<string, readonly GcpBindingPath[]>,
  context: GcpRiskContext,
): Map<string, Finding[]> {
  const findings = new Map<string, Finding[]>();
  const adminPaths = new Map<string, string[]>();
  const edges = new Map<string, Edge[]>();

  for (const [principal, held] of paths) {
    const list: Finding[] = [];
    for (const path of held) {
      list.push(...directFindings(principal, path, held, adminPaths, context));
      for (const edge of impersonationEdges(path, context)) {
        const known = edges.get(principal) ?? [];
        known.push(edge);
        edges.set(principal, known);
      }
    }
    findings.set(principal, list);
  }

  for (const [principal, outgoing] of edges) {
    const list = findings.get(principal) ?? [];
    list.push(...impersonationFindings(principal, outgoing, edges, adminPaths));
    findings.set(principal, list);
  }
  return findings;
}

function severityOf(path: GcpBindingPath, severity: FindingSeverity): FindingSeverity {
  return path.binding.condition === undefined ? severity : LOWER[severity];
}

function describe(path: GcpBindingPath): string {
  const via = path.groups.length === 0 ? '' : ` through ${path.groups[path.groups.length - 1]}`;
  const condition = path.binding.condition === undefined ? '' : ' under a condition';
  return `${path.binding.role} on ${path.policy.resource}${via}${condition}`;
}

function directFindings(
  principal: string,
  path: GcpBindingPath,
  held: readonly GcpBindingPath[],
  adminPaths: Map<string, string[]>,
  context: GcpRiskContext,
): Finding[] {
  const found: Finding[] = [];
  const { binding, policy } = path;
  const level = gcpResourceLevel(policy.resource);
  const start = [principal, ...path.groups];

  if (principal === 'allUsers' || principal === 'allAuthenticatedUsers') {
    const who = principal === 'allUsers' ? 'anyone on the internet' : 'any Google account';
    found.push({
      kind: 'public-exposure',
      severity: severityOf(path, level === 'resource' ? 'high' : 'critical'),
      summary: `${who} holds ${describe(path)}`,
      path: [principal, binding.role, policy.resource],
    });
  }

  const adminSeverity =
    ADMIN_ROLES[binding.role] ?? (IAM_ADMIN_ROLE.test(binding.role) ? 'high' : undefined);
  if (adminSeverity !== undefined && level !== 'resource') {
    const adminPath = [...start, binding.role, policy.resource];
    found.push({
      kind: 'admin-equivalent',
      severity: severityOf(path, adminSeverity),
      summary: `holds ${describe(path)}`,
      path: adminPath,
    });
    if (binding.condition === undefined && !adminPaths.has(principal)) {
      adminPaths.set(principal, adminPath.slice(1 + path.groups.length));
    }
    return found;
  }

  const permissions = path.role?.includedPermissions ?? [];
  const policyWrites = permissions.filter((permission) => permission.endsWith('.setIamPolicy'));
  if (policyWrites.length > 0) {
    const strongest = policyWrites.find((permission) => PROJECT_POLICY_WRITES.has(permission));
    found.push({
      kind: 'privilege-escalation',
      severity: severityOf(path, strongest === undefined ? 'medium' : 'high'),
      summary: `can change IAM policies (${policyWrites.length} setIamPolicy permissions) as ${describe(path)}`,
      path: [...start, strongest ?? (policyWrites[0] as string), policy.resource],
    });
  }

  if (permissions.includes(ROLE_UPDATE)) {
    for (const other of held) {
      const parents = customRoleParents(other.binding.role, context.hierarchy);
      if (
        !parents.some((parent) => gcpResourceCovers(policy.resource, parent, context.hierarchy))
      ) {
        continue;
      }
      found.push({
        kind: 'privilege-escalation',
        severity: severityOf(path, 'high'),
        summary: `can add permissions to custom role ${other.binding.role}, which it holds, as ${describe(path)}`,
        path: [...start, ROLE_UPDATE, other.binding.role],
      });
    }
  }

  if (permissions.includes(DEPLOYMENT_CREATE)) {
    // Deployment Manager creates resources as the project's Google APIs service agent,
    // `<project number>@cloudservices.gserviceaccount.com`, which is granted roles/editor by default.
    const project = gcpProjectOf(policy.resource);
    const number =
      project !== undefined && /^\d+$/.test(project)
        ? project
        : project === undefined
          ? undefined
          : context.hierarchy.projectNumberOf(project);
    const target =
      number === undefined
        ? policy.resource
        : `serviceAccount:${number}@cloudservices.gserviceaccount.com`;
    found.push({
      kind: 'privilege-escalation',
      severity: severityOf(path, 'high'),
      summary: `can deploy resources as the Deployment Manager service agent, as ${describe(path)}`,
      path: [...start, DEPLOYMENT_CREATE, target],
    });
  }
  return found;
}

/**
 * Returns the full names of the project or organization a custom role is defined in:
 * custom role names carry the project id, and policies name projects by number, so both
 * forms are returned when the export maps one to the other. Empty for predefined roles.
 */
function customRoleParents(role: string, hierarchy: GcpHierarchy): string[] {
  const match = /^(projects|organizations)\/([^/]+)\/roles\/[^/]+$/.exec(role);
  if (match === null) return [];
  const [, kind, id] = match as unknown as [string, string, string];
  const parents = [`//cloudresourcemanager.googleapis.com/${kind}/${id}`];
  const number = kind === 'projects' ? hierarchy.projectNumberOf(id) : undefined;
  if (number !== undefined)
    parents.push(`//cloudresourcemanager.googleapis.com/projects/${number}`);
  return parents;
}

/** Returns the service accounts a binding lets its holder impersonate, one edge each. */
function impersonationEdges(path: GcpBindingPath, context: GcpRiskContext): Edge[] {
  const permissions = (path.role?.includedPermissions ?? []).filter(
    (permission) => IMPERSONATION[permission] !== undefined,
  );
  if (permissions.length === 0) return [];
  const named = namedServiceAccount(path.binding.condition?.expression);
  const edges: Edge[] = [];
  for (const account of context.serviceAccounts) {
    if (named !== undefined && account !== named) continue;
    if (!coversServiceAccount(path.policy.resource, account, context.hierarchy)) continue;
    for (const permission of permissions) edges.push({ permission, target: account, path });
  }
  return edges;
}

// A condition such as `resource.name == "projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com"`
// limits a project binding to one account.
function namedServiceAccount(expression: string | undefined): string | undefined {
  if (expression === undefined) return undefined;
  const match =
    /^\s*resource\.name\s*==\s*"projects\/[^/]+\/serviceAccounts\/([^"]+@[^"]+)"\s*$/.exec(
      expression,
    );
  return match === null ? undefined : `serviceAccount:${(match[1] as string).toLowerCase()}`;
}

function coversServiceAccount(scope: string, account: string, hierarchy: GcpHierarchy): boolean {
  const email = account.slice('serviceAccount:'.length);
  const projectId = serviceAccountProject(account);
  if (projectId === undefined) return false;
  const resource = `//iam.googleapis.com/projects/${projectId}/serviceAccounts/${email}`;
  if (gcpResourceCovers(scope, resource, hierarchy)) return true;
  // A binding read from a getIamPolicy wrapper may name the project by id, not number.
  return scope === `//cloudresourcemanager.googleapis.com/projects/${projectId}`;
}

function impersonationFindings(
  principal: string,
  outgoing: readonly Edge[],
  edges: ReadonlyMap<string, readonly Edge[]>,
  adminPaths: ReadonlyMap<string, string[]>,
): Finding[] {
  const found: Finding[] = [];
  const reported = new Set<string>();
  for (const edge of outgoing) {
    if (edge.target === principal) continue;
    const key = `${edge.permission}|${edge.target}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const start = [principal, ...edge.path.groups, edge.permission, edge.target];
    const chain = adminChain(edge.target, edges, adminPaths, new Set([principal]));
    if (chain !== undefined) {
      found.push({
        kind: 'privilege-escalation',
        severity: severityOf(edge.path, 'critical'),
        summary: `can impersonate ${edge.target}, which leads to admin access, as ${describe(edge.path)}`,
        path: [...start, ...chain],
      });
    } else {
      found.push({
        kind: 'privilege-escalation',
        severity: severityOf(edge.path, IMPERSONATION[edge.permission] ?? 'medium'),
        summary: `can impersonate ${edge.target} with ${edge.permission}, as ${describe(edge.path)}`,
        path: start,
      });
    }
  }
  return found;
}

/**
 * Returns the rest of a path from a service account to an admin-equivalent binding,
 * through at most `MAX_IMPERSONATION_HOPS` accounts, or `undefined` when none is reached.
 */
function adminChain(
  account: string,
  edges: ReadonlyMap<string, readonly Edge[]>,
  adminPaths: ReadonlyMap<string, string[]>,
  visited: Set<string>,
  depth = 1,
): string[] | undefined {
  const admin = adminPaths.get(account);
  if (admin !== undefined) return admin;
  if (depth >= MAX_IMPERSONATION_HOPS || visited.has(account)) return undefined;
  visited.add(account);
  for (const edge of edges.get(account) ?? []) {
    const rest = adminChain(edge.target, edges, adminPaths, visited, depth + 1);
    if (rest !== undefined) return [edge.permission, edge.target, ...rest];
  }
  return undefined;
}
