// The playground page: people on the left, the chosen person's chat with the bot on the right.
// Chats change only through events pushed over the /_local/events websocket; the HTTP calls
// below are actions (send, press, share) and one-off reads, never a polling loop.

import { dayElement, messageElement, replyKeyboardElement } from "./chat.js";
import { wireComposer } from "./composer.js";
import { asOpened, dayAndTime, localeOf } from "./format.js";
import { api, ROLE_LABELS, peopleList } from "./people.js";

const state = {
  bot: { first_name: "Sammen" },
  people: [],
  selected: null,
  chats: new Map(), // person id -> Map(message id -> message)
  unread: new Map(),
  dismissedKeyboard: new Map(), // person id -> message id of a one-time keyboard already used
  askedAbout: new Set(), // chats of events from people the page did not know
  textEdited: new Set(), // "person:message" whose words changed while this page watched
  timeZone: "Europe/Copenhagen",
  clockOffset: 0, // playground time minus this browser's time, in ms
};

const $ = (id) => document.getElementById(id);
const messagesView = $("messages");

// --- Chats ----------------------------------------------------------------------------------

function chatOf(personId) {
  if (!state.chats.has(personId)) state.chats.set(personId, new Map());
  return state.chats.get(personId);
}

function ordered(personId) {
  return [...chatOf(personId).values()].sort((a, b) => a.message_id - b.message_id);
}

function selectedPerson() {
  return state.people.find((person) => person.id === state.selected);
}

// Dates in the chat are written as the bot writes them to this person: in their language.
function locale() {
  return localeOf(selectedPerson()?.language);
}

function dayKey(iso) {
  return new Date(iso).toLocaleDateString("en-CA", { timeZone: state.timeZone });
}

function bubble(message) {
  const changed = !message.from_bot || state.textEdited.has(`${message.chat_id}:${message.message_id}`);
  return messageElement(message, state.timeZone, messageActions, changed);
}

const messageActions = {
  onPress: (message, button) =>
    act("press", { callback_data: button.callback_data, message_id: message.message_id }),
  onCommand: (command) => act("send", { text: command }),
};

function drawChat() {
  messagesView.replaceChildren();
  let lastDay = null;
  for (const message of ordered(state.selected)) {
    if (message.deleted) continue;
    if (dayKey(message.date) !== lastDay) {
      lastDay = dayKey(message.date);
      messagesView.append(dayElement(message.date, state.timeZone, locale()));
    }
    messagesView.append(bubble(message));
  }
  if (!messagesView.childElementCount) {
    messagesView.append(Object.assign(document.createElement("div"), {
      className: "empty",
      textContent: "No messages yet. Type /start to begin.",
    }));
  }
  drawReplyKeyboard();
  messagesView.scrollTop = messagesView.scrollHeight;
}

// Changes one message in the open chat without redrawing the rest (keeps scroll and focus).
function drawChange(message) {
  const nearBottom =
    messagesView.scrollHeight - messagesView.scrollTop - messagesView.clientHeight < 80;
  const existing = messagesView.querySelector(`[data-message-id="${message.message_id}"]`);
  if (existing && message.deleted) existing.remove();
  else if (existing) existing.replaceWith(bubble(message));
  else if (!message.deleted && !appendNewest(message)) return drawChat();
  drawReplyKeyboard();
  if (nearBottom || !message.from_bot) messagesView.scrollTop = messagesView.scrollHeight;
}

// A message newer than every one shown goes at the end; false when it belongs elsewhere.
function appendNewest(message) {
  const shown = messagesView.querySelectorAll("[data-message-id]");
  const last = shown[shown.length - 1];
  if (!last || Number(last.dataset.messageId) > message.message_id) return false;
  const previous = chatOf(state.selected).get(Number(last.dataset.messageId));
  if (dayKey(previous.date) !== dayKey(message.date)) {
    messagesView.append(dayElement(message.date, state.timeZone, locale()));
  }
  messagesView.append(bubble(message));
  return true;
}

function currentReplyKeyboard(personId) {
  const withKeyboard = ordered(personId).filter((m) => m.from_bot && m.reply_keyboard);
  const latest = withKeyboard[withKeyboard.length - 1];
  if (!latest?.reply_keyboard.keyboard) return null;
  if (state.dismissedKeyboard.get(personId) === latest.message_id) return null;
  return latest;
}

function drawReplyKeyboard() {
  const area = $("reply-keyboard");
  const message = currentReplyKeyboard(state.selected);
  const markup = message?.reply_keyboard;
  $("input").placeholder = markup?.input_field_placeholder || "Message";
  area.hidden = !markup;
  area.replaceChildren(...(markup ? [replyKeyboardElement(markup, pressReplyButton)] : []));
}

async function pressReplyButton(button) {
  const person = selectedPerson();
  const message = currentReplyKeyboard(person.id);
  if (message?.reply_keyboard.one_time_keyboard) {
    state.dismissedKeyboard.set(person.id, message.message_id);
    drawReplyKeyboard();
  }
  if (button.request_contact) await act("contact", { phone_number: person.phone, own: true });
  else if (button.request_location) composer.askForLocation();
  else await act("send", { text: button.text });
}

// --- Actions --------------------------------------------------------------------------------

// For the toast when the local server refuses an action (e.g. a text over 4,096 characters).
const ACTION_NAMES = {
  send: "send that message",
  press: "press that button",
  contact: "share the contact",
  location: "send the location",
  photo: "send the photo",
  sticker: "send the sticker",
};

async function act(action, body) {
  const person = state.selected;
  try {
    await api(`/_local/users/${person}/${action}`, body);
  } catch (error) {
    toast(`Could not ${ACTION_NAMES[action] || action}: ${error.message}`, 5);
  }
}

function toast(text, seconds = 3) {
  const note = Object.assign(document.createElement("div"), { className: "toast", textContent: text });
  $("toasts").append(note);
  setTimeout(() => note.remove(), seconds * 1000);
}

function showCallbackAnswer(personId, answer) {
  if (!answer.text) return;
  if (personId !== state.selected) return;
  if (answer.show_alert) {
    $("alert-text").textContent = answer.text;
    $("alert").showModal();
  } else {
    toast(answer.text);
  }
}

// --- People ---------------------------------------------------------------------------------

const panel = peopleList({
  list: $("people"),
  onSelect: (id) => select(id),
  lastMessage: (id) => ordered(id).filter((m) => !m.deleted).pop(),
  unread: (id) => state.unread.get(id) || 0,
  timeZone: () => state.timeZone,
});

function drawChatHead() {
  const person = selectedPerson();
  $("chat-title").textContent = state.bot.first_name;
  $("chat-sub").textContent =
    `bot · you are ${person.first_name} ${person.last_name || ""}`.trim() +
    ` (${ROLE_LABELS[person.kind] || person.kind})`;
}

function select(personId) {
  state.selected = personId;
  state.unread.set(personId, 0);
  window.location.hash = String(personId);
  drawChatHead();
  $("menu").hidden = true;
  composer.hideSuggestions();
  panel.draw(state.people, state.selected);
  drawChat();
  drawTime();
  document.querySelector(".person.selected")?.scrollIntoView({ block: "nearest" });
  $("input").focus();
}

// Roles and languages are the bot's to change (a sign-up, /language, /delete): after the bot
// answers, the panel reads them again, once things are quiet.
let peopleRefresh = null;

function refreshPeopleSoon() {
  clearTimeout(peopleRefresh);
  peopleRefresh = setTimeout(async () => {
    const before = JSON.stringify(state.people);
    const localeBefore = locale();
    await loadPeople().catch(() => {});
    if (JSON.stringify(state.people) === before || !selectedPerson()) return;
    panel.draw(state.people, state.selected);
    drawChatHead();
    drawTime();
    if (locale() !== localeBefore) drawChat();
  }, 250);
}

async function loadTranscript(personId) {
  const { messages } = await api(`/_local/chats/${personId}`);
  const chat = chatOf(personId);
  chat.clear();
  for (const message of messages) chat.set(message.message_id, message);
}

// The languages come from the bot (kernel/texts.py), each named in itself.
function drawLanguages(languages) {
  const choice = $("language-code");
  if (choice.options.length) return;
  choice.replaceChildren(
    ...languages.map(({ code, name }) => {
      const option = document.createElement("option");
      option.value = code;
      option.textContent = name;
      return option;
    }),
  );
}

// A fresh installation's setup link (none while the coordinator persona is configured):
// opened as the chosen person, as Telegram opens a link to the bot.
function drawSetupLink(link) {
  $("setup-link").hidden = !link;
  if (!link) return;
  const open = $("setup-link-open");
  open.textContent = link;
  open.onclick = (event) => {
    event.preventDefault();
    if (state.selected) act("send", { text: asOpened(link) });
  };
}

async function loadPeople() {
  const { bot, people, languages, setup_link: setupLink } = await api("/playground/people");
  drawLanguages(languages);
  drawSetupLink(setupLink);
  const known = new Set(state.people.map((person) => person.id));
  state.bot = bot;
  state.people = people;
  await Promise.all(people.filter((p) => !known.has(p.id)).map((p) => loadTranscript(p.id)));
}

async function addPerson(event) {
  event.preventDefault();
  const form = event.target;
  const person = await api("/playground/people", {
    first_name: form.elements.first_name.value,
    language_code: form.elements.language_code.value,
  }).catch((error) => toast(`Could not add that person: ${error.message}`));
  if (!person) return;
  form.reset();
  form.hidden = true;
  await loadPeople();
  select(person.id);
}

// --- Time -----------------------------------------------------------------------------------

function setTime({ now, timezone }) {
  state.timeZone = timezone;
  state.clockOffset = new Date(now).getTime() - Date.now();
  drawTime();
}

function drawTime() {
  const now = new Date(Date.now() + state.clockOffset);
  $("clock-now").textContent = dayAndTime(now, state.timeZone, locale());
}

async function moveTime(step, button) {
  button.disabled = true;
  try {
    setTime(await api("/playground/time", { step }));
    toast(`The clock moved ${step === "day" ? "one day" : "one hour"} forward.`);
  } catch (error) {
    toast(`The clock did not move: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

// --- Commands menu --------------------------------------------------------------------------

async function toggleMenu() {
  const menu = $("menu");
  if (!menu.hidden) {
    menu.hidden = true;
    return;
  }
  const { commands } = await api(`/playground/people/${state.selected}/commands`);
  menu.replaceChildren(
    ...commands.map(({ command, description }) => {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "menu-item";
      item.textContent = `/${command}`;
      item.append(Object.assign(document.createElement("span"), { textContent: description }));
      item.addEventListener("click", () => {
        menu.hidden = true;
        act("send", { text: `/${command}` });
      });
      return item;
    }),
  );
  if (!commands.length) menu.textContent = "The bot has set no commands.";
  menu.hidden = false;
}

// --- Events ---------------------------------------------------------------------------------

// Events that arrive while the chats are being read again wait here, then apply in order.
let heldBack = null;

async function onEvent(event) {
  if (heldBack) {
    heldBack.push(event);
    return;
  }
  if (event.kind === "callback_answer") return showCallbackAnswer(event.chat_id, event.answer);
  // A chat the page does not know: perhaps a new person added in another tab (asked once).
  if (!state.people.some((p) => p.id === event.chat_id) && !state.askedAbout.has(event.chat_id)) {
    state.askedAbout.add(event.chat_id);
    await loadPeople();
  }
  const message = event.message;
  const before = chatOf(event.chat_id).get(message.message_id);
  const isNew = before === undefined;
  const words = (m) => `${m.html ?? ""}|${m.text ?? ""}|${m.caption ?? ""}`;
  if (event.kind === "edited" && before && words(before) !== words(message)) {
    state.textEdited.add(`${event.chat_id}:${message.message_id}`);
  }
  chatOf(event.chat_id).set(message.message_id, message);
  if (message.from_bot) refreshPeopleSoon();
  if (event.chat_id === state.selected) drawChange(message);
  else if (isNew && message.from_bot) {
    state.unread.set(event.chat_id, (state.unread.get(event.chat_id) || 0) + 1);
  }
  panel.draw(state.people, state.selected);
}

// Reconnects with growing pauses; after a reconnect the chats are read again, since events
// sent while the socket was down are gone.
function connect(delay = 500) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${window.location.host}/_local/events`);
  let nextDelay = delay;
  socket.addEventListener("open", async () => {
    nextDelay = 500;
    document.body.dataset.connected = "yes";
    $("connection").textContent = "reading the chats…";
    await resync();
  });
  socket.addEventListener("message", (message) => onEvent(JSON.parse(message.data)));
  socket.addEventListener("close", () => {
    document.body.dataset.connected = "no";
    $("connection").textContent = `offline, retrying in ${Math.round(nextDelay / 1000)} s`;
    setTimeout(() => connect(Math.min(nextDelay * 2, 10000)), nextDelay);
  });
}

async function resync() {
  heldBack = [];
  try {
    // The bot may still be starting (503): wait for it rather than show an empty page.
    while (!(await loadPeople().then(() => true, () => false))) {
      // A closed socket reconnects and reads everything again itself.
      if (document.body.dataset.connected !== "yes") return;
      $("connection").textContent = "waiting for the bot…";
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    $("connection").textContent = "live";
    await Promise.all(state.people.map((person) => loadTranscript(person.id)));
    setTime(await api("/playground/time"));
  } finally {
    const events = heldBack;
    heldBack = null;
    for (const event of events) await onEvent(event);
  }
  if (state.selected === null || !selectedPerson()) {
    const fromHash = Number(window.location.hash.slice(1));
    state.selected = state.people.some((p) => p.id === fromHash) ? fromHash : state.people[0].id;
  }
  select(state.selected);
}

// --- Start ----------------------------------------------------------------------------------

const composer = wireComposer({
  $,
  act,
  commands: async () => (await api(`/playground/people/${state.selected}/commands`)).commands,
});

function wire() {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("input").value.trim();
    if (!text) return;
    $("input").value = "";
    composer.hideSuggestions();
    act("send", { text: asOpened(text) });
  });
  $("menu-button").addEventListener("click", toggleMenu);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") $("menu").hidden = true;
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#menu, #menu-button")) $("menu").hidden = true;
  });
  for (const button of document.querySelectorAll("[data-step]")) {
    button.addEventListener("click", () => moveTime(button.dataset.step, button));
  }
  $("add-person").addEventListener("click", () => {
    $("new-person").hidden = !$("new-person").hidden;
    if (!$("new-person").hidden) $("new-person").elements.first_name.focus();
  });
  $("new-person").addEventListener("submit", addPerson);
  $("alert-ok").addEventListener("click", () => $("alert").close());
  // Another tab may have moved the clock; read it again when this one comes back.
  document.addEventListener("visibilitychange", async () => {
    if (!document.hidden) setTime(await api("/playground/time"));
  });
  // The clock display follows real time between moves; this reads no server.
  setInterval(drawTime, 15000);
}

wire();
connect();
