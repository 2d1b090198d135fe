// Figures the benchmarks report over repeated runs.
import { readdirSync, readFileSync } from 'node:fs';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * CPU seconds used so far by this Node process and by the Chromium started with `userDataDir`
 * (its browser process and every process under it, summed by type: browser, renderer,
 * utility:NetworkService, …), read from /proc (Linux). Two readings subtracted say where a
 * measured stretch spent its CPU. Other processes on the machine are not counted.
 */
export function cpuSeconds(userDataDir: string): Record<string, number> {
  const { user, system } = process.cpuUsage();
  const out: Record<string, number> = { node: (user + system) / 1e6 };
  const ticks = 100; // USER_HZ on Linux
  const procs = new Map<number, { parent: number; args: string[]; cpu: number }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // A child process may rewrite its command line as one string: split on spaces too.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      procs.set(Number(pid), { parent: Number(f[1]), args, cpu: (Number(f[11]) + Number(f[12])) / ticks });
    } catch {
      // The process ended meanwhile.
    }
  }
  const root = [...procs].find(([, p]) => p.args.includes(`--user-data-dir=${userDataDir}`) && !p.args.some((a) => a.startsWith('--type=')))?.[0];
  const under = (pid: number): boolean => pid === root || (pid > 1 && procs.has(pid) && under(procs.get(pid)!.parent));
  for (const [pid, p] of procs) {
    if (root === undefined || !under(pid)) continue;
    const arg = (name: string) => p.args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
    const type = arg('type') ? `${arg('type')}${arg('utility-sub-type') ? `:${arg('utility-sub-type')!.split('.').pop()}` : ''}` : 'browser';
    out[type] = (out[type] ?? 0) + p.cpu;
  }
  return out;
}

/** What each process used between two readings of cpuSeconds, in ms (those that used any). */
export function cpuBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (Math.round((v - (before[k] ?? 0)) * 1000) > 0) out[k] = Math.round((v - (before[k] ?? 0)) * 1000);
  return out;
}
