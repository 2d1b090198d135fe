// The side panel: the integration console of the host app in the active tab (matching its vendors,
// customers and items with QuickBooks), or, in a tab no site profile covers, the apps turned on
// and how to add one.
import { useLiveQuery } from 'dexie-react-hooks';
import { browser } from 'wxt/browser';
import { Header } from '@/components/Header';
import { activeCompany } from '@/lib/auth/connection';
import { db } from '@/lib/db';
import { bindApp, hostCompany } from '@/lib/links';
import { enabledProfiles } from '@/lib/hosts/worker/registry';
import { useActiveApp } from './activeApp';
import { Console } from './Console';

export function App() {
  const active = useActiveApp();
  const connections = useLiveQuery(() => db.connections.toArray(), []);
  // The app's own company (bound when first used), else the active one.
  const bound = useLiveQuery(async () => (active ? (await hostCompany({ profileId: active.profile.id, origin: active.origin }))?.realmId ?? null : null), [active?.profile.id, active?.origin, connections]);
  const company = connections && (connections.find((c) => c.realmId === bound) ?? (active ? undefined : activeCompany(connections)));
  const connected = connections?.filter((c) => c.status === 'connected') ?? [];
  const enabled = useLiveQuery(() => enabledProfiles(), []);
  const options = (hash: string) => void browser.tabs.create({ url: browser.runtime.getURL(`/options.html#${hash}`) });
  return (
    <main>
      <Header title="QuickBooks Companion" />
      {active === null || connections === undefined ? null : !company || company.status !== 'connected' ? (
        <section style={{ padding: 14 }}>
          <p>Connect a QuickBooks company to match this app's records with it.</p>
          <button className="primary" onClick={() => options('connection')}>
            {company?.status === 'needs-reconnect' ? 'Reconnect' : 'Connect to QuickBooks'}
          </button>
        </section>
      ) : active ? (
        <>
          {connected.length > 1 && (
            <label className="field" style={{ padding: '10px 14px 0' }}>
              {active.profile.name} works with
              <select aria-label="QuickBooks company" value={company.realmId} onChange={(e) => void bindApp({ profileId: active.profile.id, origin: active.origin }, e.target.value)}>
                {connected.map((c) => (
                  <option key={c.realmId} value={c.realmId}>
                    {c.companyName}
                  </option>
                ))}
              </select>
            </label>
          )}
          <Console active={active} company={company} />
        </>
      ) : (
        <section style={{ padding: 14 }} data-testid="no-app">
          <p>This tab is not a host app the extension works with.</p>
          {enabled && enabled.length > 0 && (
            <>
              <h2>Apps turned on</h2>
              <ul>
                {enabled.map((p) => (
                  <li key={p.id}>{p.name}</li>
                ))}
              </ul>
            </>
          )}
          <p className="muted small">
            Open one of them to match its records with QuickBooks, or add your own app in <a href="#" onClick={(e) => (e.preventDefault(), options('hosts'))}>Host apps</a>.
          </p>
        </section>
      )}
    </main>
  );
}
