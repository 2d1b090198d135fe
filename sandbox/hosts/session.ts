// Signing in to a demo host app, and what its writes must carry, as real web apps do: a session
// cookie (HttpOnly, SameSite=Lax) set the first time a browser opens one of its pages (a
// "remembered sign-in", so a browser that opens a page is signed in), a CSRF token bound to the
// session on every write, and on some apps an Origin that is the app's own. The server applies an
// app's AppSecurity before the app sees a request; each app only words its refusals.
import { randomBytes } from 'node:crypto';
import { reply, type HostReply, type HostRequest } from './app';
import { html, page, type AppFrame } from './html';

export interface Session {
  id: string;
  user: string;
  csrfToken: string;
  /** Writes accepted since the token was last changed. */
  writes: number;
}

/** How one app signs people in and guards its writes. */
export interface AppSecurity {
  /** The session cookie's name. */
  cookie: string;
  /**
   * What an API request without a valid session gets: the app's own 401 JSON (`refuse.signedOut`),
   * or, as server-rendered apps do, a 302 to /login (which a client following redirects reads as
   * the sign-in page, with a 200).
   */
  apiSignedOut: 'json' | 'redirect';
  csrf: {
    /** The <meta name> of the token in every page. */
    meta: string;
    /** The header a write carries the token in. */
    header: string;
    /** Other headers the app also reads the token from (Laravel takes X-CSRF-TOKEN and X-XSRF-TOKEN). */
    otherHeaders?: string[];
    /** A cookie scripts can read (not HttpOnly) that holds the token, set again on every answer. */
    cookie?: string;
    /** The field page forms carry the token in. */
    formField?: string;
    /** A new token after this many accepted writes (the old one is refused from then on). */
    rotateEvery?: number;
  };
  /** 'same': a write whose Origin is not the app's own is refused (Rails, Django); 'any': a session and token are enough. */
  origin: 'same' | 'any';
  /** The app's words for each refusal. */
  refuse: {
    signedOut(req: HostRequest): HostReply;
    csrf(req: HostRequest): HostReply;
    origin(req: HostRequest, got: string, expected: string): HostReply;
  };
}

const SESSION_COOKIE_ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Lax';
const SCRIPT_COOKIE_ATTRIBUTES = 'Path=/; SameSite=Lax';
const newSecret = () => randomBytes(24).toString('base64url');
/** The most sessions an app keeps; past that the oldest ends (clients without cookies make one per page). */
const MAX_SESSIONS = 10_000;

/** Paths no session guards: the app's assets, signing in, and the admin calls tests make. */
export const isAdminPath = (path: string) => path.startsWith('/api/_');
const isOpenPath = (path: string) => path.startsWith('/assets/') || isAdminPath(path) || path === '/login';
const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD';

/** A same-site path to go back to after signing in; anything else is "/". */
function returnPath(value: string | null): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/';
}

function cookiesOf(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The token a write carries: in the app's header(s), or in a page form's field. */
function tokenOf(req: HostRequest, csrf: AppSecurity['csrf']): string | undefined {
  for (const name of [csrf.header, ...(csrf.otherHeaders ?? [])]) {
    const value = req.headers[name.toLowerCase()];
    if (value) return value;
  }
  if (csrf.formField && req.body && typeof req.body === 'object' && !Array.isArray(req.body)) {
    const value = (req.body as Record<string, unknown>)[csrf.formField];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** What the guard decided: refuse with a reply, or let the app answer (adding these cookies). */
export type Admission = { refused: HostReply; cookies: string[] } | { refused?: undefined; cookies: string[] };

/** One app's signed-in sessions, and the checks every request passes before the app sees it. */
export class SignIn {
  private sessions = new Map<string, Session>();
  /** Whether opening a page signs a browser in by itself; off after `expire({ remember: false })` until someone signs in. */
  private remembered = true;

  constructor(
    private readonly security: AppSecurity,
    private readonly frame: AppFrame,
  ) {}

  /**
   * Checks a request (session, Origin, CSRF token) and answers /login and /logout itself. A request
   * no route takes (`known` false) is left to the app's 404 or 405 when it is an API call or a
   * write, as apps route before they check who is asking.
   */
  admit(req: HostRequest, known: boolean): Admission {
    const cookies: string[] = [];
    const { security } = this;
    req.session = this.sessions.get(cookiesOf(req.headers.cookie).get(security.cookie) ?? '');
    if (req.path === '/login') return { refused: this.login(req, cookies), cookies };
    if (isOpenPath(req.path)) return { cookies };
    if (!known && req.path !== '/logout' && (req.path.startsWith('/api/') || isWrite(req.method))) return { cookies };

    if (!req.session) {
      const isApi = req.path.startsWith('/api/');
      if (isApi && security.apiSignedOut === 'json') return { refused: security.refuse.signedOut(req), cookies };
      if (isApi || isWrite(req.method) || !this.remembered) return { refused: toLogin(req), cookies };
      req.session = this.start(this.frame.user, cookies);
    }
    if (req.path === '/logout') return { refused: this.logout(req, cookies), cookies };
    if (isWrite(req.method)) {
      const refused = this.checkWrite(req);
      if (refused) return { refused, cookies };
    }
    return { cookies };
  }

  /**
   * After the answer is known (the app's, or a refusal): counts an accepted write (rotating the
   * token every N), and sets the script-readable token cookie.
   */
  answered(req: HostRequest, r: HostReply, cookies: string[]): HostReply {
    const session = req.session;
    if (session && isWrite(req.method) && r.status < 400 && !isOpenPath(req.path) && req.path !== '/logout') {
      session.writes++;
      const every = this.security.csrf.rotateEvery;
      if (every && session.writes >= every) this.rotate(session);
    }
    return this.withTokenCookie(req, r, cookies);
  }

  /** Ends every session; with remember false, opening a page no longer signs in until someone signs in at /login. */
  expire(opts: { remember?: boolean } = {}): number {
    const count = this.sessions.size;
    this.sessions.clear();
    this.remembered = opts.remember ?? true;
    return count;
  }

  /** Gives every session a new CSRF token: what a page or script read before is stale. */
  rotateAll(): number {
    for (const session of this.sessions.values()) this.rotate(session);
    return this.sessions.size;
  }

  /** Back to the start: pages sign in again by themselves (sessions stay, so open browsers stay signed in). */
  reset() {
    this.remembered = true;
  }

  private start(user: string, cookies: string[]): Session {
    const session: Session = { id: newSecret(), user, csrfToken: newSecret(), writes: 0 };
    this.sessions.set(session.id, session);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    cookies.push(`${this.security.cookie}=${session.id}; ${SESSION_COOKIE_ATTRIBUTES}`);
    return session;
  }

  private rotate(session: Session) {
    session.csrfToken = newSecret();
    session.writes = 0;
  }

  private checkWrite(req: HostRequest): HostReply | undefined {
    const { security } = this;
    const origin = req.headers.origin;
    if (security.origin === 'same' && origin !== undefined) {
      // The app's own origin is the one the browser addressed (its Host), as Rails and Django compare.
      const expected = `http://${req.headers.host ?? ''}`;
      if (origin !== expected) return security.refuse.origin(req, origin, expected);
    }
    if (tokenOf(req, security.csrf) !== req.session!.csrfToken) return security.refuse.csrf(req);
    return undefined;
  }

  /** Apps whose scripts read the token from a cookie get it on every answer, as Laravel and Angular apps send it. */
  private withTokenCookie(req: HostRequest, r: HostReply, cookies: string[]): HostReply {
    const name = this.security.csrf.cookie;
    if (name && req.session) cookies.push(`${name}=${req.session.csrfToken}; ${SCRIPT_COOKIE_ATTRIBUTES}`);
    return r;
  }

  /**
   * GET /login shows the sign-in form; GET /login?as=<user> (for tests and demos) and POST /login
   * (the form: user and any password) sign in with a new session and token, then go to return_to.
   */
  private login(req: HostRequest, cookies: string[]): HostReply {
    const form = req.method === 'POST' && req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : undefined;
    const user = req.method === 'POST' ? form?.user : req.query.get('as');
    const back = returnPath(req.query.get('return_to') ?? (typeof form?.return_to === 'string' ? form.return_to : null));
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST')
      return { ...reply.json({ error: 'Use GET or POST for /login.' }, 405), headers: { Allow: 'GET, POST' } };
    if (user === undefined || user === null) return this.loginPage(req, back);
    if (typeof user !== 'string' || !/^[\p{L}\p{N} .'@+_-]{1,60}$/u.test(user.trim()))
      return this.loginPage(req, back, 'Enter your name or email (up to 60 letters, digits, spaces and . \' @ + _ -).', 422);
    if (req.method === 'POST' && (typeof form?.password !== 'string' || !form.password))
      return this.loginPage(req, back, 'Enter your password.', 422);
    // A new session on every sign-in, so a session id known before it is worth nothing after.
    if (req.session) this.sessions.delete(req.session.id);
    req.session = this.start(user.trim(), cookies);
    this.remembered = true;
    return reply.seeOther(back);
  }

  private logout(req: HostRequest, cookies: string[]): HostReply {
    if (req.method !== 'POST') return { ...reply.json({ error: 'Use POST for /logout.' }, 405), headers: { Allow: 'POST' } };
    const refused = this.checkWrite(req);
    if (refused) return refused;
    this.sessions.delete(req.session!.id);
    req.session = undefined;
    cookies.push(`${this.security.cookie}=; ${SESSION_COOKIE_ATTRIBUTES}; Max-Age=0`);
    return reply.seeOther('/login');
  }

  private loginPage(req: HostRequest, back: string, problem?: string, status = 200): HostReply {
    const body = html`<section class="empty-state sign-in"><h1>Sign in to ${this.frame.product}</h1>
${problem ? html`<p class="error-message" role="alert">${problem}</p>` : ''}
<form class="sign-in-form" method="post" action="/login">
<input type="hidden" name="return_to" value="${back}">
<p><label>Email or name <input name="user" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p></form></section>`;
    return reply.html(page(this.frame, { title: 'Sign in', path: req.path, body }), status);
  }
}

/** Where a request without a session goes: the sign-in page, coming back here afterwards. */
function toLogin(req: HostRequest): HostReply {
  const back = req.method === 'GET' || req.method === 'HEAD' ? `${req.path}${req.query.size ? `?${req.query}` : ''}` : '/';
  return { status: 302, contentType: 'text/plain; charset=utf-8', body: '', headers: { Location: `/login?return_to=${encodeURIComponent(back)}` } };
}
