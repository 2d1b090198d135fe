// "Sync with QB" on host list rows (where the site profile's anchors.sync puts it): one control per
// row, and one bar for rows chosen in bulk. Not linked, the control opens a popover with the
// QuickBooks records to link the row to (the suggestion first, inactive ones marked) and "Create QB
// <kind>"; linked, it is the QB badge with Open, View QB info and Unsync. The host element is the
// same size with the same attributes whatever the state (dom.ts), so the page's script cannot tell
// linked rows from others; everything lives in closed shadow roots and acts only on a person's
// input. The worker decides which QuickBooks record and what is written (lib/hosts/worker/sync.ts).
import type { RecordStatus, ResponseOf } from '../../messages';
import { el, onTrusted, ownHost, popUnder, rootOf, sheetOf } from './dom';

const FONT = `font: 12px/1.35 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif;`;
const STYLE = `
:host { all: initial; ${FONT} }
.c { display: flex; align-items: center; gap: 6px; width: 100%; height: 100%; overflow: hidden; box-sizing: border-box; }
.pick { margin: 0; width: 14px; height: 14px; accent-color: #2ca01c; cursor: pointer; flex: none; }
.pick[hidden-state] { visibility: hidden; }
.pick:disabled { cursor: default; opacity: .35; }
.s { flex: 1; min-width: 0; height: 24px; display: inline-flex; align-items: center; gap: 5px; padding: 0 8px 0 3px; box-sizing: border-box;
  border-radius: 12px; border: 1px solid #2ca01c; background: #fff; color: #0d7a00; ${FONT} font-weight: 600; cursor: pointer; white-space: nowrap; }
.s:hover { background: #f1faef; }
.s:focus-visible, .pop :focus-visible { outline: 2px solid #0b6bcb; outline-offset: 1px; }
.s .qb { flex: none; width: 16px; height: 16px; border-radius: 50%; background: #2ca01c; color: #fff; font-size: 8.5px; font-weight: 800; display: inline-flex;
  align-items: center; justify-content: center; letter-spacing: -.02em; }
.s .caret { margin-left: auto; font-size: 9px; opacity: .8; }
.s.checking { border-color: #d9dee3; color: #9aa5b1; cursor: default; }
.s.checking .qb { background: #d9dee3; }
.s.linked { background: #2ca01c; color: #fff; border-color: #2ca01c; }
.s.linked:hover { background: #108000; }
.s.linked .qb { background: #fff; color: #2ca01c; }
.s.pending { border-style: dashed; color: #52606d; border-color: #9aa5b1; cursor: default; }
.s.pending .qb { background: transparent; border: 2px solid #cbd2d9; border-top-color: #2ca01c; width: 10px; height: 10px; animation: spin .8s linear infinite; }
.s.problem { border-color: #c0392b; color: #a82315; }
.s.problem .qb { background: #c0392b; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .s.pending .qb { animation: none; } }
.pop { position: fixed; margin: 0; inset: auto; width: 300px; box-sizing: border-box; background: #fff; color: #1f2933; border: 1px solid #d9dee3;
  border-radius: 10px; box-shadow: 0 10px 28px rgba(15,23,42,.18), 0 2px 6px rgba(15,23,42,.08); padding: 12px; ${FONT} white-space: normal; }
.pop.wide { width: 460px; }
.pop h3 { margin: 0 0 2px; font-size: 13px; font-weight: 700; }
.pop .sub { margin: 0 0 10px; color: #616e7c; overflow-wrap: anywhere; }
.pop .why { margin: 0 0 10px; padding: 6px 8px; border-radius: 6px; background: #fdecea; color: #8a1c10; }
.pop .err { margin: 8px 0 0; color: #a82315; }
.pop input[type=search] { width: 100%; box-sizing: border-box; height: 30px; padding: 0 10px; border: 1px solid #cbd2d9; border-radius: 6px; ${FONT} }
.pop input[type=search]:focus { outline: 2px solid #0b6bcb; outline-offset: -1px; border-color: transparent; }
.pop ul { list-style: none; margin: 8px 0 0; padding: 0; max-height: 176px; overflow: auto; border: 1px solid #e4e7eb; border-radius: 6px; }
.pop li + li { border-top: 1px solid #f0f2f4; }
.pop .opt { all: unset; box-sizing: border-box; display: flex; flex-wrap: wrap; align-items: center; gap: 2px 6px; width: 100%; padding: 7px 10px; cursor: pointer; ${FONT} }
.pop .opt:hover, .pop .opt:focus-visible { background: #f1faef; outline: none; }
.pop .opt .nm { font-weight: 600; overflow-wrap: anywhere; }
.pop .opt .em { flex-basis: 100%; color: #7b8794; font-size: 11px; overflow-wrap: anywhere; }
.pop .tag { font-size: 10px; font-weight: 700; border-radius: 8px; padding: 1px 6px; background: #e3f6df; color: #0d7a00; }
.pop .tag.off { background: #eef0f2; color: #616e7c; }
.pop .empty, .pop .more { padding: 8px 10px; color: #7b8794; margin: 0; }
.pop .foot { display: flex; gap: 8px; align-items: center; margin-top: 10px; flex-wrap: wrap; }
.pop button.b, .pop a.b { ${FONT} font-weight: 600; border: 1px solid #cbd2d9; background: #fff; color: #1f2933; border-radius: 6px; padding: 5px 12px; cursor: pointer; text-decoration: none; }
.pop button.b:hover, .pop a.b:hover { background: #f5f7fa; }
.pop button.primary { background: #2ca01c; border-color: #2ca01c; color: #fff; }
.pop button.primary:hover { background: #108000; }
.pop button:disabled { opacity: .55; cursor: default; }
.pop .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.pop .grid h4 { margin: 0 0 6px; padding-bottom: 4px; font-size: 12px; color: #52606d; border-bottom: 1px solid #e4e7eb; }
.pop dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 3px 8px; }
.pop dt { color: #7b8794; }
.pop dd { margin: 0; overflow-wrap: anywhere; }
`;

let sheet: CSSStyleSheet | undefined;
const styles = () => (sheet ??= sheetOf(STYLE));

/** The control's host: the same size and attributes whatever the row's state. */
const SYNC_HOST_STYLE = 'display:inline-block;width:140px;height:24px;vertical-align:middle;content-visibility:auto;contain-intrinsic-size:140px 24px';

type Choices = ResponseOf<'hosts.choices'>;
type Info = ResponseOf<'hosts.info'>;

/** What a person can do from a row's control (each sends one message to the worker). */
export interface SyncActions {
  choices(search: string): Promise<Choices>;
  pick(qbId: string): Promise<void>;
  create(): Promise<void>;
  unsync(): Promise<void>;
  info(): Promise<Info>;
  /** The row's checkbox was ticked or cleared; false when it may not be (too many chosen). */
  choose(chosen: boolean): boolean;
}

export interface SyncControl {
  host: HTMLElement;
  update(status: RecordStatus | undefined): void;
  /** Ticks or clears the row's checkbox (the bulk bar cleared the choice). */
  setChosen(chosen: boolean): void;
}

const parts = new WeakMap<HTMLElement, { pick: HTMLInputElement; button: HTMLButtonElement }>();

function face(button: HTMLButtonElement, cls: string, mark: string, text: string, caret = false) {
  button.className = `s ${cls}`;
  button.replaceChildren(el('span', { class: 'qb', 'aria-hidden': 'true' }, mark), text, ...(caret ? [el('span', { class: 'caret', 'aria-hidden': 'true' }, '▾')] : []));
}

/** A row's control in the checking state, not yet in the page (placed with the row's badge, in one pass). */
export function syncPlace(): HTMLElement {
  const { host, root } = ownHost(document.createElement('span'), 'sync', styles());
  host.style.cssText = SYNC_HOST_STYLE;
  const pick = el('input', { type: 'checkbox', class: 'pick', 'hidden-state': '', disabled: '', tabindex: '-1' }) as HTMLInputElement;
  const button = el('button', { type: 'button', 'aria-disabled': 'true', 'aria-label': 'Checking QuickBooks…' }) as HTMLButtonElement;
  face(button, 'checking', 'qb', 'Sync with QB');
  root.append(el('div', { class: 'c' }, pick, button));
  parts.set(host, { pick, button });
  return host;
}

/** A row may be chosen for "Create and sync" when it is not in QuickBooks (or its create failed). */
export const creatable = (s: RecordStatus | undefined) => s?.state === 'not-in-qb' || s?.state === 'failed';
const linkedish = (s: RecordStatus) => s.state === 'linked' || (s.state === 'error' && !!s.qbId);

/** Makes a row's control live: its state, its popover, its checkbox. */
export function createSyncControl(host: HTMLElement, label: string, kind: string, actions: SyncActions): SyncControl {
  const { pick, button } = parts.get(host)!;
  const root = rootOf(host)!;
  button.removeAttribute('aria-disabled');
  button.setAttribute('aria-haspopup', 'dialog');
  pick.setAttribute('aria-label', `Choose ${label}`);
  let current: RecordStatus | undefined;
  let pop: HTMLElement | undefined;
  let closeIt: (() => void) | undefined;
  const closePop = () => closeIt?.();

  const show = (content: HTMLElement[], opts: { label: string; wide?: boolean }) => {
    closePop();
    pop = el('div', { class: opts.wide ? 'pop wide' : 'pop', role: 'dialog', 'aria-label': opts.label, popover: 'manual', tabindex: '-1' }, ...content);
    closeIt = popUnder(root, button, pop, () => {
      pop = undefined;
      closeIt = undefined;
      button.setAttribute('aria-expanded', 'false');
    });
    button.setAttribute('aria-expanded', 'true');
    // Focus goes into the dialog (a popover that replaced another took the focused button with it),
    // so Escape and Tab work from the keyboard at once.
    pop.focus({ preventScroll: true });
  };
  const btn = (text: string, run: () => Promise<unknown> | void, cls = 'b', aria?: string) => {
    const b = el('button', { type: 'button', class: cls, ...(aria ? { 'aria-label': aria } : {}) }, text) as HTMLButtonElement;
    onTrusted(b, 'click', (e) => {
      e.stopPropagation();
      void run();
    });
    return b;
  };
  /** Runs an action from the popover: its buttons wait, and a refusal is shown in it. */
  const busy = async (run: () => Promise<unknown>) => {
    const here = pop;
    if (!here) return;
    for (const b of here.querySelectorAll('button')) b.disabled = true;
    here.querySelector('.err')?.remove();
    try {
      await run();
      if (pop === here) closePop();
      button.focus();
    } catch (e) {
      for (const b of here.querySelectorAll('button')) b.disabled = false;
      here.append(el('p', { class: 'err', role: 'alert' }, (e as Error).message));
    }
  };

  const openPicker = () => {
    const search = el('input', { type: 'search', placeholder: `Search QuickBooks ${kind}s`, 'aria-label': `Search QuickBooks ${kind}s`, autocomplete: 'off' }) as HTMLInputElement;
    const list = el('ul', { 'aria-label': `QuickBooks ${kind}s` });
    const problem = current?.state === 'failed' || current?.state === 'error' ? el('p', { class: 'why' }, current.reason ?? '') : undefined;
    show(
      [
        el('h3', {}, 'Sync with QuickBooks'),
        el('p', { class: 'sub' }, `Link “${label}” to a QuickBooks ${kind}, or create one.`),
        ...(problem ? [problem] : []),
        search,
        list,
        el('div', { class: 'foot' }, btn(`Create QB ${kind}`, () => busy(actions.create), 'b primary')),
      ],
      { label: `Sync ${label} with QuickBooks` },
    );
    let asked = 0;
    const fill = async () => {
      const n = ++asked;
      let answer: Choices;
      try {
        answer = await actions.choices(search.value);
      } catch (e) {
        if (n === asked) list.replaceChildren(el('li', { class: 'empty' }, (e as Error).message));
        return;
      }
      if (n !== asked) return;
      const items = answer.choices.map((c) => {
        const words = `${c.name}${c.suggested ? ' (suggested)' : ''}${c.active ? '' : ' (inactive)'}`;
        return el(
          'li',
          {},
          btn('', () => busy(() => actions.pick(c.id)), 'opt', `Link to ${words}`),
        );
      });
      answer.choices.forEach((c, i) => {
        const b = items[i].firstElementChild!;
        b.append(
          el('span', { class: 'nm' }, c.name),
          ...(c.suggested ? [el('span', { class: 'tag' }, 'Suggested')] : []),
          ...(c.active ? [] : [el('span', { class: 'tag off' }, 'Inactive')]),
          ...(c.email ? [el('span', { class: 'em' }, c.email)] : []),
        );
      });
      list.replaceChildren(...items, ...(answer.more ? [el('li', { class: 'more' }, 'Type to see more.')] : []));
      if (!items.length) list.replaceChildren(el('li', { class: 'empty' }, search.value ? `No QuickBooks ${kind} has “${search.value}” in its name or email.` : `QuickBooks has no ${kind} left to link to.`));
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    onTrusted(search, 'input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void fill(), 150);
    });
    void fill();
    search.focus();
  };

  const openInfo = async () => {
    let info: Info;
    try {
      info = await actions.info();
    } catch (e) {
      pop?.append(el('p', { class: 'err', role: 'alert' }, (e as Error).message));
      return;
    }
    const side = (title: string, facts: [string, string][] | undefined, none: string) =>
      el('section', {}, el('h4', {}, title), facts ? el('dl', {}, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])) : el('p', { class: 'sub' }, none));
    show(
      [
        el('h3', {}, 'QuickBooks info'),
        el('p', { class: 'sub' }, label),
        el('div', { class: 'grid' }, side(info.appName, info.app, `Not in ${info.appName}.`), side('QuickBooks', info.qb, 'Not linked to a QuickBooks record.')),
        el('div', { class: 'foot' }, ...(info.url ? [el('a', { class: 'b', href: info.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open in QuickBooks ↗')] : []), btn('Close', closePop)),
      ],
      { label: 'QuickBooks info', wide: true },
    );
  };

  const openMenu = () => {
    const s = current!;
    show(
      [
        el('h3', {}, s.state === 'linked' ? 'In QuickBooks' : 'QuickBooks problem'),
        el('p', { class: 'sub' }, s.qbName ?? ''),
        ...(s.state === 'error' ? [el('p', { class: 'why' }, s.reason ?? '')] : []),
        el(
          'div',
          { class: 'foot' },
          ...(s.url ? [el('a', { class: 'b', href: s.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open in QuickBooks ↗')] : []),
          btn('View QB info', () => void openInfo()),
          btn('Unsync', () => busy(actions.unsync)),
        ),
      ],
      { label: `${label} in QuickBooks` },
    );
  };

  const openPop = () => {
    if (pop) return closePop();
    if (!current) return;
    if (current.state === 'pending')
      return show([el('h3', {}, 'Being sent to QuickBooks'), el('p', { class: 'sub' }, current.reason ?? '')], { label: 'Being sent to QuickBooks' });
    if (linkedish(current)) openMenu();
    else openPicker();
  };

  onTrusted(button, 'click', (e) => {
    e.stopPropagation();
    e.preventDefault();
    openPop();
  });
  // The row's own click handlers (a row that opens on click) do not hear our checkbox.
  onTrusted(pick, 'click', (e) => e.stopPropagation());
  onTrusted(pick, 'change', () => {
    if (!actions.choose(pick.checked)) pick.checked = false;
  });
  onTrusted(root, 'keydown', (e) => {
    if (e.key === 'Escape' && pop) {
      closePop();
      button.focus();
    }
  });
  // Focus leaving the control and its popover closes the popover.
  onTrusted(root, 'focusout', (e) => {
    if (pop && !(e.relatedTarget instanceof Node && root.contains(e.relatedTarget))) closePop();
  });

  return {
    host,
    setChosen(chosen) {
      pick.checked = chosen;
    },
    update(status) {
      if (!status) return;
      const same = current && status.state === current.state && status.qbId === current.qbId && status.qbName === current.qbName && status.reason === current.reason;
      current = status;
      if (same) return;
      closePop();
      const words =
        status.state === 'linked'
          ? `In QuickBooks: ${status.qbName ?? ''}`
          : status.state === 'pending'
            ? `Being sent to QuickBooks: ${label}`
            : status.state === 'error' || status.state === 'failed'
              ? `QuickBooks: ${status.reason ?? 'a problem'}`
              : `Sync ${label} with QuickBooks`;
      button.setAttribute('aria-label', words);
      button.title = words;
      if (status.state === 'linked') face(button, 'linked', '✓', 'Synced', true);
      else if (status.state === 'pending') face(button, 'pending', '', 'Syncing…');
      else if (status.state === 'error' || status.state === 'failed') face(button, 'problem', '!', linkedish(status) ? 'Check sync' : 'Sync with QB');
      else face(button, 'open', 'qb', 'Sync with QB');
      const can = creatable(status);
      pick.disabled = !can;
      pick.tabIndex = can ? 0 : -1;
      pick.title = can ? `Choose “${label}” to create in QuickBooks` : linkedish(status) || status.state === 'pending' ? '' : 'Link this one with Sync with QB';
      if (linkedish(status) || status.state === 'pending') pick.setAttribute('hidden-state', '');
      else pick.removeAttribute('hidden-state');
      if (!can && pick.checked) {
        pick.checked = false;
        actions.choose(false);
      }
    },
  };
}

// ---- rows chosen in bulk ---------------------------------------------------------------------

const BAR_STYLE = `
:host { all: initial; ${FONT} }
.bar { position: fixed; margin: 0; inset: auto auto 20px 50%; transform: translateX(-50%); min-width: 380px; max-width: calc(100vw - 40px); box-sizing: border-box;
  background: #1f2933; color: #fff; border: 0; border-radius: 12px; box-shadow: 0 12px 32px rgba(15,23,42,.3); padding: 12px 14px; ${FONT} }
.row { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.row .text { flex: 1; min-width: 160px; }
.qb { display: inline-flex; width: 18px; height: 18px; border-radius: 50%; background: #2ca01c; color: #fff; font-size: 9px; font-weight: 800; align-items: center; justify-content: center; margin-right: 8px; vertical-align: middle; }
button { ${FONT} font-weight: 600; border-radius: 6px; padding: 6px 12px; border: 1px solid #52606d; background: transparent; color: #fff; cursor: pointer; }
button:hover { background: #323f4b; }
button.primary { background: #2ca01c; border-color: #2ca01c; }
button.primary:hover { background: #108000; }
button:focus-visible { outline: 2px solid #7cc4fa; outline-offset: 1px; }
.note { margin: 8px 0 0; color: #fbd38d; }
progress { display: block; width: 100%; height: 8px; margin-top: 10px; appearance: none; border: 0; border-radius: 4px; background: #3e4c59; overflow: hidden; }
progress::-webkit-progress-bar { background: #3e4c59; border-radius: 4px; }
progress::-webkit-progress-value { background: #2ca01c; border-radius: 4px; transition: width .3s; }
`;

export interface BulkBar {
  /** How many rows are chosen now (0 hides the bar), and a note (too many chosen). */
  chosen(n: number, note?: string): void;
  /** Progress of a create under way: rows done and failed of all. */
  progress(done: number, failed: number, of: number): void;
}

/**
 * The bar for rows chosen in bulk: "Create and sync N" (the page allows 30), a confirmation, then the
 * progress as rows land in QuickBooks. Its host is placed once per page, whatever anyone chooses.
 */
export function createBulkBar(kind: string, actions: { create(): Promise<void>; clear(): void }): BulkBar & { host: HTMLElement } {
  const { host, root } = ownHost(document.createElement('span'), 'bulk', sheetOf(BAR_STYLE));
  host.style.cssText = 'position:fixed;left:0;top:0;width:0;height:0;display:block';
  const bar = el('div', { class: 'bar', role: 'region', 'aria-label': 'Sync with QuickBooks in bulk', popover: 'manual' });
  root.append(bar);
  let n = 0;
  /** A create under way, or its outcome still shown. */
  let mode: 'choosing' | 'running' | 'finished' = 'choosing';
  const button = (text: string, run: () => void, primary = false) => {
    const b = el('button', { type: 'button', ...(primary ? { class: 'primary' } : {}) }, text);
    onTrusted(b, 'click', (e) => {
      e.stopPropagation();
      run();
    });
    return b;
  };
  const render = (...content: (HTMLElement | string)[]) => {
    bar.replaceChildren(...content);
    if (!bar.matches(':popover-open')) bar.showPopover();
  };
  const hide = () => {
    if (bar.matches(':popover-open')) bar.hidePopover();
  };
  const done = () => {
    mode = 'choosing';
    hide();
    actions.clear();
  };
  const plural = (k: number) => `${k} ${kind}${k === 1 ? '' : 's'}`;
  const choose = (note?: string) =>
    render(
      el('div', { class: 'row' }, el('span', { class: 'text' }, el('span', { class: 'qb', 'aria-hidden': 'true' }, 'qb'), `${plural(n)} chosen`), button(`Create and sync ${n}`, confirm, true), button('Clear', actions.clear)),
      ...(note ? [el('p', { class: 'note', role: 'status' }, note)] : []),
    );
  const confirm = () =>
    render(
      el(
        'div',
        { class: 'row', role: 'alertdialog', 'aria-label': 'Confirm' },
        el('span', { class: 'text' }, `Create ${plural(n)} in QuickBooks and link ${n === 1 ? 'it to its row' : 'them to their rows'}?`),
        button(`Yes, create ${n}`, () => {
          mode = 'running';
          const of = n;
          render(el('div', { class: 'row' }, el('span', { class: 'text', role: 'status' }, `Sending ${plural(of)} to QuickBooks…`)), el('progress', { max: String(of), value: '0', 'aria-label': 'Created in QuickBooks' }));
          actions.create().catch((e: Error) => {
            mode = 'finished';
            render(el('div', { class: 'row' }, el('span', { class: 'text', role: 'alert' }, e.message), button('Close', done)));
          });
        }, true),
        button('Cancel', () => choose()),
      ),
    );
  return {
    host,
    chosen(count, note) {
      n = count;
      if (mode === 'running' || (mode === 'finished' && n === 0)) return;
      mode = 'choosing';
      if (n === 0 && !note) hide();
      else choose(note);
    },
    progress(landed, failed, of) {
      if (mode !== 'running') return;
      const finished = landed + failed >= of;
      const text = finished
        ? failed
          ? `${landed} of ${of} created and synced; ${failed} could not be: their rows say why.`
          : `${plural(of)} created in QuickBooks and synced.`
        : `Creating in QuickBooks: ${landed + failed} of ${of}…`;
      render(
        el('div', { class: 'row' }, el('span', { class: 'text', role: 'status' }, el('span', { class: 'qb', 'aria-hidden': 'true' }, finished && !failed ? '✓' : 'qb'), text), ...(finished ? [button('Done', done)] : [])),
        el('progress', { max: String(of), value: String(landed + failed), 'aria-label': 'Created in QuickBooks' }),
      );
      if (finished) mode = 'finished';
    },
  };
}
