// Options > Host apps: the site profiles (built-in and the user's), enabled one site at a time
// with the user's permission, and an editor for the user's own profiles. Away from the local
// sandbox the built-in profiles (its demo apps) are only examples to copy from, after the user's.
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { allProfiles, deleteCustomProfile, disable, enableWithPermission, saveCustomProfile } from '@/lib/hosts/worker/registry';
import { kindLabel, type ProfileProblem, type SiteProfile } from '@/lib/hosts/profile';
import { ago } from '@/components/format';
import { useAppListings } from '@/components/hooks';

const EXAMPLE = JSON.stringify(
  {
    id: 'my-crm',
    name: 'My CRM',
    matches: ['https://crm.example.com/*'],
    pages: [
      {
        id: 'customers',
        path: '^/customers/?$',
        kind: 'customer',
        layout: 'list',
        record: 'table.customers tbody tr',
        fields: { hostId: { attribute: 'data-id' }, name: 'td.name', email: 'td.email' },
        anchors: { badge: { selector: 'td.name', position: 'append' } },
      },
    ],
  },
  null,
  2,
);

/**
 * What the extension read of a turned-on app through its API, per site of it: the records kept of
 * each kind and when, "Reading…" during its first listing, why the last listing stopped, or what
 * it waits for (a connected company, an address).
 */
function ApiRecords({ profile }: { profile: SiteProfile }) {
  const listings = useAppListings(profile.id);
  if (!listings) return null;
  const name = profile.name;
  const kinds = Object.keys(profile.api?.kinds ?? {});
  if (!listings.length)
    return (
      <p className="muted small" data-testid={`api-records-${profile.id}`}>
        Not read yet: open one of {name}'s pages, so the extension knows its address.
      </p>
    );
  return (
    <>
      {listings.map(({ app, company, counts }) => {
        const where = listings.length > 1 ? ` (${app.origin})` : '';
        const read = kinds.map((k) => (app.kinds[k]?.fullAt ? `${(counts[k] ?? 0).toLocaleString('en-US')} ${kindLabel(k)}${counts[k] === 1 ? '' : 's'}` : `${kindLabel(k)}s not read yet`));
        const text = (() => {
          if (company === 'none') return `Not read yet${where}: connect a QuickBooks company in the Connection tab.`;
          if (company === 'disconnected') return `Not read now${where}: its QuickBooks company is not connected. Reconnect it in the Connection tab.`;
          const last = app.readAt ? `${ago(app.readAt)}: ${read.join(' · ')}.` : '';
          if (app.problem) return `Couldn't finish reading ${name}${where}: ${app.problem}${last ? ` Last read in full ${last}` : ''}`;
          return last ? `Read from ${name}${where} ${last}` : `Reading ${name}'s records${where}…`;
        })();
        return (
          <p key={app.origin} className={company !== 'none' && (app.problem || company === 'disconnected') ? 'problem warn small' : 'muted small'} data-testid={`api-records-${profile.id}`}>
            {text}
          </p>
        );
      })}
    </>
  );
}

/** CSS selectors are checked against the page's own parser. */
const validSelector = (s: string) => {
  try {
    document.createDocumentFragment().querySelector(s);
    return true;
  } catch {
    return false;
  }
};

export function HostsTab() {
  const entries = useLiveQuery(() => allProfiles(), []);
  const [note, setNote] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const [editing, setEditing] = useState<string | undefined>();
  // Kept here: saving an edited profile swaps the editor back to a new one.
  const [saved, setSaved] = useState('');
  // An example copied into the editor (a new profile), and a count so each copy opens afresh.
  const [draft, setDraft] = useState<{ text: string; n: number }>();
  const examples = entries?.filter((e) => e.example) ?? [];

  const toggle = async (profile: SiteProfile, enabled: boolean) => {
    setNote(undefined);
    setSaved('');
    try {
      if (enabled) {
        await disable(profile);
        setNote({ tone: 'ok', text: `${profile.name} is off. QuickBooks is gone from its open pages.` });
      } else if (await enableWithPermission(profile)) {
        setNote({ tone: 'ok', text: `${profile.name} is on. Its open pages show QuickBooks now.` });
      } else {
        setNote({ tone: 'bad', text: `Access to ${profile.matches.join(', ')} was not granted, so ${profile.name} stays off.` });
      }
    } catch (e) {
      setNote({ tone: 'bad', text: (e as Error).message });
    }
  };

  const remove = async (profile: SiteProfile) => {
    if (!confirm(`Delete the site profile "${profile.name}"? QuickBooks will be gone from its pages.`)) return;
    setNote(undefined);
    setSaved('');
    try {
      await deleteCustomProfile(profile.id);
      if (editing === profile.id) setEditing(undefined);
      setNote({ tone: 'ok', text: `${profile.name} is deleted.` });
    } catch (e) {
      setNote({ tone: 'bad', text: `${profile.name} could not be deleted: ${(e as Error).message}` });
    }
  };

  const edit = (profile: SiteProfile) => {
    setSaved('');
    setEditing(profile.id);
  };

  /** An example into the editor as a new profile of the user's, under an id of its own. */
  const copy = (profile: SiteProfile) => {
    setSaved('');
    setEditing(undefined);
    setDraft((d) => ({ text: JSON.stringify({ ...profile, id: `my-${profile.id}`.slice(0, 40), name: `My ${profile.name}` }, null, 2), n: (d?.n ?? 0) + 1 }));
  };

  const onSaved = (profile: SiteProfile) => {
    const on = entries?.some((e) => e.profile.id === profile.id && e.enabled);
    setSaved(`Saved "${profile.name}". ${on ? 'Its open pages use it now.' : 'Turn it on above to use it.'}`);
    setEditing(undefined);
    setDraft(undefined);
  };

  return (
    <section style={{ padding: 16, maxWidth: 880 }}>
      <h2>Host apps</h2>
      <p className="muted">
        A site profile tells QuickBooks Companion how to read a web app's records and where to show QuickBooks in its pages. Turning one on asks
        your permission for that site only.
      </p>
      {note && (
        <p className={note.tone === 'ok' ? 'notice' : 'problem'} role={note.tone === 'bad' ? 'alert' : 'status'} data-testid="hosts-note">
          {note.text}
        </p>
      )}
      {entries && entries.every((e) => e.example) && (
        <p className="muted" data-testid="no-profiles">
          No host apps yet. Add your app's site profile below (an example of one is in the editor), or copy one of the examples.
        </p>
      )}
      {entries?.filter((e) => !e.example).map(({ profile, builtin, enabled }) => (
        <div className="card" key={profile.id} data-testid={`profile-${profile.id}`}>
          <div className="row">
            <span className={`dot ${enabled ? 'ok' : ''}`} />
            <strong>{profile.name}</strong>
            <span className="pill">{builtin ? 'Built in' : 'Yours'}</span>
            <span className="muted small">{profile.matches.join(', ')}</span>
            <span style={{ marginLeft: 'auto' }} className="row">
              {!builtin && (
                <button onClick={() => edit(profile)} aria-label={`Edit ${profile.name}`}>
                  Edit
                </button>
              )}
              {!builtin && (
                <button onClick={() => void remove(profile)} aria-label={`Delete ${profile.name}`}>
                  Delete
                </button>
              )}
              <button className={enabled ? '' : 'primary'} onClick={() => void toggle(profile, enabled)} aria-label={`${enabled ? 'Turn off' : 'Turn on'} ${profile.name}`}>
                {enabled ? 'Turn off' : 'Turn on'}
              </button>
            </span>
          </div>
          <p className="muted small">
            Pages: {profile.pages.map((p) => `${p.id} (${kindLabel(p.kind)}${p.layout === 'detail' ? ' page' : 's'})`).join(', ')}
          </p>
          {enabled && profile.api && <ApiRecords profile={profile} />}
        </div>
      ))}
      <ProfileEditor
        key={editing ?? `new-${draft?.n ?? 0}`}
        initial={entries?.find((e) => e.profile.id === editing)?.profile}
        draft={editing ? undefined : draft?.text}
        onSaving={() => setSaved('')}
        onSaved={onSaved}
      />
      {saved && (
        <p className="notice" role="status" data-testid="profile-saved">
          {saved}
        </p>
      )}
      {examples.length > 0 && (
        <details className="card" data-testid="profile-examples">
          <summary>Examples to copy from: the local sandbox's demo apps</summary>
          <p className="muted small">
            These profiles read the demo apps that come with the local sandbox (on <code>http://*.localhost</code>). They run only while QuickBooks is the local
            sandbox (Connection &gt; Advanced). Copy one into the editor as a start for your own app's profile.
          </p>
          {examples.map(({ profile }) => (
            <div className="row" key={profile.id} data-testid={`example-${profile.id}`}>
              <strong>{profile.name}</strong>
              <span className="pill">Example</span>
              <span className="muted small">{profile.pages.map((p) => `${kindLabel(p.kind)}${p.layout === 'detail' ? ' page' : 's'}`).join(', ')}</span>
              <button style={{ marginLeft: 'auto' }} onClick={() => copy(profile)} aria-label={`Copy ${profile.name} into the editor`}>
                Copy
              </button>
            </div>
          ))}
        </details>
      )}
    </section>
  );
}

function ProfileEditor({ initial, draft, onSaving, onSaved }: { initial?: SiteProfile; draft?: string; onSaving: () => void; onSaved: (profile: SiteProfile) => void }) {
  const [text, setText] = useState(initial ? JSON.stringify(initial, null, 2) : (draft ?? EXAMPLE));
  const [problems, setProblems] = useState<ProfileProblem[]>([]);
  const save = async () => {
    onSaving();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      setProblems([{ path: '(profile)', message: `is not valid JSON: ${(e as Error).message}` }]);
      return;
    }
    const result = await saveCustomProfile(json, { editing: initial?.id, checkSelector: validSelector });
    if (!result.ok) return setProblems(result.problems);
    setProblems([]);
    onSaved(result.profile);
  };
  return (
    <details className="card" open={!!initial || !!draft}>
      <summary>{initial ? `Edit ${initial.name}` : 'Add a site profile'}</summary>
      <p className="muted small">
        The format is described in docs/site-profiles.md. Selectors are CSS; <code>fields.hostId</code> is how to read each record's id.
      </p>
      <textarea aria-label="Site profile JSON" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={18} style={{ width: '100%', fontFamily: 'ui-monospace, monospace', fontSize: 12 }} />
      {problems.length > 0 && (
        <ul className="problem" role="alert" data-testid="profile-problems">
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      <p className="row">
        <button className="primary" onClick={() => void save()}>
          Save profile
        </button>
      </p>
    </details>
  );
}
