// The toolbar popup: is QuickBooks connected, when did it last sync, and what happened lately.
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { ConnectionStatus } from '@/components/ConnectionStatus';
import { ago } from '@/components/format';
import { Header } from '@/components/Header';
import { useConnections, useDrifts, useHostAppNotes, useOutboxCounts, usePullProgress } from '@/components/hooks';
import { ActivityList } from '@/components/ActivityList';
import { isBuiltin } from '@/lib/hosts/worker/registry';
import { kindLabel, RECORD_KINDS, type RecordKind } from '@/lib/hosts/profile';
import type { HostAppState } from '@/lib/db';
import { activeCompany } from '@/lib/auth/connection';
import { sendToWorker } from '@/lib/messages/send';

function openOptions(tab: string) {
  void browser.tabs.create({ url: browser.runtime.getURL(`/options.html#${tab}`) });
}

export function App() {
  const connections = useConnections();
  const active = connections && activeCompany(connections);
  const progress = usePullProgress(active?.status === 'connected' ? active.realmId : undefined);
  const drift = useDrifts();
  const appNotes = useHostAppNotes();
  const outbox = useOutboxCounts(active?.realmId);
  const waiting = outbox ? outbox.pending + outbox['in-flight'] : 0;
  const percent = progress?.loading
    ? Math.round(progress.total ? (Math.min(progress.loaded, progress.total) / progress.total) * 100 : (progress.listsDone / progress.lists) * 100)
    : 0;
  const [note, setNote] = useState('');
  // Wakes the worker, which finishes any load a stopped worker left half done.
  useEffect(() => void sendToWorker('ping', {}).catch(() => undefined), []);
  const syncNow = async () => {
    setNote('');
    try {
      await sendToWorker('sync.now', {});
      setNote('Syncing…');
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  return (
    <main style={{ width: 380 }}>
      <Header title="QuickBooks Companion" />
      <section style={{ padding: 14 }}>
        {connections === undefined ? null : !active || active.status === 'disconnected' ? (
          <>
            <p className="status" data-testid="connection-status">
              <span className="dot" /> Not connected to QuickBooks
            </p>
            <button className="primary" onClick={() => openOptions('connection')}>
              Connect to QuickBooks
            </button>
          </>
        ) : (
          <>
            <ConnectionStatus c={active} detail={false} />
            {active.status === 'needs-reconnect' ? (
              <button className="primary" onClick={() => openOptions('connection')}>
                Reconnect
              </button>
            ) : (
              <div className="row">
                <span className="muted small" data-testid="last-sync">
                  Last sync {ago(active.lastSyncAt)}
                </span>
                <button style={{ marginLeft: 'auto' }} onClick={syncNow}>
                  Sync now
                </button>
              </div>
            )}
            {progress?.loading && (
              <div style={{ marginTop: 10 }} data-testid="pull-progress">
                <div className="progress" role="progressbar" aria-label="Loading QuickBooks records" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
                  <div style={{ width: `${percent}%` }} />
                </div>
                <p className="muted small">
                  Loading QuickBooks records: {progress.loaded.toLocaleString()}
                  {progress.total !== undefined ? ` of ${progress.total.toLocaleString()}` : ' so far'} ({progress.listsDone} of {progress.lists} lists)
                </p>
              </div>
            )}
            {note && <p className="muted small">{note}</p>}
            {outbox && (waiting > 0 || outbox.failed > 0) && (
              <p className="small" data-testid="outbox-counts">
                {waiting > 0 && <span>{waiting.toLocaleString()} {waiting === 1 ? 'change' : 'changes'} waiting to be sent</span>}
                {waiting > 0 && outbox.failed > 0 && ' · '}
                {outbox.failed > 0 && (
                  <a href="#" className="bad" onClick={(e) => (e.preventDefault(), openOptions('logs'))}>
                    {outbox.failed.toLocaleString()} failed: review in Logs
                  </a>
                )}
              </p>
            )}
          </>
        )}
        {/* Another company QuickBooks stopped accepting is never hidden behind the one shown. */}
        {connections
          ?.filter((c) => c !== active && c.status === 'needs-reconnect')
          .map((c) => (
            <div key={c.realmId} style={{ marginTop: 12 }}>
              <ConnectionStatus c={c} detail={false} />
              <button className="primary" onClick={() => openOptions('connection')}>
                Reconnect
              </button>
            </div>
          ))}
      </section>
      {drift && drift.length > 0 && (
        <section style={{ padding: '0 14px' }} data-testid="drift">
          {drift.map((d) => (
            <p className="problem warn" role="alert" key={`${d.profileId}:${d.pageId}`}>
              {d.profileName}: a page's layout has changed. On {d.path} {d.problem === 'no-records' ? 'no records were found' : 'there is nowhere to show QuickBooks'}.{' '}
              {isBuiltin(d.profileId) ? 'Add a site profile for the new layout in' : 'Update its site profile in'}{' '}
              <a href="#" onClick={(e) => (e.preventDefault(), openOptions('hosts'))}>Host apps</a>.
            </p>
          ))}
        </section>
      )}
      {appNotes && appNotes.length > 0 && (
        <section style={{ padding: '0 14px' }} data-testid="host-app-notes">
          {appNotes.map((a) => (
            <HostAppNote key={`${a.profileId}:${a.origin}`} app={a} />
          ))}
        </section>
      )}
      <section style={{ padding: '0 14px 14px' }}>
        <h2>Recent activity</h2>
        <ActivityList limit={10} />
        <p className="row">
          <a href="#" onClick={(e) => (e.preventDefault(), openOptions('logs'))}>
            Open the full log
          </a>
          <a href="#" style={{ marginLeft: 'auto' }} onClick={(e) => (e.preventDefault(), openOptions('connection'))}>
            Settings
          </a>
        </p>
      </section>
    </main>
  );
}

const kindWords = (kind: string, n: number) => {
  const word = kind in RECORD_KINDS ? kindLabel(kind as RecordKind) : kind;
  return n === 1 ? word : `${word}s`;
};

/** A host app's listing problem, and records it says are gone, which wait for the user's word. */
function HostAppNote({ app }: { app: HostAppState }) {
  const [note, setNote] = useState('');
  const name = app.name ?? app.profileId;
  const settle = async (kind: string, markDeleted: boolean) => {
    try {
      const { deleted } = await sendToWorker('hosts.gone', { profileId: app.profileId, origin: app.origin, kind, markDeleted });
      setNote(markDeleted ? `${deleted.toLocaleString()} marked deleted.` : 'Kept as they were.');
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  return (
    <>
      {app.problem && (
        <p className="problem warn" role="alert">
          {name}: its records could not all be read. {app.problem}
        </p>
      )}
      {Object.entries(app.gone ?? {})
        .filter(([, ids]) => ids.length > 0)
        .map(([kind, ids]) => (
          <div className="problem warn" role="alert" key={kind}>
            <p style={{ margin: 0 }}>
              {name} no longer has {ids.length.toLocaleString()} {kindWords(kind, ids.length)} the extension knew (asked for each, it answers "not found"). Nothing
              is marked deleted until you say so.
            </p>
            <p className="row" style={{ margin: '6px 0 0' }}>
              <button onClick={() => void settle(kind, true)}>Mark them deleted</button>
              <button onClick={() => void settle(kind, false)}>Keep them</button>
            </p>
          </div>
        ))}
      {note && <p className="muted small">{note}</p>}
    </>
  );
}
