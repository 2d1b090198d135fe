// What runs in host pages stays apart from what runs in the worker: nothing under
// lib/hosts/content imports lib/hosts/worker (the content script would carry the worker's code,
// and its schemas, into every host page).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CONTENT = resolve(import.meta.dirname, '..', '..', 'lib', 'hosts', 'content');

describe('lib/hosts layout', () => {
  it('keeps content/ free of worker/ imports (types aside)', () => {
    const files = readdirSync(CONTENT).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const imports = [...readFileSync(join(CONTENT, f), 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)];
      const offending = imports.filter((m) => !m[1] && /\/worker\//.test(m[2])).map((m) => m[2]);
      expect(offending, f).toEqual([]);
    }
  });
});
