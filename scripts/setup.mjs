// Runs before `npm start` and `npm test` (npm's prestart and pretest): brings a fresh clone to
// where the project runs, with nothing but Node. It installs the npm packages when node_modules is
// missing or no longer what package-lock.json says, and Chromium through apt-get when it is missing
// and this user may install system packages (root, or sudo without a password); otherwise it says
// the one command to run and stops. Plain ESM with no packages: it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIN_NODE = [20, 19];
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Whether a Node version (process.versions.node) is at least MIN_NODE. */
export function nodeIsRecentEnough(version) {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/**
 * Why node_modules does not hold what package-lock.json says, or undefined when it does. npm keeps
 * its own record of what it installed in node_modules/.package-lock.json; every package the lock
 * file needs must be there at the same version (optional ones, such as another platform's build of
 * a tool, may be absent), and nothing else.
 */
export function packagesProblem(lock, installed, nodeModules = installed !== undefined) {
  if (!nodeModules) return 'node_modules is missing';
  if (!installed) return 'node_modules was not installed by npm from package-lock.json';
  const want = lock?.packages ?? {};
  const have = installed.packages ?? {};
  for (const [path, p] of Object.entries(want)) {
    if (path === '') continue;
    const got = have[path];
    if (!got) {
      if (p.optional) continue;
      return `${path.replace(/^node_modules\//, '')} is not installed`;
    }
    if (got.version !== p.version) return `${path.replace(/^node_modules\//, '')} is ${got.version}, package-lock.json says ${p.version}`;
  }
  for (const path of Object.keys(have)) if (!(path in want)) return `${path.replace(/^node_modules\//, '')} is installed but not in package-lock.json`;
  return undefined;
}

/**
 * What to do on this machine, from what is known of it: a list of steps, or the reason to stop.
 *   facts.node            process.versions.node
 *   facts.lock            package-lock.json, parsed
 *   facts.nodeModules     whether node_modules exists
 *   facts.installed       node_modules/.package-lock.json, parsed (undefined when absent)
 *   facts.chromiumPath    CHROMIUM_PATH, or the default
 *   facts.chromiumSet     whether CHROMIUM_PATH was set
 *   facts.chromiumFound   whether chromiumPath is an executable file
 *   facts.root            whether this runs as root
 *   facts.sudo            whether `sudo -n` works (no password asked)
 *   facts.apt             whether apt-get exists
 */
export function planSetup(facts) {
  if (!nodeIsRecentEnough(facts.node))
    return { stop: `Node.js ${facts.node} is too old: QuickBooks Companion needs Node.js ${MIN_NODE.join('.')} or newer. Install a newer Node.js and run the command again.` };
  const steps = [];
  const problem = packagesProblem(facts.lock, facts.installed, facts.nodeModules);
  if (problem) steps.push({ kind: 'npm-ci', why: problem, command: ['npm', 'ci'] });
  if (!facts.chromiumFound) {
    if (facts.chromiumSet)
      return { steps, stop: `CHROMIUM_PATH is ${facts.chromiumPath}, but there is no Chromium there. Point CHROMIUM_PATH at your Chromium (or unset it to use ${DEFAULT_CHROMIUM}).` };
    const install = 'apt-get update && apt-get install -y chromium';
    if (!facts.apt)
      return { steps, stop: `Chromium is missing (looked for ${facts.chromiumPath}). Install Chromium with your system's package manager and set CHROMIUM_PATH to it, e.g. CHROMIUM_PATH=/path/to/chromium npm start.` };
    if (facts.root) steps.push({ kind: 'chromium', why: `no Chromium at ${facts.chromiumPath}`, commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', 'chromium']] });
    else if (facts.sudo) steps.push({ kind: 'chromium', why: `no Chromium at ${facts.chromiumPath}`, commands: [['sudo', '-n', 'apt-get', 'update'], ['sudo', '-n', 'apt-get', 'install', '-y', 'chromium']] });
    else return { steps, stop: `Chromium is missing (looked for ${facts.chromiumPath}), and installing it needs root. Run this, then the command again:\n\n  sudo sh -c '${install}'\n\n(or set CHROMIUM_PATH to a Chromium you have).` };
  }
  return { steps };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const succeeds = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

/** What is known of this machine and checkout (see planSetup). */
export function gatherFacts(root, env = process.env) {
  const chromiumPath = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  const chromiumFound = executable(chromiumPath);
  const root_ = process.getuid?.() === 0;
  return {
    node: process.versions.node,
    lock: readJson(join(root, 'package-lock.json')),
    nodeModules: existsSync(join(root, 'node_modules')),
    installed: readJson(join(root, 'node_modules', '.package-lock.json')),
    chromiumPath,
    chromiumSet: !!env.CHROMIUM_PATH,
    chromiumFound,
    root: root_,
    // Asked only when it matters: sudo may be slow to answer.
    sudo: !chromiumFound && !root_ && succeeds('sudo', ['-n', 'true']),
    apt: !chromiumFound && succeeds('sh', ['-c', 'command -v apt-get']),
  };
}

function run(command, cwd) {
  console.log(`setup: ${command.join(' ')}`);
  const r = spawnSync(command[0], command.slice(1), { cwd, stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    console.error(`\nsetup: "${command.join(' ')}" failed (exit ${r.status ?? r.signal}). Fix what it says above and run the command again.`);
    process.exit(1);
  }
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const plan = planSetup(gatherFacts(root));
  for (const step of plan.steps ?? []) {
    console.log(`setup: ${step.kind === 'npm-ci' ? 'installing the npm packages' : 'installing Chromium'} (${step.why})`);
    for (const command of step.commands ?? [step.command]) run(command, root);
  }
  if (plan.stop) {
    console.error(`\nsetup: ${plan.stop}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
