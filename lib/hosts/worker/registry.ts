// Which site profiles exist (built-in and the user's own), which are enabled, and the one
// content script registered for the enabled ones the user has granted access to. Host apps are
// optional permissions: a profile runs only on sites the user allowed. The built-in profiles are
// the local sandbox's demo apps: they run only while QuickBooks is the local sandbox; otherwise
// they are examples to copy from, listed after the user's own.
import { browser } from 'wxt/browser';
import { readSetting, SETTINGS, writeSetting } from '../../db/settings';
import { withLock } from '../../locks';
import { notifyTab } from '../../messages/runtime';
import { sendToWorker } from '../../messages/send';
import { BUILTIN_PROFILES } from '../builtin';
import { originsOf, profileMatchesUrl, validateProfile, type ProfileProblem, type SiteProfile } from '../profile';

const CONTENT_SCRIPT_ID = 'qbc-host';
const CONTENT_SCRIPT_FILE = 'content-scripts/host.js';

export interface ProfileEntry {
  profile: SiteProfile;
  builtin: boolean;
  /** A demo app's profile shown only to copy from: QuickBooks is not the local sandbox, so it never runs. */
  example: boolean;
  enabled: boolean;
}

const customProfiles = () => readSetting(SETTINGS.hostProfiles);
const enabledIds = () => readSetting(SETTINGS.enabledProfiles);

/** Whether the demo apps' profiles are offered: only while QuickBooks is the local sandbox, where those apps run. */
export const demoAppsOffered = async () => (await readSetting(SETTINGS.connection)).environment === 'local-sandbox';

/**
 * Every profile: on the local sandbox the demo apps' and then the user's; elsewhere the user's
 * first, then the demo apps' as examples (never enabled).
 */
export async function allProfiles(): Promise<ProfileEntry[]> {
  // Every read starts before any await, so a live query in a page watches them all.
  const [ids, custom, demo] = await Promise.all([enabledIds(), customProfiles(), demoAppsOffered()]);
  const enabled = new Set(ids);
  const builtin = BUILTIN_PROFILES.map((profile) => ({ profile, builtin: true, example: !demo, enabled: demo && enabled.has(profile.id) }));
  const own = custom.map((profile) => ({ profile, builtin: false, example: false, enabled: enabled.has(profile.id) }));
  return demo ? [...builtin, ...own] : [...own, ...builtin];
}

export async function enabledProfiles(): Promise<SiteProfile[]> {
  return (await allProfiles()).filter((e) => e.enabled).map((e) => e.profile);
}

/** A profile by id, enabled or not. */
export async function profileById(profileId: string): Promise<SiteProfile | undefined> {
  return (await allProfiles()).find((e) => e.profile.id === profileId)?.profile;
}

/** Whether a profile ships with the extension (it cannot be edited or deleted). */
export const isBuiltin = (id: string) => BUILTIN_PROFILES.some((b) => b.id === id);

/** The enabled profiles that cover a page's URL (a site may have a built-in profile and the user's own). */
export async function profilesForUrl(url: string): Promise<SiteProfile[]> {
  return (await enabledProfiles()).filter((p) => profileMatchesUrl(p, url));
}

/**
 * Adds one of the user's profiles, or replaces the one being edited (`editing`, its id). A profile
 * is never replaced by another that happens to share its id, and an edit keeps its id. Nothing is
 * saved when there are problems.
 */
export async function saveCustomProfile(
  input: unknown,
  opts: { editing?: string; checkSelector?: (s: string) => boolean } = {},
): Promise<{ ok: true; profile: SiteProfile } | { ok: false; problems: ProfileProblem[] }> {
  const result = validateProfile(input, opts.checkSelector);
  if (!result.ok) return result;
  const id = result.profile.id;
  const refuse = (message: string) => ({ ok: false as const, problems: [{ path: 'id', message }] });
  if (isBuiltin(id)) return refuse(`"${id}" is a built-in profile's id; choose another`);
  const all = await customProfiles();
  if (opts.editing && opts.editing !== id) return refuse(`is "${id}" but the profile being edited is "${opts.editing}"; a saved profile keeps its id (to rename it, add it anew and delete this one)`);
  const previous = all.find((p) => p.id === id);
  if (previous && opts.editing !== id) return refuse(`"${id}" is already one of your profiles (${previous.name}); edit that one, or choose another id`);
  await writeSetting(SETTINGS.hostProfiles, [...all.filter((p) => p !== previous), result.profile]);
  if (previous) {
    // An edited profile that is on: its sites may have changed, and its open pages read by new rules.
    await syncContentScripts();
    await notifyHostTabs([...new Set([...previous.matches, ...result.profile.matches])]);
  }
  return result;
}

/** Deletes one of the user's profiles; its sites' permission goes back (unless another profile needs it). */
export async function deleteCustomProfile(id: string) {
  const all = await customProfiles();
  const gone = all.find((p) => p.id === id);
  await writeSetting(SETTINGS.hostProfiles, all.filter((p) => p !== gone));
  await setEnabled(id, false);
  await syncContentScripts();
  if (gone) {
    await releaseSites(gone);
    await notifyHostTabs(gone.matches);
  }
}

/**
 * Gives back the site permission of a profile turned off or deleted, for every site no enabled
 * profile still needs. Sites the build itself holds (the test build's demo apps) stay.
 */
async function releaseSites(profile: SiteProfile) {
  const needed = new Set((await enabledProfiles()).flatMap(originsOf));
  const release = originsOf(profile).filter((o) => !needed.has(o));
  const required = new Set(browser.runtime.getManifest().host_permissions ?? []);
  const optional = release.filter((o) => !required.has(o));
  if (optional.length) await browser.permissions.remove({ origins: optional }).catch(() => false);
}

async function setEnabled(id: string, enabled: boolean) {
  const ids = new Set(await enabledIds());
  if (enabled) ids.add(id);
  else ids.delete(id);
  await writeSetting(SETTINGS.enabledProfiles, [...ids]);
}

/**
 * Asks the user for the profile's sites (a browser prompt; call from a click) and turns it on.
 * Returns false, changing nothing, when the user says no. The rest is the worker's (turnOn), so a
 * person closing the page at once does not leave the app half on.
 */
export async function enableWithPermission(profile: SiteProfile): Promise<boolean> {
  const granted = await browser.permissions.request({ origins: originsOf(profile) });
  if (!granted) return false;
  await sendToWorker('hosts.turnOn', { profileId: profile.id });
  return true;
}

/**
 * In the worker: turns a profile on whose sites the user granted. Its content script runs on new
 * pages and in the open tabs of its sites, and the app's records are read through its API at once,
 * open pages or not.
 */
export async function turnOn(profile: SiteProfile, list: (profileId: string) => unknown) {
  await setEnabled(profile.id, true);
  // The listing needs no page: it starts first, while the content script is registered.
  if (profile.api) void list(profile.id);
  await syncContentScripts();
  await decorateOpenTabs(profile.matches);
}

/**
 * Turns a profile off: its open pages drop what the extension drew (if no other profile covers
 * them), and its sites' permission goes back.
 */
export async function disable(profile: SiteProfile) {
  await setEnabled(profile.id, false);
  await syncContentScripts();
  await releaseSites(profile);
  await notifyHostTabs(profile.matches);
}

/**
 * Runs the content script now in the open tabs of these sites, for a site just turned on or after
 * the extension updated. A copy already running in a tab hands over to the new one and removes
 * what it drew, so a page is never decorated twice.
 */
export async function decorateOpenTabs(patterns: string[]) {
  const tabs = patterns.length ? await browser.tabs.query({ url: patterns }).catch(() => []) : [];
  await Promise.all(
    tabs.map((t) => (t.id === undefined ? undefined : browser.scripting.executeScript({ target: { tabId: t.id }, files: [`/${CONTENT_SCRIPT_FILE}` as const] }).catch(() => undefined))),
  );
}

/**
 * Registers the content script for exactly the enabled profiles' sites that the user granted, and
 * returns their match patterns. One at a time across the extension's contexts (the worker starting
 * and a page turning a site on at the same moment must not both register it).
 */
export function syncContentScripts(): Promise<string[]> {
  return withLock('qbc-content-scripts', {}, registerContentScript);
}

async function registerContentScript(): Promise<string[]> {
  const matches: string[] = [];
  for (const p of await enabledProfiles())
    for (const [i, origin] of originsOf(p).entries())
      if (await browser.permissions.contains({ origins: [origin] })) matches.push(p.matches[i]);
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (matches.length === 0) {
    if (registered.length) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return matches;
  }
  const script = { id: CONTENT_SCRIPT_ID, matches: [...new Set(matches)].sort(), js: [CONTENT_SCRIPT_FILE], runAt: 'document_start' as const, persistAcrossSessions: true };
  // Chrome hands a changed registration to its tabs' processes a moment later, and a page that
  // starts loading meanwhile goes without the script: the registration is changed only when it
  // differs (never, say, each time the worker starts).
  const [current] = registered;
  const same = current && current.runAt === script.runAt && String(current.js) === String(script.js) && String([...(current.matches ?? [])].sort()) === String(script.matches);
  if (same) return script.matches;
  if (current) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return script.matches;
}

/**
 * After the connection settings changed: the demo apps' profiles run only on the local sandbox, so
 * the registered script and their open pages follow where QuickBooks now is.
 */
export async function connectionSettingsChanged() {
  await syncContentScripts();
  await notifyHostTabs([...new Set([...BUILTIN_PROFILES.flatMap((p) => p.matches), ...(await enabledProfiles()).flatMap((p) => p.matches)])]);
}

/**
 * Tells open host app pages (of every enabled profile, or of these sites) that QuickBooks or their
 * profiles changed, so they update in place.
 */
export async function notifyHostTabs(sites?: string[]) {
  const patterns = sites ?? (await enabledProfiles()).flatMap((p) => p.matches);
  if (!patterns.length) return;
  const tabs = await browser.tabs.query({ url: patterns }).catch(() => []);
  await Promise.all(tabs.map((t) => (t.id === undefined ? undefined : notifyTab(t.id, { notice: 'hosts.changed', payload: {} }))));
}
