// One message as a chat bubble, and the reply keyboard above the input. Pure drawing: what a
// press does is handed in by app.js as callbacks.

import { clockTime, fromHtml, fromText } from "./format.js";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fileUrl(message) {
  return `/playground/files/${message.chat_id}/${message.message_id}`;
}

function readableSize(bytes) {
  if (bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function documentCard(message) {
  const doc = message.document;
  const name = doc.file_name || "file";
  const card = element("a", "file");
  card.href = fileUrl(message);
  card.download = name;
  const extension = name.includes(".") ? name.split(".").pop().slice(0, 4) : "FILE";
  card.append(element("span", "file-icon", extension.toUpperCase()));
  const about = element("span", "file-about");
  about.append(element("span", "file-name", name));
  about.append(element("span", "file-size", `${readableSize(doc.file_size)} · download`));
  card.append(about);
  return card;
}

function media(message) {
  if (message.photo) {
    const image = element("img", "photo");
    image.src = fileUrl(message);
    image.alt = "photo";
    const biggest = message.photo[message.photo.length - 1];
    if (biggest.width && biggest.height) image.style.aspectRatio = `${biggest.width} / ${biggest.height}`;
    return image;
  }
  if (message.document) return documentCard(message);
  if (message.contact) {
    const contact = message.contact;
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(" ");
    return element("div", "contact", `👤 ${name}\n📱 ${contact.phone_number}`);
  }
  if (message.location) {
    const { latitude, longitude } = message.location;
    return element("div", "location", `📍 ${latitude.toFixed(4)}, ${longitude.toFixed(4)}`);
  }
  if (message.sticker) return element("div", "sticker", message.sticker.emoji || "🖼");
  return null;
}

function body(message, onCommand) {
  const text = element("div", "text");
  if (message.from_bot && message.html) text.append(fromHtml(message.html, onCommand));
  else text.append(fromText(message.text ?? message.caption ?? "", onCommand));
  return text.childNodes.length ? text : null;
}

function inlineKeyboard(message, onPress) {
  const rows = message.reply_markup?.inline_keyboard;
  if (!rows?.length) return null;
  const keyboard = element("div", "inline-keyboard");
  for (const row of rows) {
    const line = element("div", "keyboard-row");
    for (const button of row) line.append(inlineButton(message, button, onPress));
    keyboard.append(line);
  }
  return keyboard;
}

function inlineButton(message, button, onPress) {
  if (button.url) {
    const link = element("a", "inline-button", `${button.text} ↗`);
    link.href = button.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }
  const pressable = element("button", "inline-button", button.text);
  pressable.type = "button";
  if (button.callback_data === undefined) {
    pressable.disabled = true;
    pressable.title = "This kind of button does nothing in the playground";
    return pressable;
  }
  pressable.addEventListener("click", async () => {
    pressable.classList.add("pressing");
    try {
      await onPress(message, button);
    } finally {
      pressable.classList.remove("pressing");
    }
  });
  return pressable;
}

/** A bubble (and its inline keyboard) for one message; `actions` = {onPress, onCommand}.
 * `textEdited`: the words changed, so it says "edited" (taking buttons off does not, as in
 * Telegram's apps). */
export function messageElement(message, timeZone, actions, textEdited) {
  const row = element("div", `message ${message.from_bot ? "from-bot" : "from-me"}`);
  row.dataset.messageId = message.message_id;
  const bubble = element("div", "bubble");
  const mediaPart = media(message);
  if (mediaPart) bubble.append(mediaPart);
  const textPart = body(message, actions.onCommand);
  if (textPart) bubble.append(textPart);
  const meta = element("span", "meta");
  if (message.edited && textEdited) meta.append(element("span", "edited", "edited "));
  meta.append(clockTime(message.date, timeZone));
  if (!message.from_bot) meta.append(element("span", "ticks", " ✓✓"));
  bubble.append(meta);
  row.append(bubble);
  const keyboard = inlineKeyboard(message, actions.onPress);
  if (keyboard) row.append(keyboard);
  return row;
}

/** A day chip such as "tirsdag 25. november" (or "Tuesday 25 November" for someone the bot
 * speaks English with), drawn where the day changes. */
export function dayElement(iso, timeZone, locale) {
  const day = new Intl.DateTimeFormat(locale, {
    weekday: "long", day: "numeric", month: "long", timeZone,
  }).format(new Date(iso));
  const chip = element("div", "day");
  chip.append(element("span", "", day));
  return chip;
}

/** The reply keyboard's buttons; `onButton(button)` is called with {text, request_contact, ...}. */
export function replyKeyboardElement(markup, onButton) {
  const keyboard = element("div", "reply-keyboard-rows");
  for (const row of markup.keyboard || []) {
    const line = element("div", "keyboard-row");
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const key = element("button", "reply-button", button.text);
      key.type = "button";
      key.addEventListener("click", () => onButton(button));
      line.append(key);
    }
    keyboard.append(line);
  }
  return keyboard;
}
