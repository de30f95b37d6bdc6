import type { GcpExport } from './gcp-export.js';

/**
 * The GCP resource hierarchy (Resource Manager documentation, "Resource hierarchy"): an
 * IAM policy applies to its resource and to everything below it, so a binding on a folder
 * reaches its projects and their resources.
 */
export interface GcpHierarchy {
  /** Full names of the resource's known ancestors, nearest first, itself excluded. */
  ancestorsOf(resource: string): string[];
  /** Project id (`my-project`) of a project number when a resource export gave both. */
  projectIdOf(projectNumber: string): string | undefined;
  /** Project number of a project id when a resource export gave both. */
  projectNumberOf(projectId: string): string | undefined;
}

/** Level of a resource in the hierarchy. */
export type GcpResourceLevel = 'organization' | 'folder' | 'project' | 'resource';

const RESOURCE_MANAGER =
  /^\/\/cloudresourcemanager\.googleapis\.com\/(organizations|folders|projects)\/([^/]+)$/;
const PROJECT_IN_NAME = /^\/\/[^/]+\/projects\/([^/]+)\//;

/** Returns the level of a full resource name. */
export function gcpResourceLevel(resource: string): GcpResourceLevel {
  const kind = RESOURCE_MANAGER.exec(resource)?.[1];
  if (kind === 'organizations') return 'organization';
  if (kind === 'folders') return 'folder';
  if (kind === 'projects') return 'project';
  return 'resource';
}

/**
 * Returns the project part of a Resource Manager project name, or `undefined` for other
 * names: `//cloudresourcemanager.googleapis.com/projects/123` gives `123`.
 */
export function gcpProjectOf(resource: string): string | undefined {
  const match = RESOURCE_MANAGER.exec(resource);
  return match?.[1] === 'projects' ? match[2] : undefined;
}

/**
 * Builds the hierarchy from an export's parent links (`ancestors` of asset exports and
 * `resource.parent` of resource exports). A resource without a known parent whose name
 * contains `/projects/<id>/` (a BigQuery dataset, a service account) gets that project as
 * parent, by number when the export maps the id to one.
 */
export function buildGcpHierarchy(exported: GcpExport): GcpHierarchy {
  const ids = new Map<string, string>();
  for (const [id, number] of exported.projectNumbers) ids.set(number, id);

  const parentOf = (resource: string): string | undefined => {
    const known = exported.parents.get(resource);
    if (known !== undefined) return known;
    const project = PROJECT_IN_NAME.exec(resource)?.[1];
    if (project === undefined || RESOURCE_MANAGER.test(resource)) return undefined;
    const number = exported.projectNumbers.get(project) ?? project;
    return `//cloudresourcemanager.googleapis.com/projects/${number}`;
  };

  return {
    ancestorsOf(resource) {
      const ancestors: string[] = [];
      const seen = new Set<string>([resource]);
      for (let parent = parentOf(resource); parent !== undefined; parent = parentOf(parent)) {
        if (seen.has(parent)) break;
        seen.add(parent);
        ancestors.push(parent);
      }
      return ancestors;
    },
    projectIdOf: (projectNumber) => ids.get(projectNumber),
    projectNumberOf: (projectId) => exported.projectNumbers.get(projectId),
  };
}

/**
 * True when a binding on `scope` applies to `resource`: the same resource, or an ancestor
 * of it in `hierarchy`. Names are full resource names; relative Resource Manager names
 * (`projects/p`) must be made full first (`toFullResourceName`).
 */
export function gcpResourceCovers(
  scope: string,
  resource: string,
  hierarchy: GcpHierarchy,
): boolean {
  return scope === resource || hierarchy.ancestorsOf(resource).includes(scope);
}
