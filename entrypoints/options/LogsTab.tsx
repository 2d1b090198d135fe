// Options > Logs: the changes the extension makes (to QuickBooks and host apps) with what became of
// each, where failed ones are sent again once fixed, pending ones cancelled and what the extension
// created undone; then every exchange with QuickBooks, and an export of it for support.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { dateTime } from '@/components/format';
import { LogTable } from '@/components/LogTable';
import { db, type OutboxEntry } from '@/lib/db';
import { exportLog } from '@/lib/db/logs';
import { requestPush } from '@/lib/sync';
import { ACTION_WORDS, cancel, describeEntry, retry, undo } from '@/lib/sync/outbox';

/** Changes shown: every one not done, and the latest done ones (which may be undone). */
const DONE_SHOWN = 100;

const STATE_WORDS: Record<OutboxEntry['state'], string> = {
  pending: 'Waiting',
  'in-flight': 'Sending',
  done: 'Completed',
  failed: 'Not Completed',
  cancelled: 'Cancelled',
};

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Changes() {
  const entries = useLiveQuery(async () => {
    const open = await db.outbox.where('[state+seq]').between(['failed', 0], ['pending', Infinity]).toArray();
    const done = await db.outbox.where('[state+seq]').between(['done', 0], ['done', Infinity]).reverse().limit(DONE_SHOWN).toArray();
    const cancelled = await db.outbox.where('[state+seq]').between(['cancelled', 0], ['cancelled', Infinity]).reverse().limit(20).toArray();
    return [...open, ...done, ...cancelled].sort((a, b) => b.seq - a.seq);
  }, []);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [wholeAction, setWholeAction] = useState(false);
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const picked = (entries ?? []).filter((e) => chosen.has(e.id));
  const failed = picked.filter((e) => e.state === 'failed');
  const cancellable = picked.filter((e) => e.state === 'pending' || e.state === 'failed');
  const undoable = picked.filter((e) => e.state === 'done' && e.operation === 'create' && e.target === 'qbo' && e.result);
  const toggle = (id: string) => setChosen((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  const act = async (what: () => Promise<string>) => {
    setNote(undefined);
    try {
      setNote({ tone: 'ok', text: await what() });
      setChosen(new Set());
      await requestPush();
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };

  return (
    <div className="card" data-testid="changes">
      <div className="row">
        <h2 style={{ margin: 0 }}>Changes</h2>
        <span className="muted small">What the extension sends to QuickBooks and to host apps.</span>
        <span className="row" style={{ marginLeft: 'auto' }}>
          <button disabled={!failed.length} onClick={() => void act(async () => `${(await retry(failed.map((e) => e.id))).length} sent again.`)}>
            Re-try{failed.length ? ` (${failed.length})` : ''}
          </button>
          <button
            disabled={!cancellable.length}
            onClick={() =>
              void act(async () => {
                const r = await cancel(cancellable.map((e) => e.id));
                return [`${r.cancelled.length} cancelled.`, ...r.refused.map((x) => x.why)].join(' ');
              })
            }
          >
            Cancel{cancellable.length ? ` (${cancellable.length})` : ''}
          </button>
          <button disabled={!undoable.length} onClick={() => void act(async () => `${(await undo(undoable.map((e) => e.id), { wholeAction })).length} to undo: they are on their way.`)}>
            Undo{undoable.length ? ` (${undoable.length})` : ''}
          </button>
          <label className="small">
            <input type="checkbox" checked={wholeAction} onChange={(e) => setWholeAction(e.target.checked)} /> the whole action
          </label>
        </span>
      </div>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role="status">
          {note.text}
        </p>
      )}
      {entries?.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <div style={{ maxHeight: 320, overflow: 'auto' }}>
          <table className="grid" data-testid="changes-table">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Choose</span>
                </th>
                <th>When</th>
                <th>Change</th>
                <th>Asked by</th>
                <th>Status</th>
                <th>What happened</th>
              </tr>
            </thead>
            <tbody>
              {entries?.map((e) => {
                const what = `${ACTION_WORDS[e.operation]} ${describeEntry(e)}`;
                return (
                  <tr key={e.id} data-state={e.state}>
                    <td>
                      <input type="checkbox" aria-label={`Choose: ${what}`} checked={chosen.has(e.id)} onChange={() => toggle(e.id)} />
                    </td>
                    <td className="nowrap">{dateTime(e.updatedAt)}</td>
                    <td className="wrap-anywhere">{what}</td>
                    <td>{e.origin.name}</td>
                    <td className="nowrap">{STATE_WORDS[e.state]}</td>
                    <td className={e.state === 'failed' ? 'bad wrap-anywhere' : 'muted small wrap-anywhere'}>
                      {e.state === 'done' ? (e.result?.qbId ? `QuickBooks ID ${e.result.qbId}` : '') : (e.lastError?.message ?? (e.attempts ? `Tried ${e.attempts} times; trying again.` : ''))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function LogsTab() {
  const save = async (format: 'csv' | 'json') => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    download(`quickbooks-companion-log-${stamp}.${format}`, format === 'csv' ? 'text/csv' : 'application/json', await exportLog(format));
  };
  return (
    <section style={{ padding: 16 }}>
      <Changes />
      <div className="row" style={{ marginTop: 16 }}>
        <h2 style={{ margin: 0 }}>Exchanges with QuickBooks</h2>
        <span className="row" style={{ marginLeft: 'auto' }}>
          <button onClick={() => void save('csv')}>Export CSV</button>
          <button onClick={() => void save('json')} title="With each request and response, secrets removed">
            Export JSON
          </button>
        </span>
      </div>
      <LogTable />
    </section>
  );
}
