// Options: the QuickBooks connection, the host apps, and the full log.
import { useEffect, useState } from 'react';
import { Header } from '@/components/Header';
import { ConnectionTab } from './ConnectionTab';
import { HostsTab } from './HostsTab';
import { LogsTab } from './LogsTab';

const TABS = { connection: 'Connection', hosts: 'Host apps', logs: 'Logs' } as const;
type Tab = keyof typeof TABS;
const tabFromHash = (): Tab => (location.hash.slice(1) in TABS ? (location.hash.slice(1) as Tab) : 'connection');

export function App() {
  const [tab, setTab] = useState<Tab>(tabFromHash);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  return (
    <main>
      <Header title="QuickBooks Companion settings" />
      <nav className="tabs" role="tablist">
        {(Object.keys(TABS) as Tab[]).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => (location.hash = t)}>
            {TABS[t]}
          </button>
        ))}
      </nav>
      {tab === 'connection' && <ConnectionTab />}
      {tab === 'hosts' && <HostsTab />}
      {tab === 'logs' && <LogsTab />}
    </main>
  );
}
