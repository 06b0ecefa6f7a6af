// The business dashboard: sign-in, the inbox (views, filters and counts), a conversation with its workflow
// controls and the contact beside it, search, and the settings an owner keeps (people, teams, labels, canned
// replies). It is a client of Parley's own API (the session cookie stands for the API key), kept live by the
// site's event stream. State lives in one object; every change re-renders the whole view, which lit-html turns
// into the few DOM updates it needs. docs/dashboard-and-widget.md describes what it does.
import {html, nothing, render, messageView, mergeMessages, relativeTime, safeUrl, threadItems} from './render.js';

const STATUSES = ['OPEN', 'PENDING', 'SNOOZED', 'RESOLVED'];
const CHANNELS = ['CHAT', 'EMAIL', 'SMS', 'WHATSAPP', 'FACEBOOK', 'INSTAGRAM', 'PHONE'];
const PAGE = 50;
const SHORTCUTS = [
    ['j', 'Next conversation'], ['k', 'Previous conversation'], ['e', 'Resolve the conversation'],
    ['a', 'Assign the conversation to me'], ['r', 'Write a reply'], ['/', 'Search'], ['?', 'Show these shortcuts'],
    ['Esc', 'Leave a text box, close a panel or this help'],
];

const state = {
    me: null,              // {userId, siteId, siteName, csrfToken, email, name, role} once signed in
    signInError: null,
    page: 'inbox',         // 'inbox' | 'settings'
    view: 'all',           // 'mine' | 'unassigned' | 'all'
    filters: {status: 'OPEN', label: '', team: '', channel: '', unread: false},
    counts: null,
    conversations: [],
    nextCursor: null,
    selectedId: null,
    messages: [],
    delivered: {},         // message id → how it went out by email or through a channel {state, reason, …}
    olderCursor: undefined, // undefined: not loaded yet; null: no older messages
    workflow: null,
    contact: null,
    merges: [],
    visitedPages: [],
    people: [], teams: [], labels: [], replies: [], invitations: [],
    invitedLink: null,
    mode: 'reply',         // 'reply' | 'note': what Send does; a note goes back to 'reply' once sent
    draft: '',
    files: [],             // picked for the next message; uploaded when it is sent
    typing: null,          // {conversationId, text, until}
    search: {query: '', results: null},
    help: false,
    editingContact: false,
    connected: true,
    sending: false,
    error: null,
};

const root = document.getElementById('app');
root.replaceChildren(); // the static "Loading…" placeholder; lit-html renders into an empty container
const update = (changes = {}) => {
    Object.assign(state, changes);
    render(view(), root);
};

// The files one message takes; Parley refuses each one over its size limit with the reason.
const MAX_FILES = 10;

async function api(method, path, body) {
    const headers = {'Accept': 'application/json'};
    const file = body instanceof Blob; // an upload goes as its bytes
    if (body !== undefined) headers['Content-Type'] = file ? body.type || 'application/octet-stream' : 'application/json';
    if (method !== 'GET' && state.me) headers['X-CSRF-Token'] = state.me.csrfToken;
    const response = await fetch(path, {method, headers, body: body === undefined || file ? body : JSON.stringify(body),
        credentials: 'same-origin'});
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
        const error = new Error(json.message || response.statusText);
        error.status = response.status;
        throw error;
    }
    return json;
}

/** Runs an action, showing its failure instead of losing it. */
async function attempt(action) {
    try {
        update({error: null});
        await action();
    } catch (e) {
        if (e.status === 401) return update({me: null});
        update({error: e.message});
    }
}

const enc = encodeURIComponent;
const personName = (id) => {
    const person = state.people.find((p) => p.id === id);
    return person ? person.name || person.email : 'someone';
};
const initials = (name) => (name || '').split(/\s+/)
    .map((word) => [...word].find((ch) => /[\p{L}\p{N}]/u.test(ch))).filter(Boolean).slice(0, 2)
    .join('').toUpperCase() || '?';
// A label's colour as an SVG fill: the pages' Content-Security-Policy allows no inline style attribute.
const dot = (color) => html`<svg class="dot" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
    <circle cx="5" cy="5" r="5" fill=${color}></circle></svg>`;
const titleCase = (word) => word.charAt(0) + word.slice(1).toLowerCase();

// ---- signing in, joining and out

async function start() {
    const invitation = location.pathname === '/dashboard/join' ? location.hash.slice(1) : null;
    if (invitation) return update({me: null, invitation});
    try {
        update({me: await api('GET', '/parley/v1/dashboard/me')});
        await signedIn();
    } catch (e) {
        update({me: null});
    }
}

async function signedIn() {
    connect();
    await loadDirectory();
    await refresh();
}

async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
        update({me: await api('POST', '/parley/v1/dashboard/sign-in',
            {email: form.get('email'), password: form.get('password')}), signInError: null});
        await signedIn();
    } catch (e) {
        update({signInError: e.message});
    }
}

async function join(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
        const me = await api('POST', '/parley/v1/dashboard/accept-invitation',
            {token: state.invitation, name: form.get('name'), password: form.get('password')});
        history.replaceState(null, '', '/dashboard');
        update({me, invitation: null, signInError: null});
        await signedIn();
    } catch (e) {
        update({signInError: e.message});
    }
}

async function signOut() {
    await api('POST', '/parley/v1/dashboard/sign-out');
    stream?.close();
    update({me: null, conversations: [], selectedId: null, messages: []});
}

// ---- data

/** The site's people, teams, labels and canned replies: what the controls offer. */
async function loadDirectory() {
    const [people, teams, labels, replies] = await Promise.all([api('GET', '/parley/v1/users'),
        api('GET', '/parley/v1/teams'), api('GET', '/parley/v1/labels'), api('GET', '/parley/v1/canned-replies')]);
    update({people: people.users, teams: teams.teams, labels: labels.labels, replies: replies.cannedReplies});
}

function listQuery() {
    const f = state.filters;
    const query = new URLSearchParams();
    if (f.status) query.set('status', f.status);
    if (f.label) query.set('label', f.label);
    if (f.team) query.set('team', f.team);
    if (f.channel) query.set('channel', f.channel);
    if (f.unread) query.set('unread', 'true');
    return query;
}

async function loadInbox(more = false) {
    const query = listQuery();
    const counts = await api('GET', `/parley/v1/conversations/counts?${query}`);
    if (state.view !== 'all') query.set('assignee', state.view === 'mine' ? 'me' : 'none');
    // A refresh reloads as many as the list already shows, so "Load more" is not undone by the next event.
    query.set('limit', String(more ? PAGE : Math.min(100, Math.max(PAGE, state.conversations.length))));
    if (more && state.nextCursor) query.set('cursor', state.nextCursor);
    const page = await api('GET', `/parley/v1/conversations?${query}`);
    update({counts, nextCursor: page.pagingMetadata.cursors.next || null,
        conversations: more ? [...state.conversations, ...page.conversations] : page.conversations});
}

const messagesPath = (id, cursor) => `/inbox/v2/messages?conversationId=${enc(id)}&visibility=BUSINESS`
    + `&paging.limit=100&sorting.order=DESC${cursor ? `&paging.cursor=${enc(cursor)}` : ''}`;

/** The newest page of the open conversation, merged into what is shown (older pages stay). */
async function loadConversation() {
    const id = state.selectedId;
    if (!id) return;
    const [page, workflow, deliveries] = await Promise.all([api('GET', messagesPath(id)),
        api('GET', `/parley/v1/conversations/${enc(id)}/workflow`),
        api('GET', `/parley/v1/conversations/${enc(id)}/deliveries`)]);
    if (state.selectedId !== id) return;
    const list = root.querySelector('.messages');
    const atEnd = !list || list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const delivered = Object.fromEntries(deliveries.deliveries.map((d) => [d.messageId, d]));
    update({messages: mergeMessages(state.messages, page.messages), workflow, delivered,
        olderCursor: state.olderCursor === undefined ? page.pagingMetadata?.cursors?.next || null : state.olderCursor});
    if (atEnd) scrollToEnd();
    const newest = state.messages[state.messages.length - 1];
    if (newest) await api('POST', `/parley/v1/conversations/${enc(id)}/read`, {readThrough: newest.sequence});
}

async function loadOlder() {
    const id = state.selectedId;
    if (!id || !state.olderCursor || state.loadingOlder) return;
    state.loadingOlder = true;
    try {
        const list = root.querySelector('.messages');
        const fromBottom = list.scrollHeight - list.scrollTop;
        const page = await api('GET', messagesPath(id, state.olderCursor));
        if (state.selectedId !== id) return;
        update({messages: mergeMessages(state.messages, page.messages),
            olderCursor: page.pagingMetadata?.cursors?.next || null});
        list.scrollTop = list.scrollHeight - fromBottom; // the message that was on top stays where it was
    } finally {
        state.loadingOlder = false;
    }
}

const scrollToEnd = () => {
    const list = root.querySelector('.messages');
    if (list) list.scrollTop = list.scrollHeight;
};

async function loadContact(conversation) {
    const contactId = conversation?.participant?.contactId;
    const [contact, merges, visitedPages] = await Promise.all([
        contactId ? api('GET', `/contacts/v4/contacts/${enc(contactId)}`).then((r) => r.contact).catch(() => null)
            : Promise.resolve(null),
        api('GET', `/parley/v1/conversations/${enc(conversation.id)}/merges`).then((r) => r.merges),
        api('GET', `/parley/v1/conversations/${enc(conversation.id)}/pages`).then((r) => r.pages)]);
    if (state.selectedId === conversation.id) update({contact, merges, visitedPages});
}

async function openConversation(conversationId) {
    update({selectedId: conversationId, messages: [], delivered: {}, olderCursor: undefined, workflow: null, contact: null,
        merges: [], visitedPages: [], error: null, typing: null, editingContact: false, search: {query: '', results: null},
        page: 'inbox'});
    await attempt(async () => {
        await loadConversation();
        await loadInbox();
        const conversation = state.conversations.find((c) => c.id === conversationId)
            || {id: conversationId, participant: {}};
        await loadContact(conversation);
    });
    scrollToEnd();
    document.getElementById('reply-text')?.focus();
}

/** The list's views, counted under the same filters. */
function setView(view) {
    update({view, conversations: []});
    attempt(() => loadInbox());
}

function setFilter(name, value) {
    update({filters: {...state.filters, [name]: value}, conversations: []});
    attempt(() => loadInbox());
}

// ---- workflow

async function setStatus(status, snoozedUntil) {
    const id = state.selectedId;
    if (!id) return;
    await attempt(async () => {
        update({workflow: await api('POST', `/parley/v1/conversations/${enc(id)}/status`, {status, snoozedUntil})});
        await loadInbox();
    });
}

function snoozeUntil(choice) {
    const at = new Date();
    if (choice === 'hour') at.setHours(at.getHours() + 1);
    if (choice === 'tomorrow') { at.setDate(at.getDate() + 1); at.setHours(9, 0, 0, 0); }
    if (choice === 'week') { at.setDate(at.getDate() + ((8 - at.getDay()) % 7 || 7)); at.setHours(9, 0, 0, 0); }
    return at.toISOString();
}

async function assign(body) {
    const id = state.selectedId;
    if (!id) return;
    await attempt(async () => {
        update({workflow: await api('POST', `/parley/v1/conversations/${enc(id)}/assignment`, body)});
        await loadInbox();
    });
}

async function toggleLabel(labelId, on) {
    const id = state.selectedId;
    const current = state.workflow?.labelIds || [];
    const labelIds = on ? [...current, labelId] : current.filter((l) => l !== labelId);
    await attempt(async () => {
        update({workflow: await api('PUT', `/parley/v1/conversations/${enc(id)}/labels`, {labelIds})});
        await loadInbox();
    });
}

// ---- replying

async function reply(event) {
    event.preventDefault();
    const text = state.draft.trim();
    if (!(text || state.files.length) || !state.selectedId) return;
    const note = state.mode === 'note';
    update({sending: true, error: null});
    try {
        // Each picked file is uploaded (Parley types it by its bytes), then sent as an item after the text.
        const items = text ? [{text}] : [];
        for (const file of state.files) {
            items.push((await api('POST', `/parley/v1/files?filename=${enc(file.name)}`, file)).item);
        }
        const sent = await api('POST', '/inbox/v2/messages', {
            conversationId: state.selectedId,
            message: {
                content: {basic: {items}, previewText: text.slice(0, 100) || undefined},
                direction: 'BUSINESS_TO_PARTICIPANT',
                visibility: note ? 'BUSINESS' : 'BUSINESS_AND_PARTICIPANT',
            },
        });
        // A note is a one-off: the next message is a reply again unless "Internal note" is chosen anew.
        lastTypingSignal = 0; // the next message's typing shows at once
        update({draft: '', files: [], mode: 'reply', messages: mergeMessages(state.messages, [sent.message])});
        scrollToEnd();
    } catch (e) {
        update({error: `Not sent: ${e.message}`});
    } finally {
        update({sending: false});
    }
}

let lastTypingSignal = 0;

function onDraft(event) {
    update({draft: event.target.value});
    // The participant sees "typing…" for a reply, never for a note; one signal every 3 seconds at most.
    if (state.mode === 'reply' && state.draft && Date.now() - lastTypingSignal > 3000 && state.selectedId) {
        lastTypingSignal = Date.now();
        api('POST', `/parley/v1/conversations/${enc(state.selectedId)}/typing`).catch(() => {});
    }
}

/** The canned replies the draft's "/shortcut" asks for. */
function suggestions() {
    const match = /^\/([a-z0-9_-]*)$/.exec(state.draft);
    return match ? state.replies.filter((r) => r.shortcut.startsWith(match[1])).slice(0, 8) : [];
}

function insertReply(cannedReply) {
    update({draft: cannedReply.body});
    const box = document.getElementById('reply-text');
    box.value = cannedReply.body;
    box.focus();
}

/** Enter sends, Shift+Enter starts a new line; with suggestions open, Enter (or Tab) takes the first. */
function onReplyKey(event) {
    const offered = suggestions();
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && offered.length > 0) {
        event.preventDefault();
        insertReply(offered[0]);
    } else if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        event.target.form.requestSubmit();
    }
}

// ---- search: one box for messages and contacts; results follow the typing

let searchTimer = null;

function onSearch(event) {
    const query = event.target.value;
    update({search: {query, results: query.trim() ? state.search.results : null}});
    clearTimeout(searchTimer);
    if (!query.trim()) return;
    searchTimer = setTimeout(async () => {
        try {
            const results = await api('GET', `/parley/v1/search?q=${enc(query)}&limit=10`);
            if (state.search.query === query) update({search: {query, results}});
        } catch (e) {
            update({search: {query, results: {messages: [], contacts: [], error: e.message}}});
        }
    }, 120);
}

async function openContact(contactId) {
    await attempt(async () => {
        const answer = await api('POST', '/inbox/v2/conversations', {participantId: {contactId}});
        await openConversation(answer.conversation.id);
    });
}

// ---- contact panel

async function saveContact(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const contact = state.contact;
    const info = {name: {first: form.get('first') || undefined, last: form.get('last') || undefined},
        company: form.get('company') || undefined};
    // The form edits the first email and phone; the contact's others stay as they are.
    const first = (items, key, value) => {
        const rest = (items || []).slice(1);
        return {items: value ? [{...(items || [])[0], [key]: value}, ...rest] : rest};
    };
    info.emails = first(contact.info?.emails?.items, 'email', form.get('email').trim());
    info.phones = first(contact.info?.phones?.items, 'phone', form.get('phone').trim());
    await attempt(async () => {
        const saved = await api('PATCH', `/contacts/v4/contacts/${enc(contact.id)}`, {revision: contact.revision, info});
        update({contact: saved.contact, editingContact: false});
        await loadInbox();
    });
}

// ---- settings (owners manage people, teams and labels; everyone keeps canned replies)

async function openSettings() {
    update({page: 'settings', invitedLink: null});
    await attempt(loadSettings);
}

async function loadSettings() {
    await loadDirectory();
    if (isOwner()) update({invitations: (await api('GET', '/parley/v1/invitations')).invitations});
}

const isOwner = () => state.me?.role === 'OWNER';

function settingsAction(action) {
    return (event) => {
        event.preventDefault();
        const form = event.target;
        const data = new FormData(form);
        attempt(async () => {
            await action(data);
            form.reset();
            await loadSettings();
        });
    };
}

const invite = settingsAction(async (data) => {
    const answer = await api('POST', '/parley/v1/invitations', {email: data.get('email'), role: data.get('role')});
    state.invitedLink = `${location.origin}${answer.link}`;
});
const addTeam = settingsAction((data) => api('POST', '/parley/v1/teams', {name: data.get('name'), memberIds: []}));
const addLabel = settingsAction((data) => api('POST', '/parley/v1/labels', {name: data.get('name'), color: data.get('color')}));
const addReply = settingsAction((data) => api('POST', '/parley/v1/canned-replies',
    {shortcut: data.get('shortcut'), body: data.get('body')}));

const change = (method, path, body) => attempt(async () => {
    await api(method, path, body);
    await loadSettings();
});

// ---- live: the site's event stream. Any event may change the list (a new conversation, a summary, a
// count); one of the open conversation also changes the thread. After a reconnect the whole view is
// reloaded, so whatever happened while the stream was down is shown. Typing signals come as their own events.

let stream = null;
let refreshQueued = false;

function connect() {
    stream?.close();
    stream = new EventSource('/parley/v1/events/stream');
    stream.onopen = () => {
        update({connected: true});
        refresh();
    };
    stream.onmessage = () => refresh();
    stream.addEventListener('typing', (event) => {
        const signal = JSON.parse(event.data);
        if (signal.by === 'BUSINESS' && signal.userId === state.me?.userId) return;
        const who = signal.by === 'PARTICIPANT' ? 'The visitor' : personName(signal.userId);
        update({typing: {conversationId: signal.conversationId, text: `${who} is typing…`, by: signal.by,
            after: state.messages[state.messages.length - 1]?.id, until: Date.now() + 4000}});
        setTimeout(() => state.typing && state.typing.until <= Date.now() && update({typing: null}), 4100);
    });
    stream.onerror = () => {
        update({connected: false});
        if (stream.readyState === EventSource.CLOSED) {
            // The browser gave up (an HTTP error, e.g. the session ended): try again, or show sign-in.
            setTimeout(() => state.me && start(), 2000);
        }
    };
}

/** Reloads the list and the open thread, at most once per burst of events. */
function refresh() {
    if (refreshQueued) return;
    refreshQueued = true;
    setTimeout(async () => {
        refreshQueued = false;
        try {
            await loadConversation(); // first: reading the open conversation moves the horizon the list counts from
            await loadInbox();
            const newest = state.messages[state.messages.length - 1];
            if (state.typing?.by === 'PARTICIPANT' && state.typing.conversationId === state.selectedId
                && newest?.direction === 'PARTICIPANT_TO_BUSINESS' && newest.id !== state.typing.after) {
                update({typing: null}); // what the visitor was typing has arrived
            }
        } catch (e) {
            if (e.status === 401) update({me: null});
        }
    }, 50);
}

// ---- keyboard: shortcuts outside text fields (listed in the help overlay)

document.addEventListener('keydown', (event) => {
    if (!state.me) return;
    if (event.key === 'Escape') {
        if (event.target.closest?.('input, textarea, select')) event.target.blur(); // back to the shortcuts
        if (state.help || state.search.results) {
            update({help: false, search: {query: '', results: null}});
            document.getElementById('search')?.blur();
        }
        return;
    }
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey
        || target.closest?.('input, textarea, select, [contenteditable]')) return;
    const index = state.conversations.findIndex((c) => c.id === state.selectedId);
    const go = (to) => state.conversations[to] && openConversation(state.conversations[to].id);
    const actions = {
        j: () => go(index + 1),
        k: () => go(Math.max(0, index - 1)),
        e: () => setStatus('RESOLVED'),
        a: () => assign({assigneeId: 'me'}),
        r: () => document.getElementById('reply-text')?.focus(),
        '/': () => document.getElementById('search')?.focus(),
        '?': showHelp,
    };
    if (actions[event.key]) {
        event.preventDefault();
        actions[event.key]();
    }
});

function showHelp() {
    update({help: true});
    root.querySelector('.help button')?.focus();
}

// ---- views

function view() {
    if (state.invitation) return joinView();
    if (!state.me) return signInView();
    return html`
        <header class="topbar">
            <h1 class="brand">Parley <span class="site">${state.me.siteName}</span></h1>
            ${searchView()}
            <nav class="top-actions" aria-label="Dashboard">
                <button type="button" class="link" aria-current=${state.page === 'inbox' ? 'page' : 'false'}
                        @click=${() => update({page: 'inbox'})}>Inbox</button>
                <button type="button" class="link" aria-current=${state.page === 'settings' ? 'page' : 'false'}
                        @click=${openSettings}>Settings</button>
                <button type="button" class="link" aria-label="Keyboard shortcuts" @click=${showHelp}>?</button>
                <span class="who">${state.me.name || state.me.email}</span>
                <button type="button" class="link" @click=${signOut}>Sign out</button>
            </nav>
        </header>
        ${state.connected ? nothing : html`<div class="banner" role="status">Connection lost — reconnecting…</div>`}
        ${state.error ? html`<p class="error page-error" role="alert">${state.error}</p>` : nothing}
        <main class="panes">${state.page === 'settings' ? settingsView() : inboxView()}</main>
        ${state.help ? helpView() : nothing}`;
}

function signInView() {
    return html`<main><form class="sign-in" @submit=${signIn}>
        <h1>Parley</h1>
        <label>Email <input name="email" type="email" autocomplete="username" required></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        ${state.signInError ? html`<p class="error" role="alert">${state.signInError}</p>` : nothing}
        <button type="submit">Sign in</button>
    </form></main>`;
}

function joinView() {
    return html`<main><form class="sign-in" @submit=${join}>
        <h1>Join the team</h1>
        <p>Choose your name and a password of at least 12 characters.</p>
        <label>Your name <input name="name" autocomplete="name" required maxlength="80"></label>
        <label>Password <input name="password" type="password" autocomplete="new-password" minlength="12" required></label>
        ${state.signInError ? html`<p class="error" role="alert">${state.signInError}</p>` : nothing}
        <button type="submit">Join</button>
    </form></main>`;
}

function searchView() {
    const results = state.search.results;
    return html`<div class="search" role="search">
        <label for="search" class="visually-hidden">Search messages and contacts</label>
        <input id="search" type="search" placeholder="Search messages and contacts  ( / )" autocomplete="off"
               .value=${state.search.query} @input=${onSearch}>
        ${results ? html`<div class="search-results" aria-live="polite">
            ${results.error ? html`<p class="error">${results.error}</p>` : nothing}
            <h2>Messages</h2>
            ${results.messages.length === 0 ? html`<p class="hint">No message matches.</p>` : html`<ul>
                ${results.messages.map((m) => html`<li><button type="button" class="result"
                        @click=${() => openConversation(m.conversationId)}>
                    <span class="name">${m.displayName}</span>
                    <time datetime=${m.createdDate}>${relativeTime(m.createdDate)}</time>
                    <span class="snippet">${m.visibility === 'BUSINESS' ? html`<span class="tag">Note</span> ` : nothing}${
                        m.snippet.map((s) => s.match ? html`<mark>${s.text}</mark>` : s.text)}</span>
                </button></li>`)}</ul>`}
            <h2>Contacts</h2>
            ${results.contacts.length === 0 ? html`<p class="hint">No contact matches.</p>` : html`<ul>
                ${results.contacts.map((c) => html`<li><button type="button" class="result" @click=${() => openContact(c.id)}>
                    <span class="name">${c.name || c.email || c.phone || 'Contact'}</span>
                    <span class="snippet">${[c.email, c.phone, c.company].filter(Boolean).join(' · ')}</span>
                </button></li>`)}</ul>`}
        </div>` : nothing}
    </div>`;
}

function inboxView() {
    const selected = state.conversations.find((c) => c.id === state.selectedId);
    return html`
        <nav class="inbox" aria-label="Conversations">
            <div class="views" role="group" aria-label="Views">
                ${[['mine', 'Mine'], ['unassigned', 'Unassigned'], ['all', 'All']].map(([key, label]) => html`
                    <button type="button" class="view-tab" aria-pressed=${state.view === key ? 'true' : 'false'}
                            @click=${() => setView(key)}>${label} <span class="count">${
                                state.counts ? state.counts[key === 'all' ? 'all' : key] ?? '' : ''}</span></button>`)}
            </div>
            ${filtersView()}
            <ul class="conversation-list">${state.conversations.map(conversationItem)}</ul>
            ${state.conversations.length === 0 ? html`<p class="empty">${emptyText()}</p>` : nothing}
            ${state.nextCursor ? html`<button type="button" class="more" @click=${() => attempt(() => loadInbox(true))}>
                Load more</button>` : nothing}
        </nav>
        <section class="thread" aria-label="Conversation">
            ${state.selectedId ? threadView(selected) : html`<p class="empty">Choose a conversation.</p>`}
        </section>
        ${state.selectedId ? contactView(selected) : nothing}`;
}

function emptyText() {
    const filtered = state.filters.status !== 'OPEN' || state.filters.label || state.filters.team
        || state.filters.channel || state.filters.unread || state.view !== 'all';
    return filtered ? 'No conversation matches these filters.' : 'No conversations yet.';
}

function filtersView() {
    const f = state.filters;
    const select = (name, label, options) => html`<label class="filter">${label}
        <select @change=${(e) => setFilter(name, e.target.value)}>
            ${options.map(([value, text]) => html`<option value=${value} ?selected=${f[name] === value}>${text}</option>`)}
        </select></label>`;
    return html`<div class="filters">
        ${select('status', 'Status', [['OPEN', 'Open'], ['PENDING', 'Pending'], ['SNOOZED', 'Snoozed'],
            ['RESOLVED', 'Resolved'], ['', 'Any status']])}
        ${select('label', 'Label', [['', 'Any label'], ...state.labels.map((l) => [l.id, l.name])])}
        ${select('team', 'Team', [['', 'Any team'], ['none', 'No team'], ...state.teams.map((t) => [t.id, t.name])])}
        ${select('channel', 'Channel', [['', 'Any channel'], ...CHANNELS.map((c) => [c, titleCase(c)])])}
        <label class="filter check"><input type="checkbox" .checked=${f.unread}
            @change=${(e) => setFilter('unread', e.target.checked)}> Unread only</label>
    </div>`;
}

function conversationItem(c) {
    const unread = c.unreadCount || 0;
    const name = c.participantDisplayData?.name || 'Conversation';
    const labels = (c.labelIds || []).map((id) => state.labels.find((l) => l.id === id)).filter(Boolean);
    return html`<li>
        <button type="button" class="conversation ${c.id === state.selectedId ? 'selected' : ''} ${unread > 0 ? 'unread-row' : ''}"
                data-conversation-id=${c.id} aria-current=${c.id === state.selectedId ? 'true' : 'false'}
                @click=${() => openConversation(c.id)}>
            <span class="avatar" aria-hidden="true">${initials(name)}</span>
            <span class="name">${name}</span>
            <time datetime=${c.lastActivityDate} title=${new Date(c.lastActivityDate).toLocaleString()}>${
                relativeTime(c.lastActivityDate)}</time>
            <span class="preview">${c.previewText || ''}</span>
            ${unread > 0 ? html`<span class="unread" aria-label="${unread} unread">${unread >= 100 ? '99+' : unread}</span>`
                : html`<span></span>`}
            <span class="tags">
                ${c.status !== 'OPEN' ? html`<span class="status ${c.status.toLowerCase()}">${titleCase(c.status)}</span>` : nothing}
                ${c.channel && c.channel !== 'UNKNOWN_CHANNEL_TYPE' ? html`<span class="channel">${c.channel.toLowerCase()}</span>` : nothing}
                ${c.badge ? html`<span class="badge">${c.badge.text}</span>` : nothing}
                ${labels.map((l) => html`<span class="label">${dot(l.color)}${l.name}</span>`)}
                ${c.assigneeId ? html`<span class="assignee" title="Assigned to ${personName(c.assigneeId)}">${
                    c.assigneeId === state.me.userId ? 'You' : personName(c.assigneeId)}</span>` : nothing}
            </span>
        </button></li>`;
}

function threadView(conversation) {
    const w = state.workflow;
    const offered = suggestions();
    const typing = state.typing?.conversationId === state.selectedId ? state.typing.text : '';
    const note = state.mode === 'note';
    return html`
        <div class="thread-head">
            <h2>${conversation?.participantDisplayData?.name || 'Conversation'}</h2>
            ${w ? workflowView(w) : nothing}
        </div>
        <ol class="messages" @scroll=${(e) => e.target.scrollTop < 40 && loadOlder()}>
            ${state.olderCursor ? html`<li class="older"><button type="button" class="link"
                @click=${() => attempt(loadOlder)}>Load older messages</button></li>` : nothing}
            ${threadItems(state.messages, (m, withTime) => messageView(m, {viewer: 'business', withTime,
                delivered: state.delivered?.[m.id], original: m.sourceChannel === 'EMAIL'
                    && m.direction === 'PARTICIPANT_TO_BUSINESS'
                    ? `/parley/v1/conversations/${enc(state.selectedId)}/messages/${enc(m.id)}/original` : null}))}
        </ol>
        <p class="typing" aria-live="polite">${typing}</p>
        <form class="reply ${note ? 'note' : ''}" @submit=${reply}>
            <div class="modes" role="radiogroup" aria-label="Write">
                <label><input type="radio" name="mode" value="reply" .checked=${!note}
                    @change=${() => update({mode: 'reply'})}> Reply</label>
                <label><input type="radio" name="mode" value="note" .checked=${note}
                    @change=${() => update({mode: 'note'})}> Internal note</label>
            </div>
            <label for="reply-text" class="visually-hidden">${note ? 'Internal note' : 'Reply'}</label>
            <textarea id="reply-text" name="text" rows="3" ?required=${!state.files.length} .value=${state.draft} @input=${onDraft}
                      aria-label=${note ? 'Internal note' : 'Reply'} @keydown=${onReplyKey}
                      placeholder=${note ? 'Write a note only your team sees…' : 'Write a reply… ( / for canned replies)'}></textarea>
            ${offered.length > 0 ? html`<ul class="suggestions" role="listbox" aria-label="Canned replies">
                ${offered.map((r) => html`<li role="option"><button type="button" @click=${() => insertReply(r)}>
                    <strong>/${r.shortcut}</strong> <span>${r.body}</span></button></li>`)}</ul>` : nothing}
            ${state.files.length ? html`<ul class="picked" aria-label="Files to send">${state.files.map((f, i) => html`
                <li>${f.name} <button type="button" class="small" aria-label=${`Remove ${f.name}`}
                    @click=${() => update({files: state.files.filter((_, j) => j !== i)})}>×</button></li>`)}</ul>` : nothing}
            ${note ? html`<p class="note-hint">Only your team sees notes.</p>` : html`<span></span>`}
            <label class="attach">Attach files<input type="file" multiple class="visually-hidden"
                @change=${(e) => { update({files: [...state.files, ...e.target.files].slice(0, MAX_FILES)}); e.target.value = ''; }}></label>
            <button type="submit" ?disabled=${state.sending}>${note ? 'Add note' : 'Send'}</button>
        </form>`;
}

function workflowView(w) {
    const labelled = new Set(w.labelIds);
    return html`<div class="workflow">
        <label class="control">Status
            <select @change=${(e) => e.target.value === 'SNOOZED' ? null : setStatus(e.target.value)}
                    aria-describedby="snoozed-until">
                ${STATUSES.map((s) => html`<option value=${s} ?selected=${w.status === s} ?disabled=${s === 'SNOOZED'}>${
                    titleCase(s)}</option>`)}
            </select></label>
        <label class="control">Snooze
            <select @change=${(e) => e.target.value && setStatus('SNOOZED', snoozeUntil(e.target.value))}>
                <option value="">${w.status === 'SNOOZED' ? `Until ${new Date(w.snoozedUntil).toLocaleString()}` : '—'}</option>
                <option value="hour">For an hour</option>
                <option value="tomorrow">Until tomorrow 9:00</option>
                <option value="week">Until next Monday 9:00</option>
            </select></label>
        <label class="control">Assignee
            <select @change=${(e) => assign({assigneeId: e.target.value || null})}>
                <option value="" ?selected=${!w.assigneeId}>Unassigned</option>
                ${state.people.filter((p) => !p.deactivatedDate || p.id === w.assigneeId).map((p) => html`
                    <option value=${p.id} ?selected=${w.assigneeId === p.id}>${p.name || p.email}</option>`)}
            </select></label>
        <label class="control">Team
            <select @change=${(e) => assign({teamId: e.target.value || null})}>
                <option value="" ?selected=${!w.teamId}>No team</option>
                ${state.teams.map((t) => html`<option value=${t.id} ?selected=${w.teamId === t.id}>${t.name}</option>`)}
            </select></label>
        ${w.assigneeId === state.me.userId ? nothing
            : html`<button type="button" class="small" @click=${() => assign({assigneeId: 'me'})}>Assign to me</button>`}
        ${w.status === 'RESOLVED' ? html`<button type="button" class="small" @click=${() => setStatus('OPEN')}>Reopen</button>`
            : html`<button type="button" class="small" @click=${() => setStatus('RESOLVED')}>Resolve</button>`}
        <fieldset class="labels"><legend class="visually-hidden">Labels</legend>
            ${state.labels.map((l) => html`<label class="label ${labelled.has(l.id) ? 'on' : ''}">
                <input type="checkbox" .checked=${labelled.has(l.id)} @change=${(e) => toggleLabel(l.id, e.target.checked)}>
                ${dot(l.color)}${l.name}</label>`)}
        </fieldset>
    </div>`;
}

function contactView(conversation) {
    const contact = state.contact;
    const info = contact?.info || {};
    const name = [info.name?.first, info.name?.last].filter(Boolean).join(' ');
    const email = info.emails?.items?.[0]?.email || '';
    const phone = info.phones?.items?.[0]?.phone || '';
    return html`<aside class="contact" aria-label="Contact">
        <h2>${contact ? name || email || 'Contact' : conversation?.participantDisplayData?.name || 'Visitor'}</h2>
        ${contact ? (state.editingContact ? html`<form class="contact-form" @submit=${saveContact}>
                <label>First name <input name="first" .value=${info.name?.first || ''}></label>
                <label>Last name <input name="last" .value=${info.name?.last || ''}></label>
                <label>Email <input name="email" type="email" .value=${email}></label>
                <label>Phone <input name="phone" type="tel" .value=${phone}></label>
                <label>Company <input name="company" .value=${info.company || ''}></label>
                <div class="row"><button type="submit" class="small">Save</button>
                    <button type="button" class="small secondary" @click=${() => update({editingContact: false})}>Cancel</button></div>
            </form>` : html`<dl class="facts">
                <dt>Email</dt><dd>${(info.emails?.items || []).map((e) => html`<div>${e.email}</div>`)}${email ? nothing : '—'}</dd>
                <dt>Phone</dt><dd>${(info.phones?.items || []).map((p) => html`<div>${p.phone}</div>`)}${phone ? nothing : '—'}</dd>
                <dt>Company</dt><dd>${info.company || '—'}</dd>
                <dt>Last activity</dt><dd>${contact.lastActivity?.activityDate
                    ? new Date(contact.lastActivity.activityDate).toLocaleString() : '—'}</dd>
                <dt>Contact since</dt><dd>${new Date(contact.createdDate).toLocaleDateString()}</dd>
            </dl>
            <button type="button" class="small secondary" @click=${() => update({editingContact: true})}>Edit</button>`)
        : html`<p class="hint">An anonymous visitor: no contact yet.</p>
            <dl class="facts"><dt>First seen</dt><dd>${conversation?.createdDate
                ? new Date(conversation.createdDate).toLocaleString() : '—'}</dd></dl>`}
        <h3>Pages visited</h3>
        ${state.visitedPages.length === 0 ? html`<p class="hint">The widget has reported no page.</p>` : html`<ul class="pages">
            ${state.visitedPages.map((p) => html`<li>${safeUrl(p.url) ? html`<a href=${safeUrl(p.url)} target="_blank"
                rel="noopener noreferrer" title=${p.url}>${p.title || p.url}</a>` : p.url}
                <time datetime=${p.viewedDate}>${relativeTime(p.viewedDate)}</time></li>`)}
        </ul>`}
        <h3>Merged conversations</h3>
        ${state.merges.length === 0 ? html`<p class="hint">None merged into this one.</p>` : html`<ul class="merges">
            ${state.merges.map((m) => html`<li>${m.oldConversationIds.length} conversation${
                m.oldConversationIds.length === 1 ? '' : 's'} (${m.messagesMoved} messages), ${
                m.reason.toLowerCase().replaceAll('_', ' ')}, ${new Date(m.mergedDate).toLocaleDateString()}</li>`)}
        </ul>`}
    </aside>`;
}

function settingsView() {
    const owner = isOwner();
    return html`<div class="settings">
        <h2>Settings</h2>
        <section aria-labelledby="people-title">
            <h3 id="people-title">People</h3>
            <table>
                <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th>
                    <th scope="col">Status</th></tr></thead>
                <tbody>${state.people.map((p) => html`<tr>
                    <td>${p.name || '—'}</td><td>${p.email}</td>
                    <td>${owner && p.id !== state.me.userId ? html`<select aria-label="Role of ${p.email}"
                            @change=${(e) => change('PATCH', `/parley/v1/users/${p.id}`, {role: e.target.value})}>
                        ${['OWNER', 'AGENT'].map((r) => html`<option value=${r} ?selected=${p.role === r}>${titleCase(r)}</option>`)}
                        </select>` : titleCase(p.role)}</td>
                    <td>${p.deactivatedDate ? 'Deactivated' : 'Active'}
                        ${owner && p.id !== state.me.userId ? html`<button type="button" class="small secondary"
                            @click=${() => change('PATCH', `/parley/v1/users/${p.id}`, {active: !!p.deactivatedDate})}>${
                            p.deactivatedDate ? 'Reactivate' : 'Deactivate'}</button>` : nothing}</td>
                </tr>`)}</tbody>
            </table>
            ${owner ? html`<form class="inline" @submit=${invite}>
                <label>Invite by email <input name="email" type="email" required></label>
                <label>as <select name="role"><option value="AGENT">Agent</option><option value="OWNER">Owner</option></select></label>
                <button type="submit" class="small">Invite</button>
            </form>
            ${state.invitedLink ? html`<p class="invited" role="status">Pass this one-time link on (valid 7 days):
                <code>${state.invitedLink}</code></p>` : nothing}
            ${state.invitations.length ? html`<ul class="plain">${state.invitations.map((i) => html`<li>Invited ${i.email}
                as ${titleCase(i.role)}, until ${new Date(i.expiresDate).toLocaleDateString()}
                <button type="button" class="small secondary" @click=${() => change('DELETE', `/parley/v1/invitations/${i.id}`)}>
                    Revoke</button></li>`)}</ul>` : nothing}` : nothing}
        </section>
        <section aria-labelledby="teams-title">
            <h3 id="teams-title">Teams</h3>
            <ul class="plain">${state.teams.map((t) => html`<li><strong>${t.name}</strong>
                ${owner ? html`<fieldset class="members"><legend class="visually-hidden">Members of ${t.name}</legend>
                    ${state.people.map((p) => html`<label><input type="checkbox" .checked=${t.memberIds.includes(p.id)}
                        @change=${(e) => change('PATCH', `/parley/v1/teams/${t.id}`, {memberIds: e.target.checked
                            ? [...t.memberIds, p.id] : t.memberIds.filter((m) => m !== p.id)})}> ${p.name || p.email}</label>`)}
                    </fieldset>
                    <button type="button" class="small secondary" @click=${() => change('DELETE', `/parley/v1/teams/${t.id}`)}>
                        Delete</button>` : html` — ${t.memberIds.map(personName).join(', ') || 'no members'}`}</li>`)}</ul>
            ${owner ? html`<form class="inline" @submit=${addTeam}>
                <label>New team <input name="name" required maxlength="50"></label>
                <button type="submit" class="small">Add team</button></form>` : nothing}
        </section>
        <section aria-labelledby="labels-title">
            <h3 id="labels-title">Labels</h3>
            <ul class="plain">${state.labels.map((l) => html`<li><span class="label">${dot(l.color)}${
                l.name}</span> ${owner ? html`<button type="button" class="small secondary"
                @click=${() => change('DELETE', `/parley/v1/labels/${l.id}`)}>Delete</button>` : nothing}</li>`)}</ul>
            ${owner ? html`<form class="inline" @submit=${addLabel}>
                <label>New label <input name="name" required maxlength="50"></label>
                <label>Colour <input name="color" type="color" value="#2f5bea"></label>
                <button type="submit" class="small">Add label</button></form>` : nothing}
        </section>
        <section aria-labelledby="replies-title">
            <h3 id="replies-title">Canned replies</h3>
            <p class="hint">Type / and the shortcut in the reply box to insert one.</p>
            <ul class="plain">${state.replies.map((r) => html`<li><strong>/${r.shortcut}</strong> ${r.body}
                <button type="button" class="small secondary" @click=${() => change('DELETE', `/parley/v1/canned-replies/${r.id}`)}>
                    Delete</button></li>`)}</ul>
            <form class="inline" @submit=${addReply}>
                <label>Shortcut <input name="shortcut" required pattern="[a-z0-9_\\-]{1,32}" maxlength="32"></label>
                <label>Text <input name="body" required maxlength="4000"></label>
                <button type="submit" class="small">Add canned reply</button></form>
        </section>
    </div>`;
}

function helpView() {
    return html`<div class="overlay" @click=${(e) => e.target === e.currentTarget && update({help: false})}>
        <section class="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <h2 id="help-title">Keyboard shortcuts</h2>
            <dl>${SHORTCUTS.map(([key, what]) => html`<dt><kbd>${key}</kbd></dt><dd>${what}</dd>`)}</dl>
            <button type="button" class="small" @click=${() => update({help: false})}>Close</button>
        </section></div>`;
}

start();
