// The hooks console. Every value from the server is shown with textContent (never innerHTML):
// payloads are attacker-controlled.
const state = { csrf: null, identity: null, features: [], feed: null, feedRows: [], accepted: 0, rejected: 0 };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = String(v);
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function call(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (r.status === 401 && path !== 'login') {
    // A route may take fewer tokens than the login does (hooks-server's deploy routes take admin.token only,
    // the alerts routes alerts.admin-token): with the session still alive that is the route's refusal.
    if (path.startsWith('api/') && (await fetch('session', { credentials: 'same-origin' })).ok) {
      throw new Error('this route does not accept the token you logged in with (401 unauthorized)');
    }
    showLogin();
    throw new Error('log in again');
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { message: text }; }
  if (!r.ok) throw new Error((data && (data.message || data.error)) || ('HTTP ' + r.status));
  return data;
}

function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.classList.add('show');
  setTimeout(() => t.classList.remove('show'), 2500);
}

function confirmDialog(text) {
  return new Promise((resolve) => {
    const d = $('confirm');
    $('confirm-text').textContent = text;
    d.returnValue = '';
    d.addEventListener('close', () => resolve(d.returnValue === 'ok'), { once: true });
    d.showModal();
    $('confirm-cancel').focus();
  });
}

function statusClass(s) {
  if (typeof s === 'number') return s < 300 ? 'status-ok' : s < 500 ? 'status-warn' : 'status-bad';
  return s === 'done' ? 'status-ok' : s === 'dead' ? 'status-bad' : 'status-warn';
}

function table(columns, rows, onRow) {
  const head = el('tr', {}, ...columns.map((c) => el('th', { text: c.title, class: c.narrow ? 'hide-narrow' : null })));
  const body = el('tbody');
  for (const row of rows) {
    const tr = el('tr', { class: onRow ? 'clickable' : null, tabindex: onRow ? 0 : null });
    for (const c of columns) {
      const v = c.value(row);
      const td = el('td', { class: [c.mono ? 'mono' : '', c.narrow ? 'hide-narrow' : '', c.cls ? c.cls(row) : ''].join(' ').trim() || null });
      if (v instanceof Node) td.append(v); else td.textContent = v === null || v === undefined ? '' : String(v);
      tr.append(td);
    }
    if (onRow) {
      tr.addEventListener('click', () => onRow(row));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') onRow(row); });
    }
    body.append(tr);
  }
  return el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, head), body));
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString();
}

// ---- login ----
function showLogin() {
  stopFeed();
  state.csrf = null;
  $('top').hidden = true;
  $('page').replaceChildren();
  $('login').hidden = false;
  $('token').focus();
}

async function login(e) {
  e.preventDefault();
  $('login-error').textContent = '';
  try {
    const s = await call('POST', 'login', { token: $('token').value });
    $('token').value = '';
    enter(s);
  } catch (err) {
    $('login-error').textContent = err.message;
  }
}

function enter(s) {
  state.csrf = s.csrf;
  state.identity = s.identity;
  state.features = s.features || [];
  for (const a of document.querySelectorAll('[data-feature]')) a.hidden = !state.features.includes(a.dataset.feature);
  $('who').textContent = s.identity;
  $('login').hidden = true;
  $('top').hidden = false;
  route();
}

async function logout() {
  try { await call('POST', 'logout'); } catch { /* already gone */ }
  showLogin();
}

// ---- router ----
const pages = {};
function route() {
  if (!state.csrf) return;
  const [, name = 'dashboard', arg] = location.hash.split('/');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  if (name !== 'dashboard') stopFeed();
  const page = pages[name] || pages.dashboard;
  const root = $('page');
  root.replaceChildren();
  page(root, arg ? decodeURIComponent(arg) : null).catch((err) => root.append(el('p', { class: 'error', text: err.message })));
}

// ---- dashboard ----
function stopFeed() {
  if (state.feed) { state.feed.close(); state.feed = null; }
}

pages.dashboard = async (root) => {
  root.append(el('h1', { text: 'Dashboard' }));
  const counters = el('div', { class: 'counters', id: 'counters' });
  root.append(counters);
  const counter = (id, label, value) => el('div', { class: 'counter' }, el('div', { class: 'value', id, text: value }), el('div', { class: 'label', text: label }));
  const feedBody = el('tbody', { id: 'feed-rows' });
  root.append(el('h2', { text: 'Live feed' }),
    el('p', { id: 'feed-state', class: 'muted', text: 'connecting…' }),
    el('div', { class: 'table-wrap' }, el('table', { id: 'feed' },
      el('thead', {}, el('tr', {}, ...['Time', 'Endpoint', 'Type', 'Outcome', 'Latency', 'Request id'].map((t) => el('th', { text: t })))),
      feedBody)));
  const summary = await call('GET', 'summary');
  const j = summary.journal || {};
  counters.append(
    counter('count-accepted', 'accepted (this page)', state.accepted),
    counter('count-rejected', 'rejected (this page)', state.rejected),
    counter('count-pending', 'pending', j.pending ?? '–'),
    counter('count-done', 'done', j.done ?? '–'),
    counter('count-dead', 'dead letters', j.dead ?? '–'));
  for (const item of state.feedRows) feedBody.append(feedRow(item));
  if (state.features.includes('stats')) {
    call('GET', 'api/api/stats').then((st) => {
      const days = st.days || [];
      if (!days.length) return;
      counters.after(el('h2', { text: 'Alerts per day (UTC)' }),
        table(Object.keys(days[0]).map((k) => ({ title: k, value: (d) => d[k] })), days));
    }).catch((err) => toast(err.message));
  }
  stopFeed();
  const es = new EventSource('feed');
  state.feed = es;
  es.addEventListener('open', () => { const s = $('feed-state'); if (s) s.textContent = 'live'; });
  es.addEventListener('error', () => { const s = $('feed-state'); if (s) s.textContent = 'reconnecting…'; });
  es.addEventListener('delivery', (ev) => {
    const item = JSON.parse(ev.data);
    if (item.status < 300) state.accepted++; else state.rejected++;
    state.feedRows.unshift(item);
    state.feedRows.length = Math.min(state.feedRows.length, 200);
    const body = $('feed-rows');
    if (!body) return;
    body.prepend(feedRow(item));
    while (body.children.length > 200) body.lastChild.remove();
    $('count-accepted').textContent = state.accepted;
    $('count-rejected').textContent = state.rejected;
  });
};

function feedRow(item) {
  const tr = el('tr', { class: 'clickable', tabindex: 0, 'data-request-id': item.request_id },
    el('td', { text: time(item.received_at) }),
    el('td', { text: item.endpoint }),
    el('td', { text: item.event_type || '' }),
    el('td', { class: statusClass(item.status), text: item.status + (item.error ? ' ' + item.error : '') }),
    el('td', { text: item.millis.toFixed(1) + ' ms' }),
    el('td', { class: 'mono', text: item.request_id }));
  const open = () => { location.hash = '#/delivery/' + encodeURIComponent(item.request_id); };
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
  return tr;
}

// ---- history ----
pages.history = async (root) => {
  root.append(el('h1', { text: 'History' }));
  const endpoint = el('input', { id: 'filter-endpoint', name: 'endpoint', placeholder: 'endpoint id', 'aria-label': 'endpoint' });
  const status = el('select', { id: 'filter-status', 'aria-label': 'status' }, ...['', 'pending', 'done', 'dead'].map((s) => el('option', { value: s, text: s || 'any status' })));
  const since = el('input', { id: 'filter-since', type: 'datetime-local', 'aria-label': 'since' });
  const results = el('div', { id: 'history-results' });
  let next = null;
  const load = async (more) => {
    const q = new URLSearchParams({ limit: '50' });
    if (endpoint.value.trim()) q.set('endpoint', endpoint.value.trim());
    if (status.value) q.set('status', status.value);
    if (since.value) q.set('since', new Date(since.value).toISOString());
    if (more && next) q.set('before', next);
    const page = await call('GET', 'api/admin/deliveries?' + q);
    next = page.next;
    const t = table([
      { title: 'Received', value: (d) => time(d.received_at) },
      { title: 'Endpoint', value: (d) => d.endpoint },
      { title: 'Status', value: (d) => d.status, cls: (d) => statusClass(d.status) },
      { title: 'Attempts', value: (d) => d.attempts, narrow: true },
      { title: 'Last error', value: (d) => d.last_error, narrow: true },
      { title: 'Request id', value: (d) => d.request_id, mono: true },
    ], page.deliveries, (d) => { location.hash = '#/delivery/' + encodeURIComponent(d.request_id); });
    if (more) results.append(t); else results.replaceChildren(t);
    moreButton.hidden = !next;
  };
  const moreButton = el('button', { type: 'button', class: 'secondary', id: 'history-more', hidden: true, onclick: () => load(true) }, 'Older');
  const form = el('form', { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); load(false).catch((err) => toast(err.message)); } },
    el('label', {}, 'Endpoint', endpoint), el('label', {}, 'Status', status), el('label', {}, 'Since', since),
    el('button', { type: 'submit', id: 'history-search' }, 'Search'));
  root.append(form, results, moreButton);
  await load(false);
};

pages.delivery = async (root, id) => {
  const d = await call('GET', 'api/admin/deliveries/' + encodeURIComponent(id) + '?detail=true');
  root.append(el('h1', { text: 'Delivery ' + d.request_id }));
  const dl = el('dl', { class: 'detail card', id: 'delivery-detail' });
  for (const [k, v] of Object.entries(d)) {
    if (k === 'headers' || k === 'body' || k === 'body_truncated') continue;
    dl.append(el('dt', { text: k }), el('dd', { class: 'mono', 'data-field': k, text: v === null ? '' : v }));
  }
  root.append(dl);
  if (d.headers) {
    root.append(el('h2', { text: 'Headers (secrets masked)' }),
      el('pre', { id: 'delivery-headers', text: d.headers.map((h) => h.name + ': ' + h.value).join('\n') }));
  }
  if (d.body !== undefined) {
    root.append(el('h2', { text: 'Body (secrets masked)' + (d.body_truncated ? ', truncated' : '') }), el('pre', { id: 'delivery-body', text: d.body }));
  }
  root.append(el('p', {}, el('button', { type: 'button', id: 'replay', onclick: () => replay(d.request_id) }, 'Replay')));
};

async function replay(id) {
  if (!(await confirmDialog('Replay delivery ' + id + '? Its handlers run again.'))) return;
  try {
    await call('POST', 'api/admin/deliveries/' + encodeURIComponent(id) + '/replay');
    toast('Replay queued: ' + id);
    route();
  } catch (err) { toast(err.message); }
}

// ---- dead letters ----
pages['dead-letters'] = async (root) => {
  root.append(el('h1', { text: 'Dead letters' }));
  const data = await call('GET', 'api/admin/dead-letters?limit=200');
  if (!data.dead_letters.length) { root.append(el('p', { id: 'no-dead-letters', text: 'No dead letters.' })); return; }
  root.append(table([
    { title: 'Received', value: (d) => time(d.received_at) },
    { title: 'Endpoint', value: (d) => d.endpoint },
    { title: 'Attempts', value: (d) => d.attempts },
    { title: 'Reason', value: (d) => d.last_error },
    { title: 'Request id', value: (d) => d.request_id, mono: true },
    { title: '', value: (d) => el('button', { type: 'button', class: 'secondary', onclick: (e) => { e.stopPropagation(); replay(d.request_id); } }, 'Replay') },
  ], data.dead_letters, (d) => { location.hash = '#/delivery/' + encodeURIComponent(d.request_id); }));
};

// ---- endpoints ----
pages.endpoints = async (root) => {
  root.append(el('h1', { text: 'Endpoints' }));
  const kind = el('select', { id: 'new-kind', 'aria-label': 'kind' }, ...['github', 'gitlab', 'docker', 'ci', 'custom'].map((k) => el('option', { value: k, text: k })));
  const shown = el('div', { id: 'created' });
  root.append(el('form', { class: 'toolbar', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const c = await call('POST', 'api/admin/endpoints', { kind: kind.value });
      shown.replaceChildren(el('div', { class: 'shown-once' },
        el('strong', { text: 'Endpoint ' + c.id + ' created. Copy its secret now: it is shown this once.' }),
        el('dl', { class: 'detail' },
          el('dt', { text: 'URL' }), el('dd', { class: 'mono', id: 'created-url', text: c.url }),
          el('dt', { text: 'Secret' }), el('dd', { class: 'mono', id: 'created-secret', text: c.secret }))));
      await list();
    } catch (err) { toast(err.message); }
  } }, el('label', {}, 'Kind', kind), el('button', { type: 'submit', id: 'create-endpoint' }, 'Create endpoint')), shown);
  const holder = el('div', { id: 'endpoint-list' });
  root.append(holder);
  const act = async (method, path, message) => {
    try { await call(method, path); toast(message); await list(); } catch (err) { toast(err.message); }
  };
  const list = async () => {
    const data = await call('GET', 'api/admin/endpoints');
    holder.replaceChildren(table([
      { title: 'Id', value: (x) => x.id, mono: true },
      { title: 'Kind', value: (x) => x.kind },
      { title: 'URL', value: (x) => x.url, mono: true, narrow: true },
      { title: 'Target', value: (x) => x.target, narrow: true },
      { title: 'Enabled', value: (x) => (x.enabled === false ? 'no' : 'yes') },
      { title: '', value: (x) => el('span', {},
        el('button', { type: 'button', class: 'secondary', 'data-action': 'test', 'data-id': x.id, onclick: () => act('POST', 'api/admin/endpoints/' + encodeURIComponent(x.id) + '/test', 'Test delivery sent to ' + x.id) }, 'Test'), ' ',
        el('button', { type: 'button', class: 'secondary', 'data-action': 'toggle', 'data-id': x.id, onclick: () => act('POST', 'api/admin/endpoints/' + encodeURIComponent(x.id) + (x.enabled === false ? '/enable' : '/disable'), x.id + (x.enabled === false ? ' enabled' : ' disabled')) }, x.enabled === false ? 'Enable' : 'Disable'), ' ',
        el('button', { type: 'button', class: 'danger', 'data-action': 'delete', 'data-id': x.id, onclick: async () => {
          if (await confirmDialog('Delete endpoint ' + x.id + '? Deliveries to its URL will be refused.')) await act('DELETE', 'api/admin/endpoints/' + encodeURIComponent(x.id), x.id + ' deleted');
        } }, 'Delete')) },
    ], data.endpoints));
  };
  await list();
};

// ---- maintenance ----
pages.maintenance = async (root) => {
  root.append(el('h1', { text: 'Maintenance' }));
  const show = (m) => {
    root.replaceChildren(el('h1', { text: 'Maintenance' }),
      el('p', {}, 'Global maintenance: ', el('span', { id: 'maintenance-state', class: 'pill' + (m.maintenance ? ' on' : ''), text: m.maintenance ? 'on' : 'off' }), ' ',
        el('button', { type: 'button', id: 'maintenance-toggle', class: m.maintenance ? 'secondary' : 'danger', onclick: async () => {
          if (!(await confirmDialog('Turn global maintenance ' + (m.maintenance ? 'off' : 'on') + '?'))) return;
          try { show(await call('POST', 'api/admin/maintenance', { enabled: !m.maintenance })); } catch (err) { toast(err.message); }
        } }, m.maintenance ? 'Turn off' : 'Turn on')),
      el('h2', { text: 'Windows' }),
      (m.windows || []).length ? table(Object.keys(m.windows[0]).map((k) => ({ title: k, value: (w) => (typeof w[k] === 'object' ? JSON.stringify(w[k]) : w[k]) })), m.windows) : el('p', { text: 'None.' }),
      el('h2', { text: 'Silences' }),
      (m.silences || []).length ? table(Object.keys(m.silences[0]).map((k) => ({ title: k, value: (w) => (typeof w[k] === 'object' ? JSON.stringify(w[k]) : w[k]) })), m.silences) : el('p', { text: 'None.' }));
  };
  show(await call('GET', 'api/admin/maintenance'));
};

// ---- deployments (hooks-server's deploy: section) ----
const cell = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v);

pages.deployments = async (root) => {
  root.append(el('h1', { text: 'Deployments' }));
  const services = await call('GET', 'api/admin/deploy/services');
  if (!services.length) { root.append(el('p', { text: 'No services.' })); return; }
  for (const s of services) {
    const id = encodeURIComponent(s.service);
    const result = el('p', { class: 'result', 'data-result': s.service, role: 'status' });
    const current = s.current || {};
    const section = el('section', { class: 'card service', 'data-service': s.service },
      el('h2', { text: s.service }),
      el('dl', { class: 'detail' },
        el('dt', { text: 'status' }), el('dd', { 'data-field': 'status', class: statusClass(s.status === 'running' ? 'done' : s.status === 'failed' ? 'dead' : s.status), text: s.status }),
        el('dt', { text: 'service' }), el('dd', { 'data-field': 'service_status', text: cell(s.service_status) + (s.reason ? ' (' + s.reason + ')' : '') }),
        el('dt', { text: 'commit' }), el('dd', { class: 'mono', 'data-field': 'commit', text: cell(s.commit) }),
        el('dt', { text: 'current' }), el('dd', { class: 'mono', 'data-field': 'current', text: cell(current.id) }),
        el('dt', { text: 'previous' }), el('dd', { class: 'mono', 'data-field': 'previous', text: cell(s.previous) }),
        el('dt', { text: 'in progress' }), el('dd', { class: 'mono', 'data-field': 'in_progress', text: s.in_progress ? cell(s.in_progress.id) + ' ' + cell(s.in_progress.status) : '' })),
      el('p', {}, el('button', { type: 'button', class: 'danger', 'data-action': 'rollback', 'data-service': s.service, onclick: async () => {
        if (!(await confirmDialog('Roll ' + s.service + ' back to ' + (s.previous || 'its previous deployment') + '?'))) { result.textContent = 'Rollback cancelled.'; return; }
        try {
          const d = await call('POST', 'api/admin/deploy/services/' + id + '/rollback', {});
          result.className = 'result';
          result.textContent = 'Rollback queued: ' + cell(d.id) + ' (' + cell(d.status) + ')';
        } catch (err) {
          result.className = 'result error';
          result.textContent = err.message;
        }
      } }, 'Rollback')), result);
    root.append(section);
    const history = await call('GET', 'api/admin/deploy/services/' + id + '/deployments');
    section.append(el('h3', { text: 'History' }), history.length ? table([
      { title: 'Id', value: (d) => d.id, mono: true },
      { title: 'Status', value: (d) => d.status },
      { title: 'Commit', value: (d) => cell(d.commit), mono: true },
      { title: 'Trigger', value: (d) => cell(d.trigger), narrow: true },
      { title: 'Created', value: (d) => time(d.created_at), narrow: true },
      { title: 'Finished', value: (d) => time(d.finished_at), narrow: true },
      { title: 'Reason', value: (d) => cell(d.reason), narrow: true },
    ], history) : el('p', { 'data-empty': 'history', text: 'No deployments yet.' }));
  }
};

// ---- notification targets and routes (read-only) ----
pages.notifications = async (root) => {
  root.append(el('h1', { text: 'Notifications' }));
  const n = await call('GET', 'api/admin/notify');
  root.append(el('h2', { text: 'Targets' }), table([
    { title: 'Name', value: (t) => t.name },
    { title: 'Type', value: (t) => t.type },
    { title: 'Host', value: (t) => t.url, mono: true },
  ], n.targets));
  const filter = (f) => Object.entries(f || {}).filter(([, v]) => v && v.length).map(([k, v]) => k + ': ' + [].concat(v).join(', ')).join('; ');
  const rows = [];
  for (const r of n.routes) for (const h of r.handlers) rows.push({ route: r.name, match: filter(r.match), handler: h.name, filter: filter(h.filter), targets: h.targets.join(', '), digest: h.digest, rate: h.rate_limit });
  root.append(el('h2', { text: 'Routes' }), rows.length ? table([
    { title: 'Route', value: (x) => x.route },
    { title: 'Match', value: (x) => x.match || 'every event' },
    { title: 'Handler', value: (x) => x.handler },
    { title: 'Filter', value: (x) => x.filter || 'none' },
    { title: 'Targets', value: (x) => x.targets },
    { title: 'Digest', value: (x) => cell(x.digest), narrow: true },
    { title: 'Rate limit', value: (x) => cell(x.rate), narrow: true },
  ], rows) : el('p', { text: 'No route has a notify handler.' }));
};

// ---- incidents (hooks-server's alerts: section) ----
pages.incidents = async (root) => {
  root.append(el('h1', { text: 'Incidents' }));
  const status = el('select', { id: 'incident-status', 'aria-label': 'status' }, ...[['open', 'open'], ['closed', 'closed'], ['', 'any status']].map(([v, t]) => el('option', { value: v, text: t })));
  const holder = el('div', { id: 'incident-list' });
  const load = async () => {
    const data = await call('GET', 'api/admin/incidents' + (status.value ? '?status=' + status.value : ''));
    holder.replaceChildren(data.incidents.length ? table([
      { title: 'Opened', value: (i) => time(i.opened_at) },
      { title: 'Status', value: (i) => i.status, cls: (i) => (i.status === 'open' ? 'status-bad' : 'status-ok') },
      { title: 'Sink', value: (i) => i.sink },
      { title: 'Ticket', value: (i) => i.ticket, mono: true },
      { title: 'Updates', value: (i) => i.updates, narrow: true },
      { title: 'Closed', value: (i) => time(i.closed_at), narrow: true },
      { title: 'Fingerprint', value: (i) => i.fingerprint, mono: true, narrow: true },
    ], data.incidents) : el('p', { id: 'no-incidents', text: 'No incidents.' }));
  };
  status.addEventListener('change', () => load().catch((err) => toast(err.message)));
  root.append(el('div', { class: 'toolbar' }, el('label', {}, 'Status', status)), holder);
  await load();
};

// ---- start ----
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)) {
    const search = document.querySelector('#filter-endpoint');
    if (search) { e.preventDefault(); search.focus(); }
  }
});
window.addEventListener('hashchange', route);
$('login').addEventListener('submit', login);
$('logout').addEventListener('click', logout);
call('GET', 'session').then(enter).catch(() => showLogin());
