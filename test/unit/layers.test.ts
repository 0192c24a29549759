import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkFile,
  checkLayers,
  HANDLER_LENGTH_RULE,
  importCycles,
  importSpecifiers,
  nonBlankLines,
  packageImports,
  REPOSITORY_ROOT,
  resolveSpecifier,
  type Violation,
} from '../support/layers.js';

const imports = packageImports(REPOSITORY_ROOT);
const FIXTURES = join(REPOSITORY_ROOT, 'test/fixtures/layers');

/**
 * Today's violations, each with why it is still there. The list only shrinks: the test fails when a new
 * violation appears and when one of these disappears (then delete its line).
 */
const KNOWN_VIOLATIONS: readonly { file: string; specifier: string; reason: string }[] = [];

const pairs = (violations: readonly Pick<Violation, 'file' | 'specifier'>[]) =>
  violations.map(({ file, specifier }) => `${file} → ${specifier}`).sort();

describe('layers: domain, use cases and handlers import only what their layer allows', () => {
  it('the repository breaks no layer rule beyond the known, shrinking list', () => {
    // Prepare / Act
    const found = checkLayers(REPOSITORY_ROOT, imports);

    // Assess
    expect(pairs(found)).toEqual(pairs(KNOWN_VIOLATIONS));
  });

  it('reports a domain file that imports an adapter, the AWS SDK or anything outside shared/domain', () => {
    const found = checkLayers(FIXTURES, imports).filter((v) => v.file.startsWith('shared/domain/'));

    expect(found.map(({ file, target, rule }) => ({ file, target, rule }))).toEqual([
      {
        file: 'shared/domain/imports-adapter.ts',
        target: '@aws-sdk/client-dynamodb',
        rule: 'domain imports no AWS SDK',
      },
      {
        file: 'shared/domain/imports-adapter.ts',
        target: 'shared/adapters/dynamodb-store.js',
        rule: 'domain imports nothing outside shared/domain',
      },
      {
        file: 'shared/domain/imports-adapter.ts',
        target: 'templates/sms.js',
        rule: 'domain imports nothing outside shared/domain',
      },
      {
        file: 'shared/domain/imports-adapter.ts',
        target: 'shared/adapters/fake-adapter.js',
        rule: 'domain imports nothing outside shared/domain',
      },
    ]);
  });

  it('reports a use case that imports an adapter or the AWS SDK, over a multi-line `import type`', () => {
    const found = checkLayers(FIXTURES, imports).filter((v) => v.file.startsWith('shared/use-cases/'));

    expect(found.map(({ target, rule }) => ({ target, rule }))).toEqual([
      { target: '@aws-sdk/lib-dynamodb', rule: 'use cases import no AWS SDK' },
      { target: 'shared/adapters/mime-reply.js', rule: 'use cases import no adapter' },
    ]);
  });

  it('reports a handler that re-exports or lazily imports an adapter, not the runtime it goes through', () => {
    const found = checkLayers(FIXTURES, imports).filter(
      (v) => v.file.startsWith('functions/') && v.rule !== HANDLER_LENGTH_RULE,
    );

    expect(found.map(({ specifier, rule }) => ({ specifier, rule }))).toEqual([
      {
        specifier: '#shared/adapters/dynamodb-store.js',
        rule: 'handlers reach adapters only through shared/runtime',
      },
      {
        specifier: '../shared/adapters/fake-adapter.js',
        rule: 'handlers reach adapters only through shared/runtime',
      },
    ]);
  });

  it('reports a handler file over 30 non-blank lines, and not one of 30 with blank lines between', () => {
    const found = checkLayers(FIXTURES, imports).filter((v) => v.rule === HANDLER_LENGTH_RULE);

    expect(found.map(({ file, specifier }) => ({ file, specifier }))).toEqual([
      { file: 'functions/too-long.ts', specifier: '(31 lines)' },
    ]);
    expect(nonBlankLines(readFileSync(join(FIXTURES, 'functions/thirty-lines.ts'), 'utf8'))).toBe(30);
  });

  it('passes a domain file that imports its siblings, npm libraries and Node built-ins', () => {
    const found = checkLayers(FIXTURES, imports).filter((v) => v.file === 'shared/domain/keeps-layers.ts');

    expect(found).toEqual([]);
  });

  it('checks only the three layers: adapters and runtime may import the AWS SDK', () => {
    const source = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';";

    expect(checkFile('shared/adapters/x.ts', source, imports)).toEqual([]);
    expect(checkFile('shared/runtime/x.ts', source, imports)).toEqual([]);
    expect(checkFile('shared/domain/x.ts', source, imports)).toHaveLength(1);
  });
});

describe('import cycles', () => {
  it('none among the code that ships or runs: shared, functions, infra, local, scripts, templates, bench', () => {
    const dirs = ['shared', 'functions', 'infra', 'local', 'scripts', 'templates', 'bench'];

    expect(importCycles(REPOSITORY_ROOT, dirs, imports)).toEqual([]);
  });

  it('reports a cycle closed by a dynamic import, and not the file that only imports into it', () => {
    expect(importCycles(FIXTURES, ['cycle'], imports)).toEqual([['cycle/a.ts', 'cycle/b.ts']]);
  });
});

describe('importSpecifiers (the TypeScript scanner)', () => {
  it('reads static, type-only, multi-line, re-exported and dynamic imports, not comments or strings', () => {
    const source = [
      "import a from 'a';",
      'import type {',
      '  B,',
      '  C,',
      "} from '#shared/adapters/b.js';",
      "import './side-effect.js';",
      "export { d } from '../d.js';",
      "export * from 'e';",
      '// import f from "f";',
      'const text = "import g from \'g\'";',
      "const lazy = () => import('@aws-sdk/h');",
    ].join('\n');

    expect(importSpecifiers(source)).toEqual([
      'a',
      '#shared/adapters/b.js',
      './side-effect.js',
      '../d.js',
      'e',
      '@aws-sdk/h',
    ]);
  });
});

describe('resolveSpecifier', () => {
  it('resolves relative paths and package.json "imports" aliases to repository paths', () => {
    expect(resolveSpecifier('shared/use-cases/x.ts', '../adapters/y.js', imports)).toEqual({
      path: 'shared/adapters/y.js',
    });
    expect(resolveSpecifier('functions/x.ts', '#shared/adapters/y.js', imports)).toEqual({
      path: 'shared/adapters/y.js',
    });
    expect(resolveSpecifier('shared/domain/x.ts', '#templates/sms.js', imports)).toEqual({
      path: 'templates/sms.js',
    });
  });

  it('names npm packages by their package name and tells Node built-ins apart', () => {
    expect(resolveSpecifier('shared/domain/x.ts', '@aws-sdk/client-dynamodb', imports)).toEqual({
      package: '@aws-sdk/client-dynamodb',
    });
    expect(resolveSpecifier('shared/domain/x.ts', 'libphonenumber-js/core', imports)).toEqual({
      package: 'libphonenumber-js',
    });
    expect(resolveSpecifier('shared/domain/x.ts', 'node:crypto', imports)).toEqual({
      builtin: 'node:crypto',
    });
    expect(resolveSpecifier('shared/domain/x.ts', 'crypto', imports)).toEqual({ builtin: 'crypto' });
  });

  it('refuses a # specifier that package.json does not map', () => {
    expect(() => resolveSpecifier('shared/domain/x.ts', '#nowhere/x.js', imports)).toThrow(/#nowhere\/x.js/);
  });
});
