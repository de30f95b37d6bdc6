/**
 * IAM policy members (IAM documentation, "Principal identifiers"; `Binding.members` of the
 * Resource Manager API): `user:`, `serviceAccount:`, `group:`, `domain:`, `deleted:` forms,
 * workforce and workload identity `principal://` and `principalSet://` identifiers, the
 * `projectOwner:` / `projectEditor:` / `projectViewer:` convenience values, and the public
 * `allUsers` and `allAuthenticatedUsers`.
 */

/** A member read from a binding. */
export interface GcpMember {
  /**
   * Canonical id: the prefix as IAM spells it and the e-mail lower-cased (IAM compares
   * e-mails without case), the same id the normalizer gives `principal.id`.
   */
  readonly id: string;
  /** `PrincipalEntitlements.principal_type`: `user`, `service-account`, `group`, ... */
  readonly type: string;
  /** For `projectOwner:p` and its siblings: the basic role and project they stand for. */
  readonly convenience?: { readonly role: string; readonly project: string };
  /** True for `allUsers` and `allAuthenticatedUsers`. */
  readonly public: boolean;
}

const EMAIL_PREFIXES: Readonly<Record<string, { prefix: string; type: string }>> = {
  user: { prefix: 'user', type: 'user' },
  serviceaccount: { prefix: 'serviceAccount', type: 'service-account' },
  group: { prefix: 'group', type: 'group' },
  domain: { prefix: 'domain', type: 'domain' },
};

const CONVENIENCE_ROLES: Readonly<Record<string, string>> = {
  projectowner: 'roles/owner',
  projecteditor: 'roles/editor',
  projectviewer: 'roles/viewer',
};

/** Parses a binding member; returns `undefined` for an empty or malformed value. */
export function parseGcpMember(raw: string): GcpMember | undefined {
  const member = raw.trim();
  if (member === '') return undefined;
  if (member === 'allUsers') return { id: member, type: 'public', public: true };
  if (member === 'allAuthenticatedUsers') {
    return { id: member, type: 'all-authenticated-users', public: true };
  }
  if (/^principal:\/\//i.test(member)) {
    return { id: member, type: 'federated-principal', public: false };
  }
  if (/^principalSet:\/\//i.test(member)) {
    return { id: member, type: 'federated-principal-set', public: false };
  }

  const colon = member.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = member.slice(0, colon).toLowerCase();
  const rest = member.slice(colon + 1);

  if (prefix === 'deleted') {
    // `deleted:user:name@example.com?uid=123`: the account was deleted after the binding
    // was made; the uid tells it apart from a new account with the same e-mail.
    const inner = parseGcpMember(rest.replace(/\?uid=.*$/, ''));
    const uid = /\?uid=(.*)$/.exec(rest)?.[1];
    const base = inner?.id ?? rest;
    return {
      id: `deleted:${base}${uid === undefined ? '' : `?uid=${uid}`}`,
      type: `deleted-${inner?.type ?? 'member'}`,
      public: false,
    };
  }
  const convenienceRole = CONVENIENCE_ROLES[prefix];
  if (convenienceRole !== undefined) {
    const canonicalPrefix = member.slice(0, colon);
    return {
      id: `${canonicalPrefix}:${rest}`,
      type: 'project-role-members',
      convenience: { role: convenienceRole, project: rest },
      public: false,
    };
  }
  const email = EMAIL_PREFIXES[prefix];
  if (email !== undefined) {
    return { id: `${email.prefix}:${rest.toLowerCase()}`, type: email.type, public: false };
  }
  return { id: member, type: 'unknown', public: false };
}

/**
 * Returns the project id a service account e-mail belongs to
 * (`name@project-id.iam.gserviceaccount.com`), or `undefined` for Google-managed accounts
 * whose domain names no project of the customer.
 */
export function serviceAccountProject(memberId: string): string | undefined {
  return /^serviceAccount:[^@]+@([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(memberId)?.[1];
}
