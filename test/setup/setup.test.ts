// The README's first command on machines of every kind: what scripts/setup.mjs decides to do,
// from a made-up description of the machine, and that it does nothing on one already set up.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesProblem, planSetup, type SetupFacts } from '../../scripts/setup.mjs';

const lock = {
  packages: {
    '': { version: '0.1.0' },
    'node_modules/zod': { version: '4.6.7' },
    'node_modules/vitest': { version: '4.1.0' },
    'node_modules/@esbuild/win32-x64': { version: '0.25.0', optional: true },
  },
};
const installed = { packages: { 'node_modules/zod': { version: '4.6.7' }, 'node_modules/vitest': { version: '4.1.0' } } };

const ready: SetupFacts = {
  node: '20.20.2',
  lock,
  nodeModules: true,
  installed,
  chromiumPath: '/usr/bin/chromium',
  chromiumSet: false,
  chromiumFound: true,
  root: false,
  sudo: false,
  apt: true,
};

describe('setup: what a fresh machine needs', () => {
  it('does nothing on a machine that is ready', () => {
    expect(planSetup(ready)).toEqual({ steps: [] });
  });

  it('installs the npm packages when node_modules is missing, stale or not npm\'s', () => {
    expect(planSetup({ ...ready, nodeModules: false, installed: undefined }).steps).toEqual([{ kind: 'npm-ci', why: 'node_modules is missing', command: ['npm', 'ci'] }]);
    expect(packagesProblem(lock, { packages: { ...installed.packages, 'node_modules/zod': { version: '4.5.0' } } })).toBe('zod is 4.5.0, package-lock.json says 4.6.7');
    expect(packagesProblem(lock, { packages: { 'node_modules/zod': { version: '4.6.7' } } })).toBe('vitest is not installed');
    expect(packagesProblem(lock, { packages: { ...installed.packages, 'node_modules/left-pad': { version: '1.0.0' } } })).toBe('left-pad is installed but not in package-lock.json');
    expect(packagesProblem(lock, undefined, true)).toBe('node_modules was not installed by npm from package-lock.json');
    // Another platform's optional build is never installed here, and need not be.
    expect(packagesProblem(lock, installed)).toBeUndefined();
  });

  it('installs Chromium with apt-get as root, or with sudo when it asks no password', () => {
    const missing = { ...ready, chromiumFound: false };
    expect(planSetup({ ...missing, root: true }).steps).toEqual([
      { kind: 'chromium', why: 'no Chromium at /usr/bin/chromium', commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']] },
    ]);
    expect(planSetup({ ...missing, sudo: true }).steps?.[0]).toMatchObject({ commands: [['sudo', '-n', 'apt-get', 'update'], ['sudo', '-n', 'apt-get', 'install', '-y', 'chromium']] });
    expect(planSetup({ ...missing, root: true }).stop).toBeUndefined();
  });

  it('stops with the one command to run when it may not install Chromium itself', () => {
    const plan = planSetup({ ...ready, chromiumFound: false, nodeModules: false, installed: undefined });
    // The packages are still installed first, so the next run only needs Chromium.
    expect(plan.steps?.map((s) => s.kind)).toEqual(['npm-ci']);
    expect(plan.stop).toContain("sudo sh -c 'apt-get update && apt-get install -y chromium'");
    expect(planSetup({ ...ready, chromiumFound: false, apt: false }).stop).toMatch(/Install Chromium with your system's package manager and set CHROMIUM_PATH/);
  });

  it('respects CHROMIUM_PATH: never installs another Chromium over a wrong one', () => {
    const plan = planSetup({ ...ready, chromiumSet: true, chromiumPath: '/opt/chromium/chrome', chromiumFound: false, root: true });
    expect(plan.steps).toEqual([]);
    expect(plan.stop).toBe('CHROMIUM_PATH is /opt/chromium/chrome, but there is no Chromium there. Point CHROMIUM_PATH at your Chromium (or unset it to use /usr/bin/chromium).');
  });

  it('refuses a Node.js older than 20.19 before anything else', () => {
    expect(planSetup({ ...ready, node: '20.18.3' }).stop).toMatch(/^Node.js 20.18.3 is too old: QuickBooks Companion needs Node.js 20.19 or newer/);
    expect(planSetup({ ...ready, node: '18.20.0', nodeModules: false }).steps).toBeUndefined();
    expect(planSetup({ ...ready, node: '22.1.0' }).stop).toBeUndefined();
  });

  it('finds this checkout ready and says nothing', () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const out = execFileSync(process.execPath, ['scripts/setup.mjs'], { cwd: root, encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: process.execPath } });
    expect(out).toBe('');
  });
});
