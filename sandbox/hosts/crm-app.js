// Rolodeck CRM in the browser: renders the dashboard, the contact list and each Contact Dashboard
// from the JSON API, and moves between them with history.pushState (no page loads), as a real SPA.
// Host strings only ever become text nodes, never markup.

const app = document.getElementById('app');
let renderToken = 0;
const listCache = new Map();

/** Builds an element; string and number children become text nodes. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const fullName = (c) => `${c.firstName} ${c.lastName}`.trim();
const initials = (name) => {
  const words = name.replace(/[^\p{L}\p{N} ]+/gu, ' ').trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase() || '?';
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const shortDate = (iso) => {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`;
};
const money = (n) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const stageBadge = (stage) => h('span', { class: `cd-stage cd-stage-${stage.toLowerCase().replace(/\s+/g, '-')}` }, stage);
const tagList = (tags) => tags.map((t) => h('span', { class: 'cd-tag' }, t));

/** The page's CSRF token; after the backend renews it (every 20 writes), read again from a fresh page. */
let csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
async function freshToken() {
  const text = await (await fetch('/', { headers: { Accept: 'text/html' } })).text();
  csrfToken = /<meta name="csrf-token" content="([^"]*)"/.exec(text)?.[1] ?? csrfToken;
}

/** A PATCH of the API (JSON in, JSON out); a refused token is renewed once. */
async function patchJson(url, body) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetch(url, { method: 'PATCH', headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken }, body: JSON.stringify(body) });
    if (res.status === 403 && attempt === 0) {
      await freshToken();
      continue;
    }
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(answer.error ?? `${res.status} ${res.statusText}`);
    return answer;
  }
  throw new Error('The change was not accepted.');
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (res.status === 404) return null;
  // Signed out (the session ended): to the sign-in page, coming back here afterwards.
  if (res.status === 401) {
    location.assign(`/login?return_to=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error('Signed out');
  }
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return res.json();
}

function setActiveNav(path) {
  for (const link of document.querySelectorAll('.app-nav-link')) {
    const href = link.getAttribute('href');
    const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    link.classList.toggle('is-active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Every contact, page after page (the API gives up to 1,000 at a time and a cursor to the next). */
async function allContacts(rows) {
  const list = [];
  let after = null;
  do {
    const params = new URLSearchParams({ limit: '1000' });
    if (rows) params.set('rows', rows);
    if (after) params.set('after', after);
    const page = await getJson(`/api/contacts?${params}`);
    list.push(...page.results);
    after = page.paging?.next?.after ?? null;
  } while (after);
  return list;
}

/** The contacts for the current ?rows=, kept so "back" to the list is instant. */
async function contacts(rows) {
  const key = rows ?? '';
  if (!listCache.has(key)) listCache.set(key, allContacts(rows));
  return listCache.get(key);
}

async function homeView() {
  const list = await contacts(null);
  const count = (stage) => list.filter((c) => c.stage === stage).length;
  const recent = [...list].filter((c) => c.lastContactedAt).sort((a, b) => b.lastContactedAt.localeCompare(a.lastContactedAt)).slice(0, 8);
  return [
    'Dashboard',
    h('div', { class: 'cd-page-head' }, h('h1', { class: 'cd-page-title' }, 'Welcome back, Dana'), h('a', { class: 'cd-btn cd-btn-primary', href: '/contacts' }, 'All contacts')),
    h('div', { class: 'cd-stats' },
      [['Contacts', list.length], ['Customers', count('Customer')], ['Prospects', count('Prospect')], ['Leads', count('Lead')]].map(([label, value]) =>
        h('div', { class: 'cd-stat' }, h('span', { class: 'cd-stat-value' }, value), h('span', { class: 'cd-stat-label' }, label)))),
    h('section', { class: 'cd-card' }, h('h2', { class: 'cd-card-title' }, 'Recently contacted'),
      h('ul', { class: 'cd-recent' }, recent.map((c) =>
        h('li', {}, h('span', { class: 'cd-avatar' }, initials(fullName(c))), h('a', { href: `/contacts/${c.id}` }, fullName(c)),
          h('span', { class: 'cd-muted' }, c.company ?? ''), h('span', { class: 'cd-muted', style: 'margin-left:auto' }, shortDate(c.lastContactedAt)))))),
  ];
}

async function listView(url) {
  const rows = url.searchParams.get('rows');
  const list = await contacts(rows);
  const body = h('tbody', {}, list.map((c) =>
    h('tr', { class: 'cd-contact-row', id: `contact-row-${c.id}` },
      h('td', { class: 'cd-col-select' }, h('input', { type: 'checkbox', name: 'contact', value: c.id, 'aria-label': `Select ${fullName(c)}` })),
      h('td', { class: 'cd-col-name' }, h('div', { class: 'cd-name-cell' }, h('span', { class: 'cd-avatar' }, initials(fullName(c))), h('a', { class: 'cd-contact-link', href: `/contacts/${c.id}` }, fullName(c)))),
      h('td', { class: 'cd-col-company' }, c.company ?? ''),
      h('td', { class: 'cd-col-email' }, c.email ? h('a', { href: `mailto:${c.email}` }, c.email) : ''),
      h('td', { class: 'cd-col-phone' }, c.phone ?? ''),
      h('td', { class: 'cd-col-stage' }, stageBadge(c.stage)),
      h('td', { class: 'cd-col-tags' }, tagList(c.tags)),
      h('td', { class: 'cd-col-owner' }, c.owner),
      h('td', { class: 'cd-col-last-contacted' }, shortDate(c.lastContactedAt)))));
  const countLabel = h('span', { class: 'cd-count' });
  const search = h('input', { class: 'cd-search', type: 'search', placeholder: 'Search name, company or email', 'aria-label': 'Search contacts', value: url.searchParams.get('q') ?? '' });
  // Filtering hides rows in place, as list views in CRMs do; the query stays in the URL.
  const applyFilter = () => {
    const q = search.value.trim().toLowerCase();
    let shown = 0;
    list.forEach((c, i) => {
      const hit = !q || [fullName(c), c.company, c.email].some((v) => v && v.toLowerCase().includes(q));
      body.children[i].hidden = !hit;
      if (hit) shown++;
    });
    countLabel.textContent = `${shown.toLocaleString('en-US')} contacts`;
    // Before the view is on screen the URL already says what it shows (and may belong to a newer view).
    if (!search.isConnected) return;
    const next = new URL(location.href);
    if (q) next.searchParams.set('q', search.value.trim());
    else next.searchParams.delete('q');
    history.replaceState(history.state, '', next);
  };
  search.addEventListener('input', applyFilter);
  const view = [
    'Contacts',
    h('div', { class: 'cd-page-head' }, h('h1', { class: 'cd-page-title' }, 'Contacts'), h('button', { class: 'cd-btn cd-btn-primary', type: 'button' }, '+ Add contact')),
    h('div', { class: 'cd-toolbar' }, search, countLabel),
    h('div', { class: 'cd-card cd-table-wrap' },
      h('table', { class: 'cd-table cd-contacts-table' },
        h('thead', {}, h('tr', {}, h('th', { class: 'cd-col-select' }, h('input', { type: 'checkbox', 'aria-label': 'Select all contacts' })),
          ['Name', 'Company', 'Email', 'Phone', 'Stage', 'Tags', 'Owner', 'Last contacted'].map((t) => h('th', {}, t)))),
        body)),
  ];
  queueMicrotask(applyFilter);
  return view;
}

function field(label, cls, value) {
  return [h('dt', {}, label), h('dd', { class: `cd-field cd-field-${cls}` }, value ?? '—')];
}

/** The contact's edit form: its name, company, email, phones, address and notes; Save sends the changes. */
function editForm(c, done) {
  const input = (label, name, value, type = 'text') =>
    h('label', { class: 'cd-edit-field' }, h('span', {}, label), h('input', { name, type, value: value ?? '' }));
  const a = c.address ?? { street: '', city: '', state: '', zip: '', country: 'US' };
  const problem = h('p', { class: 'cd-edit-problem', role: 'alert', hidden: true });
  const form = h('form', { class: 'cd-edit-form', 'aria-label': 'Edit contact' },
    input('First name', 'firstName', c.firstName), input('Last name', 'lastName', c.lastName), input('Company', 'company', c.company),
    input('Email', 'email', c.email, 'email'), input('Phone', 'phone', c.phone), input('Mobile', 'mobile', c.mobile),
    input('Street', 'street', a.street), input('City', 'city', a.city), input('State', 'state', a.state), input('ZIP', 'zip', a.zip),
    h('label', { class: 'cd-edit-field cd-edit-wide' }, h('span', {}, 'Notes'), h('textarea', { name: 'notes', rows: 3 }, c.notes ?? '')),
    problem,
    h('div', { class: 'cd-edit-actions' }, h('button', { class: 'cd-btn cd-btn-primary', type: 'submit' }, 'Save'), h('button', { class: 'cd-btn', type: 'button', onclick: () => done(null) }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const v = Object.fromEntries(new FormData(form));
    const text = (x) => (String(x ?? '').trim() === '' ? null : String(x).trim());
    const body = { firstName: String(v.firstName ?? '').trim(), lastName: String(v.lastName ?? '').trim(), company: text(v.company), email: text(v.email), phone: text(v.phone), mobile: text(v.mobile), notes: String(v.notes ?? '') };
    body.address = text(v.street) && text(v.city) ? { street: text(v.street), city: text(v.city), state: String(v.state ?? '').trim(), zip: String(v.zip ?? '').trim(), country: a.country || 'US' } : null;
    try {
      done(await patchJson(`/api/contacts/${c.id}`, body));
    } catch (e) {
      problem.hidden = false;
      problem.textContent = String(e && e.message ? e.message : e);
    }
  });
  return form;
}

function profileCard(c, name) {
  const address = c.address ? `${c.address.street}, ${c.address.city}, ${c.address.state} ${c.address.zip}` : null;
  const edit = h('button', { class: 'cd-btn cd-edit', type: 'button' }, 'Edit');
  const actions = h('div', { class: 'cd-contact-actions' },
    c.email ? h('a', { class: 'cd-btn', href: `mailto:${c.email}` }, 'Email') : null,
    c.phone ? h('a', { class: 'cd-btn', href: `tel:${c.phone}` }, 'Call') : null,
    edit);
  const fields = h('dl', { class: 'cd-fields' },
    field('Company', 'company', c.company),
    field('Email', 'email', c.email ? h('a', { href: `mailto:${c.email}` }, c.email) : null),
    field('Phone', 'phone', c.phone),
    field('Mobile', 'mobile', c.mobile),
    field('Address', 'address', address),
    field('Owner', 'owner', c.owner),
    field('Lead source', 'lead-source', c.leadSource),
    field('Created', 'created', shortDate(c.createdAt)),
    // Billing facts an accounting integration keeps (read-only here).
    field('Terms', 'terms', c.paymentTerms),
    field('Payment method', 'payment-method', c.paymentMethod),
    field('Delivery', 'delivery-method', c.deliveryMethod),
    field('Balance', 'balance', c.balance === null || c.balance === undefined ? null : c.balance.toLocaleString('en-US', { style: 'currency', currency: 'USD' })),
    field('Open balance', 'open-balance', c.openBalance === null || c.openBalance === undefined ? null : c.openBalance.toLocaleString('en-US', { style: 'currency', currency: 'USD' })));
  const main = h('div', { class: 'cd-profile-main' },
    h('div', { class: 'cd-name-row' }, h('h1', { class: 'cd-contact-name' }, name), stageBadge(c.stage)),
    h('p', { class: 'cd-contact-title' }, [c.jobTitle, c.company].filter(Boolean).join(' at ')),
    actions,
    fields);
  edit.addEventListener('click', () => {
    const form = editForm(c, (saved) => {
      if (saved) {
        listCache.clear();
        render();
      } else form.replaceWith(fields);
    });
    fields.replaceWith(form);
  });
  return h('section', { class: 'cd-card cd-profile-card' },
    h('div', { class: 'cd-profile' }, h('span', { class: 'cd-avatar cd-avatar-lg' }, initials(name)), main));
}

function card(cls, title, ...body) {
  return h('section', { class: `cd-card ${cls}` }, h('h2', { class: 'cd-card-title' }, title), ...body);
}

function activityCard(c) {
  const items = c.activity.map((a) =>
    h('li', { class: 'cd-timeline-item' },
      h('div', {}, h('div', { class: 'cd-activity-type' }, a.type), h('div', { class: 'cd-activity-when' }, shortDate(a.at))),
      h('div', {},
        h('div', { class: 'cd-activity-subject' }, a.subject),
        h('p', { class: 'cd-activity-detail' }, a.detail),
        h('div', { class: 'cd-activity-when' }, `by ${a.by}`))));
  return card('cd-activity-card', 'Activity', h('div', { class: 'cd-card-body' }, h('ol', { class: 'cd-timeline' }, items)));
}

/** The right-hand column: folders (documents, proposals, ...), deals and the next step. */
function sidebar(c) {
  const folders = c.folders.map((f) =>
    h('li', { class: 'cd-folder' },
      h('span', { class: 'cd-folder-icon', 'aria-hidden': 'true' }, '📁'),
      h('span', { class: 'cd-folder-name' }, f.name),
      h('span', { class: 'cd-folder-count' }, `${f.files} files`)));
  const deals = c.deals.length
    ? c.deals.map((d) => h('div', { class: 'cd-deal' }, h('span', {}, d.name, h('br'), h('span', { class: 'cd-muted' }, d.stage)), h('strong', {}, money(d.amount))))
    : h('span', { class: 'cd-muted' }, 'No open deals');
  const next = c.activity.find((a) => a.type === 'Task')?.subject ?? 'Schedule a check-in call.';
  return h('aside', { class: 'cd-sidebar' },
    card('cd-folders-card', 'Folders', h('ul', { class: 'cd-folder-list' }, folders)),
    card('cd-deals-card', 'Deals', h('div', { class: 'cd-card-body' }, deals)),
    card('cd-next-card', 'Next step', h('div', { class: 'cd-card-body' }, next)));
}

async function dashboardView(id) {
  const c = await getJson(`/api/contacts/${encodeURIComponent(id)}`);
  if (!c) return notFoundView();
  const name = fullName(c);
  const main = h('div', { class: 'cd-main' },
    profileCard(c, name),
    card('cd-tags-card', 'Tags', h('div', { class: 'cd-card-body cd-tags' }, c.tags.length ? tagList(c.tags) : h('span', { class: 'cd-muted' }, 'No tags'))),
    card('cd-notes-card', 'Notes', h('div', { class: 'cd-card-body' }, h('p', { class: 'cd-notes-text' }, c.notes || 'No notes yet.'))),
    activityCard(c));
  return [
    name,
    h('nav', { class: 'cd-breadcrumb' }, h('a', { href: '/contacts' }, 'Contacts'), ' › ', h('span', {}, name)),
    h('div', { class: 'cd-dashboard', id: `contact-${c.id}` }, main, sidebar(c)),
  ];
}

function notFoundView() {
  return ['Not found', h('section', { class: 'cd-empty' }, h('h1', {}, 'Contact not found'), h('p', {}, 'It may have been deleted or merged. '), h('a', { href: '/contacts' }, 'Back to contacts'))];
}

async function render() {
  const token = ++renderToken;
  const url = new URL(location.href);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  setActiveNav(path);
  let view;
  try {
    const match = /^\/contacts\/([^/]+)$/.exec(path);
    if (path === '/') view = await homeView();
    else if (path === '/contacts') view = await listView(url);
    else if (match) view = await dashboardView(decodeURIComponent(match[1]));
    else view = notFoundView();
  } catch (e) {
    view = ['Error', h('section', { class: 'cd-empty' }, h('h1', {}, 'Something went wrong'), h('p', {}, String(e && e.message ? e.message : e)))];
  }
  // A later navigation won the race: drop this view.
  if (token !== renderToken) return;
  const [title, ...nodes] = view;
  document.title = `${title} · Rolodeck CRM`;
  app.replaceChildren(...nodes);
  window.scrollTo(0, 0);
}

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (link.target && link.target !== '_self') return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
  event.preventDefault();
  if (url.href === location.href) return;
  history.pushState({}, '', url);
  render();
});
window.addEventListener('popstate', render);
render();
