// The business dashboard: sign-in, the inbox list, a conversation and the reply box, kept live by the
// site's event stream. It is a client of Parley's own API (the session cookie stands for the API key).
// State lives in one object; every change re-renders the whole view, which lit-html turns into the few
// DOM updates it needs.
import {html, nothing, render, messageView, mergeMessages, formatTime} from './render.js';

const state = {
    me: null,            // {userId, siteId, siteName, csrfToken} once signed in
    signInError: null,
    conversations: [],
    selectedId: null,
    messages: [],
    connected: true,     // false while the live stream is down: the banner shows
    sending: false,
    error: null,
};

const root = document.getElementById('app');
root.replaceChildren(); // the static "Loading…" placeholder; lit-html renders into an empty container
const update = (changes = {}) => {
    Object.assign(state, changes);
    render(view(), root);
};

async function api(method, path, body) {
    const headers = {'Accept': 'application/json'};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && state.me) headers['X-CSRF-Token'] = state.me.csrfToken;
    const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
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

// ---- signing in and out

async function start() {
    try {
        update({me: await api('GET', '/parley/v1/dashboard/me')});
        connect();
    } catch (e) {
        update({me: null});
    }
}

async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
        const me = await api('POST', '/parley/v1/dashboard/sign-in',
            {email: form.get('email'), password: form.get('password')});
        update({me, signInError: null});
        connect();
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

async function loadInbox() {
    const page = await api('GET', '/parley/v1/conversations?limit=100');
    update({conversations: page.conversations});
}

async function loadConversation() {
    const id = state.selectedId;
    if (!id) return;
    const page = await api('GET', `/inbox/v2/messages?conversationId=${encodeURIComponent(id)}`
        + '&visibility=BUSINESS&paging.limit=100&sorting.order=DESC');
    if (state.selectedId !== id) return;
    const messages = page.messages.slice().reverse();
    update({messages: mergeMessages([], messages)});
    root.querySelector('.messages')?.lastElementChild?.scrollIntoView({block: 'end'});
    const newest = messages[messages.length - 1];
    if (newest) {
        await api('POST', `/parley/v1/conversations/${encodeURIComponent(id)}/read`, {readThrough: newest.sequence});
    }
}

async function openConversation(conversationId) {
    update({selectedId: conversationId, messages: [], error: null});
    await loadConversation();
    await loadInbox();
    document.getElementById('reply-text')?.focus();
}

async function reply(event) {
    event.preventDefault();
    const form = event.target;
    const text = form.elements.text.value.trim();
    if (!text || !state.selectedId) return;
    const internal = form.elements.internal.checked;
    update({sending: true, error: null});
    try {
        const sent = await api('POST', '/inbox/v2/messages', {
            conversationId: state.selectedId,
            message: {
                content: {basic: {items: [{text}]}, previewText: text.slice(0, 100)},
                direction: 'BUSINESS_TO_PARTICIPANT',
                visibility: internal ? 'BUSINESS' : 'BUSINESS_AND_PARTICIPANT',
            },
        });
        form.elements.text.value = '';
        update({messages: mergeMessages(state.messages, [sent.message])});
    } catch (e) {
        update({error: `Not sent: ${e.message}`});
    } finally {
        update({sending: false});
    }
}

// ---- live: the site's event stream. Any event may change the list (a new conversation, a summary, a
// count); one of the open conversation also changes the thread. After a reconnect the whole view is
// reloaded, so whatever happened while the stream was down is shown.

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
        } catch (e) {
            if (e.status === 401) update({me: null});
        }
    }, 50);
}

// ---- views

function view() {
    if (!state.me) return signInView();
    const selected = state.conversations.find((c) => c.id === state.selectedId);
    return html`
        <header class="topbar">
            <span class="brand">Parley</span><span class="site">${state.me.siteName}</span>
            <button type="button" class="link" @click=${signOut}>Sign out</button>
        </header>
        ${state.connected ? nothing : html`<div class="banner" role="status">Connection lost — reconnecting…</div>`}
        <div class="panes">
            <nav class="inbox" aria-label="Conversations">
                <ul>${state.conversations.map(conversationItem)}</ul>
                ${state.conversations.length === 0 ? html`<p class="empty">No conversations yet.</p>` : nothing}
            </nav>
            <section class="thread" aria-label="Conversation">
                ${state.selectedId ? threadView(selected) : html`<p class="empty">Choose a conversation.</p>`}
            </section>
        </div>`;
}

function signInView() {
    return html`<form class="sign-in" @submit=${signIn}>
        <h1>Parley</h1>
        <label>Email <input name="email" type="email" autocomplete="username" required></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
        ${state.signInError ? html`<p class="error" role="alert">${state.signInError}</p>` : nothing}
        <button type="submit">Sign in</button>
    </form>`;
}

function conversationItem(c) {
    const unread = c.unreadCount || 0;
    return html`<li>
        <button type="button" class="conversation ${c.id === state.selectedId ? 'selected' : ''}"
                data-conversation-id=${c.id} aria-current=${c.id === state.selectedId ? 'true' : 'false'}
                @click=${() => openConversation(c.id)}>
            <span class="name">${c.participantDisplayData?.name}</span>
            <time>${formatTime(c.lastActivityDate)}</time>
            <span class="preview">${c.previewText || ''}</span>
            ${c.channel && c.channel !== 'UNKNOWN_CHANNEL_TYPE' ? html`<span class="channel">${c.channel.toLowerCase()}</span>` : nothing}
            ${c.badge ? html`<span class="badge">${c.badge.text}</span>` : nothing}
            ${unread > 0 ? html`<span class="unread" aria-label="${unread} unread">${unread >= 100 ? '99+' : unread}</span>` : nothing}
        </button></li>`;
}

function threadView(conversation) {
    return html`
        <h2>${conversation?.participantDisplayData?.name || 'Conversation'}</h2>
        <ol class="messages">${state.messages.map((m) => messageView(m, {viewer: 'business'}))}</ol>
        <form class="reply" @submit=${reply}>
            <label for="reply-text" class="visually-hidden">Reply</label>
            <textarea id="reply-text" name="text" rows="3" placeholder="Write a reply…" required
                      @keydown=${submitOnEnter}></textarea>
            <label class="internal-toggle"><input type="checkbox" name="internal"> Internal note</label>
            ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : nothing}
            <button type="submit" ?disabled=${state.sending}>Send</button>
        </form>`;
}

/** Enter sends, Shift+Enter starts a new line. */
function submitOnEnter(event) {
    if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        event.target.form.requestSubmit();
    }
}

start();
