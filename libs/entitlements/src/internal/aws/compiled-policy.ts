import type { PermissionSet } from '../model/permission-set.js';
import type { AwsActionSets } from './action-sets.js';
import type { AwsPolicyDocument, AwsStatement } from './policy-document.js';

/** Policy type a statement comes from, as the AWS evaluation logic names them. */
export type AwsPolicyKind = 'identity' | 'boundary' | 'scp' | 'rcp';

/** A statement with its actions expanded to a shared permission set. */
export interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly kind: AwsPolicyKind;
  readonly permissions: PermissionSet;
  /** `Resource` patterns; `['*']` when the statement has neither Resource nor NotResource. */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly condition?: Readonly<Record<string, unknown>>;
  readonly via: string;
}

/** A policy compiled once and shared by every principal it is attached to. */
export interface CompiledPolicy {
  /** Position in the compiler's cache, used in memo keys. */
  readonly id: number;
  readonly via: string;
  readonly allows: readonly CompiledStatement[];
  readonly denies: readonly CompiledStatement[];
}

/**
 * Compiles policy documents into expanded statements, once per distinct (origin, kind,
 * content), so a managed policy attached to thousands of principals is expanded once.
 */
export class PolicyCompiler {
  private readonly compiled = new Map<string, CompiledPolicy>();

  constructor(private readonly actions: AwsActionSets) {}

  /** Number of distinct policies compiled. */
  get size(): number {
    return this.compiled.size;
  }

  /**
   * Compiles `document` as a policy of `kind` reported as `via` (a policy ARN,
   * `inline:<name>`, `scp:<name>`). `contentKey` identifies the content when the same
   * `via` can carry different documents (inline policies); managed policies pass their ARN.
   */
  compile(
    document: AwsPolicyDocument,
    via: string,
    kind: AwsPolicyKind,
    contentKey?: string,
  ): CompiledPolicy {
    const key = `${kind}\u0000${via}\u0000${contentKey ?? JSON.stringify(document.statements)}`;
    const known = this.compiled.get(key);
    if (known !== undefined) return known;

    const allows: CompiledStatement[] = [];
    const denies: CompiledStatement[] = [];
    for (const statement of document.statements) {
      const compiled = this.compileStatement(statement, via, kind);
      if (compiled === undefined) continue;
      (compiled.effect === 'Allow' ? allows : denies).push(compiled);
    }
    const policy: CompiledPolicy = { id: this.compiled.size + 1, via, allows, denies };
    this.compiled.set(key, policy);
    return policy;
  }

  private compileStatement(
    statement: AwsStatement,
    via: string,
    kind: AwsPolicyKind,
  ): CompiledStatement | undefined {
    let permissions: PermissionSet;
    if (statement.action !== undefined) permissions = this.actions.fromPatterns(statement.action);
    else if (statement.notAction !== undefined) {
      permissions = this.actions.fromNotPatterns(statement.notAction);
    } else return undefined;

    const resources =
      statement.resource ?? (statement.notResource === undefined ? ['*'] : undefined);
    return {
      effect: statement.effect,
      kind,
      permissions,
      resources,
      notResources: statement.notResource,
      condition: statement.condition,
      via,
    };
  }
}
