/**
 * Collects the error codes that the libraries and services define, so that
 * `error-codes.test.ts` can check them against docs/errors.md. The source is parsed with the
 * TypeScript compiler, so comments, TSDoc and template text never count as codes.
 *
 * A `CIEM_*` string literal in a source file is one of:
 * - a code definition: the first argument of `new XError(...)`, or of `super(...)` in a
 *   subclass. An argument of a function exported from an `errors.ts`, and any literal in an
 *   `errors.ts` or in `libs/errors`, also count. So does a constant (`const X = 'CIEM_…'` or
 *   a property of an object literal) that reaches an error constructor or whose name ends in
 *   `Code` or `Codes`;
 * - a code use: the value of a `code:` property, such as a log field or a reported problem;
 * - an environment variable: the value of an `env:` property of a setting, the argument of
 *   `process.env[...]`, or the prefix of such a variable;
 * - otherwise unclassified, which the test reports so the collector never misses a new form.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The five classes of `@ciem/errors`. Subclasses are reported as the one they extend. */
export const ERROR_CLASSES = [
  'CiemError',
  'ConfigError',
  'InputError',
  'DependencyError',
  'RejectedError',
] as const;

/** One place where a `CIEM_*` code appears in the source. */
export interface CodeSite {
  code: string;
  /** Path from the repository root, with `/` separators. */
  file: string;
  line: number;
  /** The folder of the library or service, such as `libs/kafka`. */
  library: string;
  /** `definition` counts for the duplicate check; `use` only repeats a code. */
  kind: 'definition' | 'use';
}

/** One `CIEM_*` literal that is neither a code nor an environment variable. */
export interface UnclassifiedLiteral {
  text: string;
  file: string;
  line: number;
}

/** The codes, their classes and the stray literals found in the source. */
export interface SourceCodes {
  sites: CodeSite[];
  /** Per code, the error classes of the constructors that raise it, where they can be resolved. */
  classes: Map<string, Set<string>>;
  unclassified: UnclassifiedLiteral[];
  /** Number of source files read. */
  fileCount: number;
}

const CODE_PATTERN = /^CIEM_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
const SOURCE_EXTENSIONS = /\.(?:ts|mts|js|mjs)$/;
const TEST_FILE = /\.test\.(?:ts|mts|js|mjs)$/;

/** Lists the non-test source files of every library and service. */
export function listSourceFiles(repoRoot: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (SOURCE_EXTENSIONS.test(entry.name) && !TEST_FILE.test(entry.name)) files.push(full);
    }
  };
  for (const top of ['libs', 'services']) {
    for (const entry of readdirSync(path.join(repoRoot, top), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      for (const sub of ['src', 'bin']) {
        try {
          walk(path.join(repoRoot, top, entry.name, sub));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  }
  return files.sort();
}

interface ParsedFile {
  file: string;
  library: string;
  source: ts.SourceFile;
  isErrorsFile: boolean;
}

function isCodeLiteral(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral {
  return (
    (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
    CODE_PATTERN.test(node.text)
  );
}

/** Removes `as const`, `satisfies`, parentheses and `Object.freeze(...)` around a value. */
function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isAsExpression(current) || ts.isSatisfiesExpression(current))
      current = current.expression;
    else if (ts.isParenthesizedExpression(current)) current = current.expression;
    else if (
      ts.isCallExpression(current) &&
      current.expression.getText() === 'Object.freeze' &&
      current.arguments.length === 1
    ) {
      current = current.arguments[0] as ts.Expression;
    } else return current;
  }
}

function propertyName(node: ts.PropertyAssignment): string | undefined {
  return ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
}

function walkNodes(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walkNodes(child, visit));
}

/**
 * Adds the file's constants to `bindings` (name, then library, to code): `const X = 'CIEM_…'`
 * as `X`, and a property of `const Y = { k: 'CIEM_…' }` as `Y.k`.
 */
function bindConstants(parsed: ParsedFile, bindings: Map<string, Map<string, string>>): void {
  walkNodes(parsed.source, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || !node.initializer) return;
    const value = unwrap(node.initializer);
    const add = (name: string, code: string): void => {
      const byLibrary = bindings.get(name) ?? new Map<string, string>();
      byLibrary.set(parsed.library, code);
      bindings.set(name, byLibrary);
    };
    if (isCodeLiteral(value)) add(node.name.text, value.text);
    if (!ts.isObjectLiteralExpression(value)) return;
    for (const property of value.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = propertyName(property);
      if (key !== undefined && isCodeLiteral(property.initializer)) {
        add(`${node.name.text}.${key}`, property.initializer.text);
      }
    }
  });
}

/** Resolves the first argument of an error constructor to a code, when it is a literal or a bound constant. */
function resolveCode(
  argument: ts.Expression | undefined,
  library: string,
  bindings: Map<string, Map<string, string>>,
): string | undefined {
  if (argument === undefined) return undefined;
  if (isCodeLiteral(argument)) return argument.text;
  if (!ts.isIdentifier(argument) && !ts.isPropertyAccessExpression(argument)) return undefined;
  const byLibrary = bindings.get(argument.getText());
  if (byLibrary === undefined) return undefined;
  if (byLibrary.has(library)) return byLibrary.get(library);
  return byLibrary.size === 1 ? [...byLibrary.values()][0] : undefined;
}

/** Finds the classes that extend one of the error classes, mapped to the base they extend. */
function findErrorClasses(parsedFiles: ParsedFile[]): Map<string, string> {
  const classes = new Map<string, string>(ERROR_CLASSES.map((name) => [name, name]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const parsed of parsedFiles) {
      walkNodes(parsed.source, (node) => {
        if (!ts.isClassDeclaration(node) || node.name === undefined) return;
        const base = node.heritageClauses?.[0]?.types[0]?.expression.getText();
        const root = base === undefined ? undefined : classes.get(base);
        if (root !== undefined && !classes.has(node.name.text)) {
          classes.set(node.name.text, root);
          grew = true;
        }
      });
    }
  }
  return classes;
}

/** Returns the error class that the class around `node` extends, or undefined for any other class. */
function enclosingErrorClass(node: ts.Node, classes: Map<string, string>): string | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isClassDeclaration(current) && current.name !== undefined) {
      return classes.get(current.name.text);
    }
  }
  return undefined;
}

/** Finds the functions exported from every `errors.ts`, because those build errors from their arguments. */
function findErrorHelpers(parsedFiles: ParsedFile[]): Set<string> {
  const helpers = new Set<string>();
  for (const parsed of parsedFiles.filter((entry) => entry.isErrorsFile)) {
    for (const statement of parsed.source.statements) {
      const exported = ts
        .getModifiers(statement as ts.HasModifiers)
        ?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (exported && ts.isFunctionDeclaration(statement) && statement.name) {
        helpers.add(statement.name.text);
      }
    }
  }
  return helpers;
}

function libraryOf(file: string): string {
  return file.split('/').slice(0, 2).join('/');
}

/** Reads every source file and sorts its `CIEM_*` literals into code definitions, uses and the rest. */
export function collectSourceCodes(repoRoot: string): SourceCodes {
  const parsedFiles: ParsedFile[] = listSourceFiles(repoRoot).map((full) => {
    const file = path.relative(repoRoot, full).split(path.sep).join('/');
    const text = readFileSync(full, 'utf8');
    return {
      file,
      library: libraryOf(file),
      source: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true),
      isErrorsFile: path.basename(file) === 'errors.ts' || file.startsWith('libs/errors/src/'),
    };
  });

  const bindings = new Map<string, Map<string, string>>();
  for (const parsed of parsedFiles) bindConstants(parsed, bindings);
  const errorClasses = findErrorClasses(parsedFiles);
  const helpers = findErrorHelpers(parsedFiles);

  // Pass 1: which bound constants reach an error constructor, and with which class.
  const classes = new Map<string, Set<string>>();
  const raisedNames = new Set<string>();
  const envNames = new Set<string>();
  for (const parsed of parsedFiles) {
    walkNodes(parsed.source, (node) => {
      let errorClass: string | undefined;
      let argument: ts.Expression | undefined;
      if (ts.isNewExpression(node) && errorClasses.has(node.expression.getText())) {
        errorClass = errorClasses.get(node.expression.getText());
        argument = node.arguments?.[0];
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        errorClass = enclosingErrorClass(node, errorClasses);
        argument = node.arguments[0];
      } else if (ts.isPropertyAssignment(node) && propertyName(node) === 'env') {
        if (isCodeLiteral(node.initializer)) envNames.add(node.initializer.text);
      } else if (
        ts.isElementAccessExpression(node) &&
        node.expression.getText() === 'process.env' &&
        isCodeLiteral(node.argumentExpression)
      ) {
        envNames.add(node.argumentExpression.text);
      }
      if (errorClass === undefined || argument === undefined) return;
      if (ts.isIdentifier(argument) || ts.isPropertyAccessExpression(argument)) {
        raisedNames.add(argument.getText());
      }
      const code = resolveCode(argument, parsed.library, bindings);
      if (code === undefined) return;
      const set = classes.get(code) ?? new Set<string>();
      set.add(errorClass);
      classes.set(code, set);
    });
  }

  // Pass 2: sort every literal.
  const sites: CodeSite[] = [];
  const unclassified: UnclassifiedLiteral[] = [];
  for (const parsed of parsedFiles) {
    walkNodes(parsed.source, (node) => {
      if (!isCodeLiteral(node)) return;
      const line = parsed.source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const kind = classifyLiteral(node, parsed, { errorClasses, helpers, raisedNames, envNames });
      if (kind === 'environment') return;
      if (kind === 'unclassified') {
        unclassified.push({ text: node.text, file: parsed.file, line });
        return;
      }
      sites.push({ code: node.text, file: parsed.file, line, library: parsed.library, kind });
    });
  }

  // A literal only looks unclassified when it is the prefix of a variable, such as
  // `CIEM_ENTITLEMENTS_AWS` for `CIEM_ENTITLEMENTS_AWS_SOURCE`.
  const remaining = unclassified.filter(
    (literal) =>
      !envNames.has(literal.text) &&
      ![...envNames].some((name) => name.startsWith(`${literal.text}_`)),
  );
  return { sites, classes, unclassified: remaining, fileCount: parsedFiles.length };
}

interface ClassifyContext {
  errorClasses: Map<string, string>;
  helpers: Set<string>;
  raisedNames: Set<string>;
  envNames: Set<string>;
}

function classifyLiteral(
  node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral,
  parsed: ParsedFile,
  context: ClassifyContext,
): 'definition' | 'use' | 'environment' | 'unclassified' {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const key = propertyName(parent);
    if (key === 'env') return 'environment';
    if (key === 'code') return 'use';
  }
  if (ts.isElementAccessExpression(parent) && parent.expression.getText() === 'process.env') {
    return 'environment';
  }
  if (ts.isNewExpression(parent) && parent.arguments?.[0] === node) {
    if (context.errorClasses.has(parent.expression.getText())) return 'definition';
  }
  if (
    ts.isCallExpression(parent) &&
    parent.expression.kind === ts.SyntaxKind.SuperKeyword &&
    parent.arguments[0] === node &&
    enclosingErrorClass(parent, context.errorClasses) !== undefined
  ) {
    return 'definition';
  }
  if (parsed.isErrorsFile) return 'definition';
  for (let current: ts.Node = parent; !ts.isSourceFile(current); current = current.parent) {
    if (ts.isCallExpression(current) && context.helpers.has(current.expression.getText())) {
      return 'definition';
    }
  }
  const bound = boundName(node);
  if (bound !== undefined) {
    const [variable] = bound.split('.');
    if (context.raisedNames.has(bound) || /Codes?$/i.test(variable ?? '')) return 'definition';
  }
  return 'unclassified';
}

/** Returns `X` for `const X = 'CIEM_…'` and `Y.k` for `const Y = { k: 'CIEM_…' }`. */
function boundName(node: ts.Node): string | undefined {
  let current = node;
  while (
    ts.isAsExpression(current.parent) ||
    ts.isSatisfiesExpression(current.parent) ||
    ts.isParenthesizedExpression(current.parent)
  ) {
    current = current.parent;
  }
  const parent = current.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (!ts.isPropertyAssignment(parent)) return undefined;
  const key = propertyName(parent);
  let owner: ts.Node = parent.parent;
  while (!ts.isVariableDeclaration(owner) && !ts.isSourceFile(owner)) {
    if (!ts.isObjectLiteralExpression(owner) && !ts.isExpression(owner)) return undefined;
    owner = owner.parent;
  }
  if (!ts.isVariableDeclaration(owner) || !ts.isIdentifier(owner.name) || key === undefined) {
    return undefined;
  }
  return `${owner.name.text}.${key}`;
}
