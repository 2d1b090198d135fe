// Figures the benchmarks report over repeated runs.
import { readdirSync, readFileSync } from 'node:fs';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * CPU seconds used so far by this Node process and by Chromium's processes (summed by their type:
 * browser, renderer, utility:network, …), read from /proc (Linux). Two readings subtracted say
 * where a measured stretch spent its CPU.
 */
export function cpuSeconds(): Record<string, number> {
  const { user, system } = process.cpuUsage();
  const out: Record<string, number> = { node: (user + system) / 1e6 };
  const ticks = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // A child process may rewrite its command line as one string: split on spaces too.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!/chrom/i.test(args[0] ?? '')) continue;
      const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
      const type = arg('type') ? `${arg('type')}${arg('utility-sub-type') ? `:${arg('utility-sub-type')!.split('.').pop()}` : ''}` : 'browser';
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[type] = (out[type] ?? 0) + (Number(f[11]) + Number(f[12])) / ticks;
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

/** What each process used between two readings of cpuSeconds, in ms (those that used any). */
export function cpuBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (Math.round((v - (before[k] ?? 0)) * 1000) > 0) out[k] = Math.round((v - (before[k] ?? 0)) * 1000);
  return out;
}
