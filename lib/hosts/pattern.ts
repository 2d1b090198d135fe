// The regular expressions and match patterns of site profiles, run at a bounded cost. Profiles are
// user input (and may be imported), and the text they run on comes from host pages, which are
// untrusted: a pattern like `(a+)+$` on a long path would freeze a host tab in the browser's own
// backtracking engine, or stall the worker for every tab. So regular expressions run in RE2
// (re2js: time linear in the text, no backreferences or lookarounds), and match patterns, which
// only have `*` wildcards, in a wildcard matcher without backtracking.
import { RE2JS } from 're2js';

/** The longest regular expression a profile may hold, and the largest program it may compile to. */
export const MAX_PATTERN_LENGTH = 500;
const MAX_PROGRAM_SIZE = 5_000;

const compiled = new Map<string, RE2JS>();

/** Why a profile's regular expression cannot be used, in words, or undefined when it can. */
export function patternProblem(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    const re = RE2JS.compile(source);
    if (re.programSize() > MAX_PROGRAM_SIZE) return 'is too large (repetitions of repetitions); write it more simply';
    compiled.set(source, re);
    return undefined;
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    return `is not a regular expression this extension runs (backreferences and lookarounds are not supported): ${why}`;
  }
}

function compile(source: string): RE2JS {
  let re = compiled.get(source);
  if (!re) compiled.set(source, (re = RE2JS.compile(source)));
  return re;
}

/** Whether a profile's regular expression finds a match anywhere in the text. */
export function testPattern(source: string, text: string): boolean {
  return compile(source).test(text);
}

/** The first group of a profile's regular expression in the text (the whole match without a group), or ''. */
export function firstGroup(source: string, text: string): string {
  const m = compile(source).exec(text);
  return m ? (m[1] ?? m[0] ?? '') : '';
}

/**
 * Whether `text` fits `glob`, where `*` stands for any run of characters and everything else for
 * itself. Greedy, remembering only the last `*`: time proportional to text × glob at worst, and
 * never more (the classic wildcard algorithm; no backtracking into earlier stars is needed).
 */
export function globMatch(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (g < glob.length && glob[g] !== '*' && glob[g] === text[t]) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      mark = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++mark;
    } else return false;
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}
