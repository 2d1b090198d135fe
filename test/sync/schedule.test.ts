// The sync schedule (fake-indexeddb, WXT's fake browser): saving a new interval moves the pull
// alarm to it at once, without waiting for the worker to start again.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { browser } from 'wxt/browser';
import { db } from '../../lib/db';
import { DEFAULT_INTERVAL_MINUTES, readSetting, SETTINGS } from '../../lib/db/settings';
import { PULL_ALARM, scheduleSync, setSyncIntervalMinutes } from '../../lib/sync';

const syncIntervalMinutes = () => readSetting(SETTINGS.syncIntervalMinutes);

beforeEach(async () => {
  fakeBrowser.reset();
  await db.settings.delete(['', 'syncIntervalMinutes']);
});

describe('the sync interval', () => {
  it('moves the pull alarm when it is saved', async () => {
    await scheduleSync();
    expect((await browser.alarms.get(PULL_ALARM))?.periodInMinutes).toBe(DEFAULT_INTERVAL_MINUTES);
    await setSyncIntervalMinutes(2);
    expect(await syncIntervalMinutes()).toBe(2);
    expect((await browser.alarms.get(PULL_ALARM))?.periodInMinutes).toBe(2);
  });

  it('refuses less than 30 seconds and keeps the alarm as it was', async () => {
    await scheduleSync();
    for (const minutes of [0.25, Number.NaN]) await expect(setSyncIntervalMinutes(minutes)).rejects.toThrow(/at least 0.5 minutes/);
    expect(await syncIntervalMinutes()).toBe(DEFAULT_INTERVAL_MINUTES);
    expect((await browser.alarms.get(PULL_ALARM))?.periodInMinutes).toBe(DEFAULT_INTERVAL_MINUTES);
  });
});
