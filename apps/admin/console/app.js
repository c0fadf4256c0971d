// wasock admin console: plain JavaScript, no build step. It speaks to the admin API of the
// process that served it (same origin) with the admin token kept in sessionStorage, and to the
// /live WebSocket for session changes and live events. Every value from the server reaches the
// page through textContent, never as HTML.

const TOKEN_KEY = 'wasock-admin-token';
const FEED_MAX = 200;
const STATE_TEXT = {
  new: 'New',
  awaiting_scan: 'Awaiting scan',
  connected: 'Connected',
  logged_out: 'Logged out',
  replaced: 'Replaced',
  failed: 'Failed',
};

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c);
  return node;
};

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  sessions: new Map(),
  rows: new Map(),
  panelSid: null,
  panelQr: null,
  panelBlobUrl: null,
  feedSid: null,
  feedLastId: null,
  ws: null,
  wsRetry: 0,
  wsTimer: null,
};

const dateFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const timeFmt = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

// ---------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    signOut('The admin token was refused. Sign in again.');
    throw new ApiError(401, 'unauthenticated', 'signed out');
  }
  const type = res.headers.get('content-type') ?? '';
  const payload = type.includes('application/json') ? await res.json() : await res.text();
  if (!res.ok) {
    const e = payload?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'http_error', e.message ?? `HTTP ${res.status}`);
  }
  return payload;
}

function toast(message) {
  const t = $('toast');
  t.textContent = message;
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), 3500);
}

// ---------------------------------------------------------------------------------------------
// Sign in / out

function showLogin(message = '') {
  $('app').hidden = true;
  $('signout').hidden = true;
  $('edge').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  $('admin-token').value = '';
  $('admin-token').focus();
  setConn('offline');
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  closeLive();
  showLogin(message);
}

async function signIn(token) {
  const res = await fetch('/info', { headers: { authorization: `Bearer ${token}` } });
  if (res.status === 401) throw new ApiError(401, 'unauthenticated', 'That is not the admin token.');
  if (!res.ok) throw new ApiError(res.status, 'http_error', `The admin app answered HTTP ${res.status}.`);
  const info = await res.json();
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('login').hidden = true;
  $('app').hidden = false;
  $('signout').hidden = false;
  if (info.edgeAddress) {
    $('edge-address').textContent = info.edgeAddress;
    $('edge').hidden = false;
  }
  await loadSessions();
  connectLive();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = $('admin-token').value.trim();
  if (!token) {
    $('login-error').textContent = 'Enter the admin token.';
    return;
  }
  $('login-error').textContent = '';
  try {
    await signIn(token);
  } catch (err) {
    $('login-error').textContent =
      err instanceof ApiError ? err.message : `Could not reach the admin app: ${err.message}`;
  }
});

$('signout').addEventListener('click', () => signOut());

// ---------------------------------------------------------------------------------------------
// Sessions table

async function loadSessions() {
  const { sessions } = await api('GET', '/sessions');
  const seen = new Set();
  for (const s of sessions) {
    seen.add(s.sid);
    upsertSession(s);
  }
  for (const sid of [...state.sessions.keys()]) {
    if (!seen.has(sid)) {
      state.sessions.delete(sid);
      state.rows.get(sid)?.remove();
      state.rows.delete(sid);
    }
  }
  renderCount();
}

function badge(s) {
  const b = el('span', { class: 'badge', 'data-state': s.state, text: STATE_TEXT[s.state] ?? s.state });
  return b;
}

function actionButton(label, onClick, extra = {}) {
  return el('button', {
    class: `btn small ${extra.class ?? ''}`.trim(),
    type: 'button',
    text: label,
    onclick: onClick,
    ...extra.props,
  });
}

function buildRow(sid) {
  const tr = el('tr', { 'data-sid': sid });
  const label = el('span', { class: 'label-text' });
  const sidCell = el('span', { class: 'sid mono' });
  const created = el('time');
  const connector = el('span');
  const states = el('div', { class: 'state-badges' });
  const actions = el('div', { class: 'actions' });
  const show = (s) => `${s.label || 'session'} ${s.sid}`;
  const cur = () => state.sessions.get(sid);
  const buttons = {
    qr: actionButton('QR', () => openPanel(sid)),
    events: actionButton('Events', () => watchFeed(sid)),
    restart: actionButton('Restart', () => command(sid, 'restart')),
    logout: actionButton('Log out', () => {
      if (confirm(`Log ${show(cur())} out of WhatsApp? A new QR scan will be needed.`))
        command(sid, 'logout');
    }),
    revoke: actionButton(
      'Revoke',
      () => {
        if (
          confirm(
            `Revoke the API token of ${show(cur())}? Its clients are disconnected and the session stops.`,
          )
        )
          revoke(sid);
      },
      { class: 'danger' },
    ),
  };
  for (const [name, b] of Object.entries(buttons)) {
    b.dataset.action = name;
    actions.append(b);
  }
  tr.append(
    el(
      'td',
      { class: 'session-cell', 'data-label': 'Session' },
      el(
        'div',
        {},
        label,
        el('span', { class: 'meta' }, sidCell, connector, el('span', {}, 'created ', created)),
      ),
    ),
    el('td', { class: 'state-cell', 'data-label': 'State' }, states),
    el('td', { class: 'actions-cell' }, actions),
  );
  tr._cells = { label, sidCell, connector, states, created, buttons };
  return tr;
}

function renderRow(s) {
  let tr = state.rows.get(s.sid);
  if (!tr) {
    tr = buildRow(s.sid);
    state.rows.set(s.sid, tr);
    // Newest first: insert before the first row created earlier.
    const body = $('sessions-body');
    const after = [...body.children].find(
      (row) => (state.sessions.get(row.dataset.sid)?.created ?? 0) < s.created,
    );
    body.insertBefore(tr, after ?? null);
  }
  const { label, sidCell, connector, states, created, buttons } = tr._cells;
  connector.textContent = s.connector === 'legacy' ? 'legacy web' : 'multi-device';
  connector.hidden = !s.connector;
  label.textContent = s.label || 'Unnamed';
  label.classList.toggle('muted', !s.label);
  sidCell.textContent = s.sid;
  states.replaceChildren(badge(s));
  if (s.revoked)
    states.append(el('span', { class: 'badge', 'data-state': 'revoked', text: 'Token revoked' }));
  if (s.reason && s.state !== 'connected') states.append(el('span', { class: 'reason', text: s.reason }));
  created.textContent = dateFmt.format(new Date(s.created));
  created.dateTime = new Date(s.created).toISOString();
  const revoked = s.revoked !== null;
  buttons.qr.disabled = revoked;
  buttons.qr.setAttribute('aria-label', `Show the QR of ${s.label || s.sid}`);
  buttons.events.setAttribute('aria-label', `Watch the live events of ${s.label || s.sid}`);
  buttons.restart.setAttribute('aria-label', `Restart ${s.label || s.sid}`);
  buttons.logout.setAttribute('aria-label', `Log ${s.label || s.sid} out of WhatsApp`);
  buttons.revoke.setAttribute('aria-label', `Revoke the token of ${s.label || s.sid}`);
  buttons.restart.disabled = revoked;
  buttons.logout.disabled = s.state === 'logged_out';
  buttons.revoke.disabled = revoked;
  tr.classList.toggle('selected', s.sid === state.feedSid || s.sid === state.panelSid);
}

function renderCount() {
  const n = state.sessions.size;
  $('session-count').textContent = n === 1 ? '1 session' : `${n} sessions`;
  $('sessions-empty').hidden = n > 0;
}

function upsertSession(s) {
  state.sessions.set(s.sid, s);
  renderRow(s);
  if (s.sid === state.panelSid) renderPanel();
}

async function command(sid, what) {
  try {
    await api('POST', `/sessions/${sid}/${what}`);
    toast(what === 'logout' ? 'Logging out…' : 'Restarting…');
  } catch (err) {
    if (err.status !== 401) toast(err.message);
  }
}

async function revoke(sid) {
  try {
    const { revoked } = await api('DELETE', `/sessions/${sid}/token`);
    const s = state.sessions.get(sid);
    if (s) upsertSession({ ...s, revoked });
    toast('Token revoked: its clients are being disconnected.');
  } catch (err) {
    if (err.status !== 401) toast(err.message);
  }
}

// ---------------------------------------------------------------------------------------------
// Link panel: QR, state, the new token

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const button = $('create');
  button.disabled = true;
  $('create-error').textContent = '';
  try {
    const label = $('label').value.trim();
    const connector = $('connector').value;
    const created = await api('POST', '/sessions', {
      ...(label ? { label } : {}),
      ...(connector ? { connector } : {}),
    });
    $('label').value = '';
    const s = {
      sid: created.sid,
      label: created.label,
      connector: created.connector,
      state: 'new',
      created: Date.now(),
      updated: null,
      qr: null,
      owner: null,
      reason: null,
      revoked: null,
    };
    if (!state.sessions.has(s.sid)) upsertSession(s);
    renderCount();
    openPanel(created.sid, created.token);
    // The live channel may have told us before the create answered; read the record to be sure.
    upsertSession(await api('GET', `/sessions/${created.sid}`));
  } catch (err) {
    if (err.status !== 401) $('create-error').textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

function openPanel(sid, token) {
  const previous = state.panelSid;
  state.panelSid = sid;
  if (previous !== sid) {
    state.panelQr = null;
    $('qr-img').hidden = true;
    $('token-box').hidden = true;
    $('token-value').value = '';
    resetPairing();
  }
  if (token) {
    $('token-value').value = token;
    $('token-box').hidden = false;
    $('copy-token').textContent = 'Copy';
  }
  $('link-panel').hidden = false;
  renderPanel();
  for (const [id, tr] of state.rows) tr.classList.toggle('selected', id === sid || id === state.feedSid);
  $('link-panel').scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

function closePanel() {
  state.panelSid = null;
  state.panelQr = null;
  $('link-panel').hidden = true;
  $('token-value').value = '';
  if (state.panelBlobUrl) URL.revokeObjectURL(state.panelBlobUrl);
  state.panelBlobUrl = null;
  for (const [id, tr] of state.rows) tr.classList.toggle('selected', id === state.feedSid);
}

$('lp-close').addEventListener('click', closePanel);

function renderPanel() {
  const s = state.sessions.get(state.panelSid);
  if (!s) return;
  const panel = $('link-panel');
  panel.dataset.state = s.state;
  $('lp-title').textContent = s.label || 'Unnamed session';
  $('lp-sid').textContent = s.sid;
  const b = $('lp-state');
  b.dataset.state = s.state;
  b.textContent = STATE_TEXT[s.state] ?? s.state;
  const connected = s.state === 'connected';
  $('qr-done').hidden = !connected;
  $('lp-steps').hidden = connected || s.revoked !== null;
  let status;
  if (s.revoked !== null) status = 'The token is revoked: this session no longer runs.';
  else if (connected) status = 'The phone is linked. Events now flow to the clients of this token.';
  else if (s.state === 'awaiting_scan') status = 'Scan the code with the phone.';
  else if (s.state === 'new') status = 'A session worker is picking the session up…';
  else status = `${STATE_TEXT[s.state]}${s.reason ? `: ${s.reason}` : ''}. Restart it for a new QR.`;
  $('lp-status').textContent = status;

  // Only multi-device sessions link by phone number; a session without a recorded connector
  // runs the deployment's default, and the API says so if that is the legacy one.
  const pairable = s.state === 'awaiting_scan' && s.revoked === null && s.connector !== 'legacy';
  $('pair-form').hidden = !pairable;
  if (!pairable) resetPairing();

  const showQr = s.state === 'awaiting_scan' && s.qr && s.revoked === null;
  $('qr-wait').hidden = connected || showQr;
  if (!showQr) {
    $('qr-img').hidden = true;
    state.panelQr = null;
    return;
  }
  if (s.qr !== state.panelQr) loadQr(s.sid, s.qr);
}

function resetPairing() {
  $('pair-result').hidden = true;
  $('pair-code').textContent = '';
  $('pair-error').textContent = '';
}

// The worker asks WhatsApp once the session can link; the answer takes a second or two.
$('pair-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sid = state.panelSid;
  const button = $('pair-submit');
  resetPairing();
  button.disabled = true;
  try {
    const { code } = await api('POST', `/sessions/${sid}/pairing-code`, {
      phoneNumber: $('pair-phone').value,
    });
    if (state.panelSid !== sid) return;
    $('pair-code').textContent = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
    $('pair-result').hidden = false;
  } catch (err) {
    if (err.status !== 401 && state.panelSid === sid) $('pair-error').textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

// Images cannot send an Authorization header, so the SVG is fetched and shown as a blob URL.
async function loadQr(sid, qr) {
  state.panelQr = qr;
  try {
    const res = await fetch(`/sessions/${sid}/qr.svg`, {
      headers: { authorization: `Bearer ${state.token}` },
    });
    if (!res.ok) {
      if (res.status === 404) state.panelQr = null; // not awaiting a scan any more; the next change redraws
      return;
    }
    const blob = await res.blob();
    if (state.panelSid !== sid || state.panelQr !== qr) return; // a newer ref won the race
    const img = $('qr-img');
    if (state.panelBlobUrl) URL.revokeObjectURL(state.panelBlobUrl);
    state.panelBlobUrl = URL.createObjectURL(blob);
    img.src = state.panelBlobUrl;
    img.dataset.qr = qr;
    img.hidden = false;
    $('qr-wait').hidden = true;
  } catch (err) {
    state.panelQr = null;
    toast(`Could not load the QR: ${err.message}`);
  }
}

$('copy-token').addEventListener('click', async () => {
  const input = $('token-value');
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    // Clipboard API refused (plain http on a LAN address): fall back to a selection copy.
    input.select();
    document.execCommand('copy');
  }
  $('copy-token').textContent = 'Copied';
  toast('Token copied to the clipboard.');
});

// ---------------------------------------------------------------------------------------------
// Live feed

function compareIds(a, b) {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}

function watchFeed(sid) {
  if (state.feedSid && state.feedSid !== sid) liveSend({ unsubscribe: state.feedSid });
  state.feedSid = sid;
  state.feedLastId = null;
  $('feed').replaceChildren();
  const s = state.sessions.get(sid);
  $('feed-session').textContent = s ? s.label || s.sid : sid;
  $('feed-empty').textContent = 'Loading…';
  $('feed-empty').hidden = false;
  $('send-form').hidden = false;
  $('send-error').textContent = '';
  for (const [id, tr] of state.rows) tr.classList.toggle('selected', id === sid || id === state.panelSid);
  // Subscribe first, then read the stored events: nothing falls in between (ids dedupe).
  liveSend({ subscribe: sid });
  if (window.matchMedia('(max-width: 960px)').matches) $('feed-title').scrollIntoView({ behavior: 'smooth' });
}

async function loadHistory(sid) {
  try {
    const { events } = await api('GET', `/sessions/${sid}/events?limit=50`);
    if (state.feedSid !== sid) return;
    for (const entry of events) addEvent(entry, false);
    $('feed-empty').textContent = 'No events yet. They appear here as they happen.';
    $('feed-empty').hidden = $('feed').children.length > 0;
  } catch (err) {
    if (err.status !== 401) toast(err.message);
  }
}

// The message and its rising acks then arrive in the feed like any other event.
$('send-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const sid = state.feedSid;
  const digits = $('send-to').value.replace(/[\s+()-]/g, '');
  $('send-error').textContent = '';
  if (!/^[0-9]{5,20}$/.test(digits)) {
    $('send-error').textContent = 'A phone number with country code, digits only.';
    return;
  }
  const button = $('send-submit');
  button.disabled = true;
  try {
    await api('POST', `/sessions/${sid}/messages`, { to: `${digits}@c.us`, text: $('send-text').value });
    if (state.feedSid === sid) $('send-text').value = '';
    toast('Queued: it appears in the feed once WhatsApp has it.');
  } catch (err) {
    if (err.status !== 401 && state.feedSid === sid) $('send-error').textContent = err.message;
  } finally {
    button.disabled = false;
  }
});

function phone(jid) {
  const m = /^(\d+)@/.exec(jid ?? '');
  return m ? `+${m[1]}` : (jid ?? '');
}

function describe(ev) {
  if (ev.content === 'message') {
    const who = ev.fromMe ? `me → ${phone(ev.to)}` : phone(ev.from);
    const text = ev.body || (ev.hasMedia ? `(${ev.type})` : '');
    const quote =
      ev.hasQuoteMsg && typeof ev.quotedMessage === 'string' && ev.quotedMessage
        ? `↪ “${ev.quotedMessage}” `
        : '';
    return { kind: 'message', who, text: `${quote}${text}`, time: ev.timestamp * 1000 };
  }
  if (ev.content === 'media')
    return { kind: 'media', who: ev.mimeType, text: ev.fileName || 'file', link: ev.mediaData };
  const level = { 1: 'sent', 2: 'read', 3: 'played' }[ev.ack] ?? ev.ack;
  return { kind: 'ack', who: level, text: ev.messageId };
}

function addEvent(entry, live) {
  if (state.feedLastId && compareIds(entry.id, state.feedLastId) <= 0) return;
  state.feedLastId = entry.id;
  const d = describe(entry.event);
  const time = d.time ?? Number(entry.id.split('-')[0]);
  const body = el('div', { class: 'ev-body' });
  // Only web links become anchors: a stored URL must never run script in this page.
  if (d.link && /^https?:\/\//i.test(d.link))
    body.append(el('a', { href: d.link, text: d.text, target: '_blank', rel: 'noopener noreferrer' }));
  else body.textContent = d.text;
  const li = el(
    'li',
    { class: `ev ev-${d.kind}${live ? ' ev-new' : ''}`, 'data-id': entry.id },
    el(
      'div',
      { class: 'ev-head' },
      el('span', { class: 'ev-kind', text: d.kind }),
      el('span', { class: 'ev-who', text: d.who }),
      el('time', { dateTime: new Date(time).toISOString(), text: timeFmt.format(new Date(time)) }),
    ),
    body,
  );
  const feed = $('feed');
  feed.prepend(li);
  while (feed.children.length > FEED_MAX) feed.lastElementChild.remove();
  $('feed-empty').hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Live channel

function setConn(s) {
  $('conn').dataset.state = s;
  $('conn-text').textContent = { live: 'live', connecting: 'connecting…', offline: 'offline' }[s];
}

function liveSend(msg) {
  if (state.ws?.readyState === WebSocket.OPEN && state.ws.ready) state.ws.send(JSON.stringify(msg));
}

function closeLive() {
  clearTimeout(state.wsTimer);
  if (state.ws) {
    state.ws.onclose = null;
    state.ws.close();
  }
  state.ws = null;
}

function connectLive() {
  closeLive();
  setConn('connecting');
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`);
  state.ws = ws;
  ws.ready = false;
  ws.onopen = () => ws.send(JSON.stringify({ token: state.token }));
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'ready') {
      ws.ready = true;
      state.wsRetry = 0;
      setConn('live');
      // Changes made while disconnected: read the table again, and re-join the feed.
      loadSessions().catch((err) => toast(err.message));
      if (state.feedSid) watchFeed(state.feedSid);
    } else if (msg.type === 'session') {
      const isNew = !state.sessions.has(msg.session.sid);
      upsertSession(msg.session);
      if (isNew) renderCount();
    } else if (msg.type === 'subscribed') {
      if (msg.sid === state.feedSid) loadHistory(msg.sid);
    } else if (msg.type === 'event') {
      if (msg.sid === state.feedSid) addEvent(msg.entry, true);
    } else if (msg.type === 'error') {
      toast(msg.message);
    }
  };
  ws.onclose = (e) => {
    setConn('offline');
    if (e.code === 4401) {
      signOut('The admin token was refused. Sign in again.');
      return;
    }
    const delay = Math.min(1000 * 2 ** state.wsRetry, 15_000);
    state.wsRetry += 1;
    state.wsTimer = setTimeout(connectLive, delay);
  };
}

// ---------------------------------------------------------------------------------------------

if (state.token) {
  signIn(state.token).catch((err) => showLogin(err instanceof ApiError ? err.message : ''));
} else {
  showLogin();
}
