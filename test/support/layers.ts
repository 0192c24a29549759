import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The layer rules of issue 23 (item 5), checked on import specifiers:
 * - `shared/domain/**` imports nothing of this repository outside `shared/domain`, and never `@aws-sdk/*`;
 * - `shared/use-cases/**` never imports `shared/adapters/**` nor `@aws-sdk/*`;
 * - `functions/**` never imports `shared/adapters/**` (adapters are reached through `shared/runtime`);
 * - a handler file (`functions/**`) has at most {@link HANDLER_MAX_LINES} non-blank lines: parse the event,
 *   call one use case, map the result (shared/runtime/http-handler.ts owns the rest).
 *
 * Specifiers come from the TypeScript scanner (`ts.preProcessFile`): static imports (`import type` included,
 * over any number of lines), `export … from`, dynamic `import()` and `require()`.
 */

export type Layer = 'domain' | 'use-cases' | 'functions';

export interface Violation {
  /** The importing file, relative to the root the check ran on (posix separators). */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** What it names: a repository path (`shared/adapters/x.js`) or an npm package (`@aws-sdk/client-dynamodb`). */
  target: string;
  rule: string;
}

/** Every specifier a file imports or re-exports, in source order. */
export function importSpecifiers(source: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((file) => file.fileName);
}

const builtins = new Set(builtinModules);

/** `package.json` `imports` map, e.g. `#shared/*` → `./shared/*`. */
export type ImportMap = Readonly<Record<string, string>>;

/**
 * What a specifier names, seen from `file` (repository-relative): `{ path }` for a file of this repository,
 * `{ package }` for an npm package, `{ builtin }` for a Node built-in.
 */
export function resolveSpecifier(
  file: string,
  specifier: string,
  imports: ImportMap,
): { path: string } | { package: string } | { builtin: string } {
  if (specifier.startsWith('.')) return { path: posix.normalize(posix.join(posix.dirname(file), specifier)) };
  if (specifier.startsWith('#')) {
    for (const [pattern, target] of Object.entries(imports)) {
      const prefix = pattern.replace(/\*$/, '');
      if (pattern.endsWith('*') ? specifier.startsWith(prefix) : specifier === pattern) {
        const mapped = pattern.endsWith('*') ? target.replace('*', specifier.slice(prefix.length)) : target;
        return { path: posix.normalize(mapped) };
      }
    }
    throw new Error(`${file}: ${specifier} matches no entry of package.json "imports"`);
  }
  if (specifier.startsWith('node:') || builtins.has(specifier)) return { builtin: specifier };
  const [first = '', second = ''] = specifier.split('/');
  return { package: first.startsWith('@') ? `${first}/${second}` : first };
}

export function layerOf(file: string): Layer | undefined {
  if (file.startsWith('shared/domain/')) return 'domain';
  if (file.startsWith('shared/use-cases/')) return 'use-cases';
  if (file.startsWith('functions/')) return 'functions';
  return undefined;
}

const isAwsSdk = (name: string) => name.startsWith('@aws-sdk/');

/** The rule an import breaks, if any. */
function brokenRule(layer: Layer, target: ReturnType<typeof resolveSpecifier>): string | undefined {
  if ('builtin' in target) return undefined;
  if ('package' in target) {
    if (layer === 'domain' && isAwsSdk(target.package)) return 'domain imports no AWS SDK';
    if (layer === 'use-cases' && isAwsSdk(target.package)) return 'use cases import no AWS SDK';
    return undefined;
  }
  if (layer === 'domain' && !target.path.startsWith('shared/domain/')) {
    return 'domain imports nothing outside shared/domain';
  }
  if (layer === 'use-cases' && target.path.startsWith('shared/adapters/'))
    return 'use cases import no adapter';
  if (layer === 'functions' && target.path.startsWith('shared/adapters/')) {
    return 'handlers reach adapters only through shared/runtime';
  }
  return undefined;
}

/** The most non-blank lines a handler file may have (comments count: a handler needs few). */
export const HANDLER_MAX_LINES = 30;

export const HANDLER_LENGTH_RULE = `a handler file has at most ${HANDLER_MAX_LINES} non-blank lines`;

/** Non-blank lines: what the handler-length rule counts. */
export const nonBlankLines = (source: string) =>
  source.split('\n').filter((line) => line.trim() !== '').length;

/** The violations in one file, given its repository-relative path and its text. */
export function checkFile(file: string, source: string, imports: ImportMap): Violation[] {
  const layer = layerOf(file);
  if (!layer) return [];
  const lines = nonBlankLines(source);
  const tooLong =
    layer === 'functions' && lines > HANDLER_MAX_LINES
      ? [{ file, specifier: `(${lines} lines)`, target: file, rule: HANDLER_LENGTH_RULE }]
      : [];
  return importSpecifiers(source)
    .flatMap((specifier) => {
      const target = resolveSpecifier(file, specifier, imports);
      const rule = brokenRule(layer, target);
      if (!rule) return [];
      return [
        { file, specifier, target: 'path' in target ? target.path : String(Object.values(target)[0]), rule },
      ];
    })
    .concat(tooLong);
}

const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every violation under `root` (a repository, or a fixture tree laid out like one): the files of
 * `shared/domain`, `shared/use-cases` and `functions`, with `#` specifiers resolved by `imports`.
 */
export function checkLayers(root: string, imports: ImportMap): Violation[] {
  return ['shared/domain', 'shared/use-cases', 'functions']
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .map((path) => relative(root, path).split(sep).join('/'))
    .sort()
    .flatMap((file) => checkFile(file, readFileSync(join(root, file), 'utf8'), imports));
}

/** The `imports` map of the `package.json` at `root`. */
export function packageImports(root: string): ImportMap {
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const imports =
    typeof manifest === 'object' && manifest !== null && 'imports' in manifest ? manifest.imports : undefined;
  if (typeof imports !== 'object' || imports === null) return {};
  return Object.fromEntries(
    Object.entries(imports).flatMap(([key, value]) => (typeof value === 'string' ? [[key, value]] : [])),
  );
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The import cycles among the files under `dirs` of `root` (static, type-only and dynamic imports alike):
 * each cycle as the sorted files of one strongly connected component (Tarjan).
 */
export function importCycles(root: string, dirs: readonly string[], imports: ImportMap): string[][] {
  const files = dirs
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .map((path) => relative(root, path).split(sep).join('/'));
  const known = new Set(files);
  // `./x.js` names `x.ts` under TypeScript's NodeNext resolution.
  const fileOf = (path: string) =>
    [path.replace(/\.js$/, '.ts'), path].find((candidate) => known.has(candidate));
  const edges = new Map(
    files.map((file) => [
      file,
      importSpecifiers(readFileSync(join(root, file), 'utf8')).flatMap((specifier) => {
        const target = resolveSpecifier(file, specifier, imports);
        const to = 'path' in target ? fileOf(target.path) : undefined;
        return to ? [to] : [];
      }),
    ]),
  );

  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    const own = next++;
    index.set(file, own);
    low.set(file, own);
    stack.push(file);
    onStack.add(file);
    for (const to of edges.get(file) ?? []) {
      if (!index.has(to)) visit(to);
      if (onStack.has(to))
        low.set(file, Math.min(low.get(file) ?? own, low.get(to) ?? own, index.get(to) ?? own));
    }
    if (low.get(file) !== own) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || edges.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}
