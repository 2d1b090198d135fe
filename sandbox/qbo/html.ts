// HTML for the emulator's own pages (consent page, web app stand-ins): escaped text, one look.

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  :root { --green:#2ca01c; --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif; color:var(--ink); background:#f4f5f8; }
  .bar { background:#fff; border-bottom:1px solid var(--line); padding:10px 20px; display:flex; align-items:center; gap:10px; }
  .logo { background:var(--green); color:#fff; font-weight:700; border-radius:8px; padding:4px 8px; }
  .tag { font-size:12px; color:#fff; background:#8a6d00; border-radius:10px; padding:2px 8px; }
  main { max-width:960px; margin:24px auto; padding:0 16px; }
  .card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:24px; max-width:520px; margin:40px auto; }
  main .card { max-width:none; margin:0 0 16px; }
  h1 { font-size:20px; margin:0 0 8px; }
  .muted, small { color:var(--muted); }
  fieldset { border:1px solid var(--line); border-radius:8px; padding:8px 12px; margin:16px 0; }
  .choice { display:flex; gap:10px; align-items:flex-start; padding:8px 4px; cursor:pointer; }
  .choice small { display:block; }
  /* The primary button comes first in the form (Enter presses it) and shows on the right. */
  .actions { display:flex; flex-direction:row-reverse; justify-content:flex-start; gap:8px; margin-top:16px; }
  button { font:inherit; border-radius:20px; padding:8px 18px; cursor:pointer; border:1px solid var(--line); background:#fff; }
  button.primary { background:var(--green); border-color:var(--green); color:#fff; font-weight:600; }
  table { width:100%; border-collapse:collapse; }
  th, td { text-align:left; padding:8px; border-bottom:1px solid var(--line); vertical-align:top; }
  th { color:var(--muted); font-weight:600; font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
  td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
  dl { display:grid; grid-template-columns:180px 1fr; gap:6px 16px; margin:0; }
  dt { color:var(--muted); }
  dd { margin:0; }
`;

export function page(title: string, body: string, company?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<div class="bar"><span class="logo">qb</span><strong>QuickBooks</strong><span class="tag">Local sandbox</span>${
    company ? `<span class="muted" style="margin-left:auto">${escapeHtml(company)}</span>` : ''
  }</div>${body}</body></html>`;
}
