// The emulator's clock and QBO's time formats. QBO writes times in the company's own offset
// (the sandbox companies are in US Pacific): entity timestamps without milliseconds, the
// response "time" with them. Tests move the clock forward instead of waiting.

const TZ = 'America/Los_Angeles';
const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

// The offset only changes at daylight-saving boundaries, so it is looked up once per hour of
// time and the rest is plain arithmetic (seeding writes hundreds of thousands of timestamps).
const offsets = new Map<number, number>();
function offsetMinutes(ms: number): number {
  const hour = Math.floor(ms / 3_600_000);
  let m = offsets.get(hour);
  if (m === undefined) {
    const name = parts.formatToParts(new Date(hour * 3_600_000)).find((p) => p.type === 'timeZoneName')!.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    m = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
    offsets.set(hour, m);
  }
  return m;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function pieces(ms: number) {
  const off = offsetMinutes(ms);
  const d = new Date(ms + off * 60_000);
  const abs = Math.abs(off);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    offset: `${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
  };
}

/** "2020-09-29T05:58:16-07:00": MetaData.CreateTime / LastUpdatedTime. */
export function qboTimestamp(ms: number): string {
  const { date, time, offset } = pieces(ms);
  return `${date}T${time}${offset}`;
}

/** "2020-09-29T05:58:16.187-07:00": the envelope's "time". */
export function qboTime(ms: number): string {
  const { date, time, offset } = pieces(ms);
  return `${date}T${time}.${String(Math.floor(ms % 1000)).padStart(3, '0')}${offset}`;
}

/** "2020-09-29": TxnDate and other dates, in the company's calendar. */
export function qboDate(ms: number): string {
  return pieces(ms).date;
}

export const DAY_MS = 86_400_000;

export class Clock {
  private offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number) {
    this.offsetMs += ms;
  }
  reset() {
    this.offsetMs = 0;
  }
}
