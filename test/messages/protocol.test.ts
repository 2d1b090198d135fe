// The protocol's sender rules, run as the worker runs them: only this extension is heard, each
// message only from its senders, a content script only for a profile that covers its own page
// (and on its own origin), and each tab within its rate.
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../lib/hosts/builtin';
import { dispatch, TAB_LIMITS, TabLimiter, type DispatchContext, type Handlers, type RefusedMessage, type Sender } from '../../lib/messages';

const EXT = 'cdbjflagiponpmenikdhggjhoomnimdb';
const spotlight = BUILTIN_PROFILES.find((p) => p.id === 'spotlight')!;
const crm = BUILTIN_PROFILES.find((p) => p.id !== 'spotlight')!;
const SPOTLIGHT_PAGE = 'http://media.localhost:4101/vendors';

function setup(now = () => 0) {
  const refused: RefusedMessage[] = [];
  const seen: Sender[] = [];
  const handlers: Partial<Handlers> = {
    'hosts.ignore': async (_p, sender) => {
      seen.push(sender);
      return { status: { hostId: 'x', state: 'ignored' } };
    },
    'hosts.page': async () => ({ profiles: [] }),
  };
  const ctx: DispatchContext = {
    extensionId: EXT,
    handlers,
    onRefused: (r) => refused.push(r),
    profiles: {
      covering: async (url) => [spotlight, crm].filter((p) => url.startsWith('http://media.localhost') === (p === spotlight)),
      byId: async (id) => [spotlight, crm].find((p) => p.id === id),
    },
    limiter: new TabLimiter(now),
  };
  return { ctx, refused, seen };
}

const contentScript = (url = SPOTLIGHT_PAGE, origin = new URL(url).origin, tabId = 7) => ({ id: EXT, origin, url, tab: { id: tabId }, frameId: 0 });
const extensionPage = { id: EXT, origin: `chrome-extension://${EXT}`, url: `chrome-extension://${EXT}/sidepanel.html` };
const ignore = (profileId: string, extra: object = {}) => ({ type: 'hosts.ignore', payload: { profileId, pageId: 'vendors', hostId: 'v1', ignored: true, ...extra } });

describe('who may send what', () => {
  it('knows its own pages by their origin, and a sender\'s origin by its URL where the browser stamps no origin (Firefox)', async () => {
    const { ctx, seen } = setup();
    const firefox = { ...ctx, extensionId: 'quickbooks-companion@companion.invalid', extensionOrigin: 'moz-extension://2f5c7f4e-6a0b-4a5e-9a55-0b4b1f0c2a11' };
    const page = { id: firefox.extensionId, url: `${firefox.extensionOrigin}/sidepanel.html` };
    expect(await dispatch(ignore('spotlight', { origin: 'https://media.example' }), page, firefox)).toMatchObject({ ok: true });
    expect(seen[0]).toMatchObject({ kind: 'extension-page' });
    const { origin: _, ...noOrigin } = contentScript();
    expect(await dispatch(ignore('spotlight'), { ...noOrigin, id: firefox.extensionId }, firefox)).toMatchObject({ ok: true });
    expect(seen[1]).toMatchObject({ kind: 'content-script', origin: 'http://media.localhost:4101' });
    // A chrome-extension:// page is not this Firefox add-on's.
    expect(await dispatch(ignore('spotlight', { origin: 'https://media.example' }), { ...extensionPage, id: firefox.extensionId }, firefox)).toMatchObject({ ok: false });
  });

  it('hears only this extension', async () => {
    const { ctx, refused } = setup();
    expect(await dispatch(ignore('spotlight'), { ...contentScript(), id: 'another-extension' }, ctx)).toMatchObject({ ok: false, error: { kind: 'Refused' } });
    expect(refused[0]).toMatchObject({ senderKind: 'untrusted' });
  });

  it('lets a content script speak only for a profile that covers its own page', async () => {
    const { ctx, refused, seen } = setup();
    expect(await dispatch(ignore('spotlight'), contentScript(), ctx)).toMatchObject({ ok: true });
    expect(seen[0]).toMatchObject({ kind: 'content-script', origin: 'http://media.localhost:4101', app: { profile: { id: 'spotlight' }, page: { id: 'vendors' } } });
    // Another profile, not covering this page.
    expect(await dispatch(ignore(crm.id), contentScript(), ctx)).toMatchObject({ ok: false, error: { message: 'This page is not covered by that site profile.' } });
    // A URL that disagrees with the origin the browser stamped is not believed.
    expect(await dispatch(ignore('spotlight'), contentScript(SPOTLIGHT_PAGE, 'http://evil.localhost:4101'), ctx)).toMatchObject({ ok: false });
    // A page the profile has not.
    expect(await dispatch(ignore('spotlight', { pageId: 'nope' }), contentScript(), ctx)).toMatchObject({ ok: false, error: { message: 'The site profile has no page "nope".' } });
    // Another page rule of the profile than the one its address fits: a vendor's own page cannot
    // speak as the vendor list (which may ask about every vendor), nor the list as a vendor's page.
    expect(await dispatch(ignore('spotlight', { pageId: 'vendors' }), contentScript('http://media.localhost:4101/vendors/7'), ctx)).toMatchObject({ ok: false, error: { message: 'This page is not the site profile\'s page "vendors".' } });
    expect(await dispatch(ignore('spotlight', { pageId: 'vendor' }), contentScript(), ctx)).toMatchObject({ ok: false, error: { message: 'This page is not the site profile\'s page "vendor".' } });
    expect(await dispatch(ignore('spotlight', { pageId: 'vendor' }), contentScript('http://media.localhost:4101/vendors/7'), ctx)).toMatchObject({ ok: true });
    expect(refused).toHaveLength(5);
    expect(seen).toHaveLength(2);
  });

  it('lets an extension page act for any profile, by id', async () => {
    const { ctx, seen } = setup();
    expect(await dispatch(ignore(crm.id, { pageId: crm.pages[0].id, origin: 'https://crm.example' }), extensionPage, ctx)).toMatchObject({ ok: true });
    expect(seen[0]).toMatchObject({ kind: 'extension-page', app: { profile: { id: crm.id } } });
    expect(await dispatch(ignore('no-such-profile'), extensionPage, ctx)).toMatchObject({ ok: false, error: { message: 'There is no site profile "no-such-profile".' } });
  });

  it('refuses page-only messages from content scripts and malformed payloads', async () => {
    const { ctx } = setup();
    expect(await dispatch({ type: 'sync.now', payload: {} }, contentScript(), ctx)).toMatchObject({ ok: false, error: { message: '"sync.now" may not be sent from a content-script.' } });
    expect(await dispatch(ignore('spotlight', { hostId: 'x'.repeat(301) }), contentScript(), ctx)).toMatchObject({ ok: false, error: { kind: 'Refused' } });
    expect(await dispatch({ type: 'hosts.ignore' }, contentScript(), ctx)).toMatchObject({ ok: false, error: { message: 'Malformed message.' } });
  });

  it('answers each tab only so often, and other tabs as usual', async () => {
    let clock = 0;
    const { ctx } = setup(() => clock);
    const limit = TAB_LIMITS['hosts.ignore']!;
    for (let i = 0; i < limit; i++) expect(await dispatch(ignore('spotlight'), contentScript(), ctx)).toMatchObject({ ok: true });
    expect(await dispatch(ignore('spotlight'), contentScript(), ctx)).toMatchObject({ ok: false, error: { kind: 'Throttled' } });
    expect(await dispatch(ignore('spotlight'), contentScript(SPOTLIGHT_PAGE, undefined, 8), ctx)).toMatchObject({ ok: true });
    // Other messages of the same tab have their own count.
    expect(await dispatch({ type: 'hosts.page', payload: {} }, contentScript(), ctx)).toMatchObject({ ok: true });
    clock += 60_001;
    expect(await dispatch(ignore('spotlight'), contentScript(), ctx)).toMatchObject({ ok: true });
  });
});
