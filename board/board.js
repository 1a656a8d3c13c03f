// The board: reads the JSON API, re-reads what an event from /events says
// changed, and sends writes with the key kept in localStorage. No framework
// and no build step: this file is served as it is.

const KEY_STORE = 'tickfleet.key';
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}

const money = (n) => `$${(Number(n) || 0).toFixed(2)}`;

// --- reads ---------------------------------------------------------------

async function getJson(path) {
  const res = await fetch(path, { headers: authHeaders() });
  if (!res.ok) throw new Error(`${path}: ${await problemDetail(res)}`);
  return res.json();
}

async function problemDetail(res) {
  try {
    const body = await res.json();
    return body.detail || body.title || `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

function authHeaders() {
  const key = localStorage.getItem(KEY_STORE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

// --- writes --------------------------------------------------------------

async function post(path, body = {}) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const detail = await problemDetail(res);
    const hint = res.status === 401 && !localStorage.getItem(KEY_STORE) ? ' (enter the API key at the top)' : '';
    notice(`${res.status}: ${detail}${hint}`, false);
    return undefined;
  }
  notice(`done: POST ${path}`, true);
  return res.json().catch(() => ({}));
}

let noticeTimer;
function notice(text, ok) {
  const n = $('#notice');
  n.textContent = text;
  n.className = ok ? 'ok' : '';
  n.hidden = false;
  clearTimeout(noticeTimer);
  if (ok) noticeTimer = setTimeout(() => (n.hidden = true), 3000);
}

// --- rendering -----------------------------------------------------------

function renderStatus(s) {
  $('#root').textContent = s.root ?? '';
  const f = s.fleet ?? {};
  const pause = f.paused ? 'fleet paused · ' : f.quota_pause ? 'paused after a usage limit · ' : '';
  $('#fleet-line').textContent = `${pause}${f.running ?? 0} running · last tick ${f.tick?.last_ran_at ?? 'never'}`;

  const body = $('#agents tbody');
  body.replaceChildren(
    ...(s.agents ?? []).map((a) =>
      el(
        'tr',
        { 'data-agent': a.name },
        el('td', {}, a.name, el('div', { class: 'muted' }, a.role)),
        el('td', { class: `phase-${a.phase}` }, a.phase),
        el('td', {}, a.reason ?? ''),
        el('td', {}, money(a.cost_today_usd)),
        el(
          'td',
          {},
          a.phase === 'paused'
            ? el(
                'button',
                { class: 'small', onclick: () => post(`/agents/${encodeURIComponent(a.name)}/resume`) },
                'resume',
              )
            : el(
                'button',
                { class: 'small', onclick: () => post(`/agents/${encodeURIComponent(a.name)}/pause`) },
                'pause',
              ),
        ),
      ),
    ),
  );

  const spent = f.spend_today_usd ?? 0;
  const budget = f.daily_budget_usd;
  const share = budget ? Math.min(100, (spent / budget) * 100) : 0;
  const costParts = [
    el(
      'p',
      {},
      `${money(spent)} spent today (${s.day ?? ''})${budget ? ` of ${money(budget)} fleet budget` : ', no fleet budget set'}`,
    ),
    budget
      ? el('div', { class: `bar${spent >= budget ? ' over' : ''}` }, el('div', { style: `width:${share}%` }))
      : null,
    el(
      'ul',
      { class: 'list' },
      ...(s.agents ?? [])
        .filter((a) => a.cost_today_usd > 0)
        .map((a) => el('li', {}, `${a.name}: ${money(a.cost_today_usd)}`)),
    ),
  ];
  $('#cost').replaceChildren(...costParts.filter(Boolean));

  const byLifecycle = s.queue?.byLifecycle ?? {};
  $('#lifecycles').replaceChildren(
    ...Object.entries(byLifecycle)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => el('span', { 'data-lifecycle': k }, `${k.replace(/_/g, ' ')} ${n}`)),
  );

  const attention = s.attention ?? [];
  $('#attention').replaceChildren(
    ...(attention.length
      ? attention.map((a) => el('li', { 'data-kind': a.kind }, a.text, el('div', { class: 'muted' }, a.fix)))
      : [el('li', { class: 'muted' }, 'nothing')]),
  );

  const messages = s.messages?.newest ?? [];
  $('#messages').replaceChildren(
    ...(messages.length
      ? messages.map((m) =>
          el('li', {}, `${m.type}: ${m.title}`, el('div', { class: 'muted' }, `${m.from} · ${m.time}`)),
        )
      : [el('li', { class: 'muted' }, 'no messages')]),
  );

  renderRuns((s.agents ?? []).filter((a) => a.running?.run_id));
}

function renderTasks(list) {
  const tasks = Array.isArray(list) ? list : (list.tasks ?? []);
  $('#tasks tbody').replaceChildren(
    ...tasks.map((t) =>
      el(
        'tr',
        { 'data-task': t.id },
        el('td', {}, t.title, el('div', { class: 'muted' }, t.id)),
        el('td', {}, (t.lifecycle ?? t.state ?? '').replace(/_/g, ' ')),
        el('td', {}, t.role ?? ''),
        el('td', {}, taskAction(t)),
      ),
    ),
  );
}

function taskAction(t) {
  if (t.lifecycle === 'queued' || t.lifecycle === 'working') {
    return el(
      'button',
      { class: 'small', onclick: () => post(`/tasks/${t.id}/cancel`, { reason: 'cancelled from the board' }) },
      'cancel',
    );
  }
  if (t.lifecycle === 'failed' || t.lifecycle === 'cancelled') {
    return el('button', { class: 'small', onclick: () => post(`/tasks/${t.id}/retry`) }, 'retry');
  }
  return null;
}

function renderReviews(list) {
  const reviews = (Array.isArray(list) ? list : (list.reviews ?? []))
    .map((r) => ({ ...(r.meta ?? {}), ...r }))
    .filter((r) => !r.state || r.state === 'pending');
  $('#reviews').replaceChildren(
    ...(reviews.length
      ? reviews.map((r) =>
          el(
            'li',
            { 'data-review': r.id },
            `${r.title ?? r.task ?? r.id} `,
            el('span', { class: 'muted' }, r.id),
            ' ',
            el('button', { class: 'small', onclick: () => post(`/reviews/${r.id}/approve`) }, 'approve'),
            ' ',
            el('button', { class: 'small', onclick: () => rejectReview(r.id) }, 'reject'),
          ),
        )
      : [el('li', { class: 'muted' }, 'none waiting')]),
  );
}

function rejectReview(id) {
  const reason = prompt('Why? (the rework task carries this)');
  if (reason) post(`/reviews/${id}/reject`, { reason });
}

// --- live run tails ------------------------------------------------------

const tails = new Map();

function renderRuns(running) {
  const box = $('#runs');
  const ids = new Set(running.map((a) => a.running.run_id));
  for (const [id, t] of tails) {
    if (!ids.has(id)) {
      t.source.close();
      t.node.remove();
      tails.delete(id);
    }
  }
  for (const a of running) {
    const id = a.running.run_id;
    if (tails.has(id)) continue;
    const pre = el('div', { class: 'tail', 'data-run': id });
    const node = el(
      'div',
      {},
      el('strong', {}, a.name),
      ` ${a.running.task_id ?? ''} `,
      el('span', { class: 'muted' }, id),
      pre,
    );
    const source = new EventSource(`/runs/${encodeURIComponent(id)}/stream`);
    source.addEventListener('line', (e) => {
      pre.append(`${JSON.parse(e.data).text}\n`);
      pre.scrollTop = pre.scrollHeight;
    });
    source.addEventListener('end', () => source.close());
    // A run whose transcript is not there yet: stop asking, the next status brings it back.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) tails.delete(id);
    };
    tails.set(id, { source, node });
    box.append(node);
  }
  if (running.length === 0) box.replaceChildren(el('p', { class: 'muted' }, 'no run in flight'));
  else box.querySelector(':scope > p.muted')?.remove();
}

// --- refresh on events ---------------------------------------------------

const loaders = {
  status: async () => renderStatus(await getJson('/status')),
  tasks: async () => renderTasks(await getJson('/tasks?limit=50')),
  reviews: async () => renderReviews(await getJson('/reviews')),
};
const due = new Set();
let flushTimer;

// Events come in bursts (a move touches the queue and the agent); one re-read per burst.
function refresh(...what) {
  for (const w of what) due.add(w);
  clearTimeout(flushTimer);
  flushTimer = setTimeout(flush, 50);
}

async function flush() {
  const what = [...due];
  due.clear();
  await Promise.all(
    what.map((w) =>
      loaders[w]().catch((err) => {
        console.warn(err.message);
      }),
    ),
  );
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1);
}

const AFFECTS = {
  'task.moved': ['tasks', 'status'],
  'task.changed': ['tasks', 'status'],
  'task.removed': ['tasks', 'status'],
  'agent.state': ['status'],
  'run.started': ['status'],
  'run.ended': ['status'],
  'message.sent': ['status'],
  'message.cleared': ['status'],
  'review.moved': ['reviews', 'tasks', 'status'],
  merge: ['reviews', 'tasks', 'status'],
  fleet: ['status'],
  config: ['status'],
  reset: ['status', 'tasks', 'reviews'],
};

function listen() {
  const source = new EventSource('/events');
  const live = $('#live');
  source.onopen = () => {
    live.textContent = 'live';
    live.className = 'live on';
    // Whatever happened while disconnected: the replay covers it, this covers a first connection.
    refresh('status', 'tasks', 'reviews');
  };
  source.onerror = () => {
    live.textContent = 'reconnecting';
    live.className = 'live off';
  };
  for (const [type, what] of Object.entries(AFFECTS)) source.addEventListener(type, () => refresh(...what));
}

// --- forms ---------------------------------------------------------------

$('#key').value = localStorage.getItem(KEY_STORE) ?? '';
$('#key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = $('#key').value.trim();
  if (key) localStorage.setItem(KEY_STORE, key);
  else localStorage.removeItem(KEY_STORE);
  notice(key ? 'key saved in this browser' : 'key removed', true);
});
$('#enqueue').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = e.currentTarget;
  const data = Object.fromEntries(new FormData(form));
  if (await post('/tasks', { title: data.title, role: data.role })) form.elements.title.value = '';
});
for (const b of document.querySelectorAll('[data-fleet]'))
  b.addEventListener('click', () => post(`/fleet/${b.dataset.fleet}`));

listen();
