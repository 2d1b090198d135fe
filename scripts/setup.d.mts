// Types of scripts/setup.mjs (plain JavaScript: it runs before any package is installed).
export const MIN_NODE: [number, number];
export const DEFAULT_CHROMIUM: string;

type Lock = { packages?: Record<string, { version?: string; optional?: boolean }> };

export interface SetupFacts {
  node: string;
  lock: Lock | undefined;
  nodeModules: boolean;
  installed: Lock | undefined;
  chromiumPath: string;
  chromiumSet: boolean;
  chromiumFound: boolean;
  root: boolean;
  sudo: boolean;
  apt: boolean;
}

export type SetupStep =
  | { kind: 'npm-ci'; why: string; command: string[] }
  | { kind: 'chromium'; why: string; commands: string[][] };

export function nodeIsRecentEnough(version: string): boolean;
export function packagesProblem(lock: Lock | undefined, installed: Lock | undefined, nodeModules?: boolean): string | undefined;
export function planSetup(facts: SetupFacts): { steps?: SetupStep[]; stop?: string };
export function gatherFacts(root: string, env?: Record<string, string | undefined>): SetupFacts;
