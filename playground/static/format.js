// Message text as Telegram shows it: the bot's HTML (only Telegram's subset) or plain text.
// Nothing here assigns innerHTML: every piece is built as a DOM node, so a
// message can never inject markup or script into the page.

// Telegram's HTML tags and what the page draws for them; anything else keeps only its text.
const TAGS = {
  b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u",
  s: "s", strike: "s", del: "s", code: "code", pre: "pre", blockquote: "blockquote",
};
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:", "tg:"]);
// A /command in running text, as Telegram clients make it tappable.
const COMMAND = /(^|[\s(])(\/[A-Za-z0-9_]{1,32})(?=$|[\s.,!?:;)])/g;

function safeHref(href) {
  if (!href) return null;
  try {
    const url = new URL(href, window.location.href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

// A link to a bot with a start parameter (an invitation): Telegram sends "/start <parameter>"
// to the bot as whoever opens it; the page does the same as the chosen person.
function startParameter(href) {
  try {
    const url = new URL(href);
    const start = url.searchParams.get("start");
    return url.hostname === "t.me" && start ? start : null;
  } catch {
    return null;
  }
}

function link(href, onCommand) {
  const a = document.createElement("a");
  const safe = safeHref(href);
  const start = safe ? startParameter(safe) : null;
  if (start && onCommand) {
    a.href = "#";
    a.title = "Open it as the chosen person: sends /start with the link's parameter";
    a.addEventListener("click", (event) => {
      event.preventDefault();
      onCommand(`/start ${start}`);
    });
  } else if (safe) {
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
  }
  return a;
}

function spoiler() {
  const span = document.createElement("span");
  span.className = "spoiler";
  span.title = "Spoiler: click to reveal";
  span.addEventListener("click", () => span.classList.add("revealed"));
  return span;
}

// Text with its /commands turned into buttons that send them.
function textWithCommands(text, onCommand) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(COMMAND)) {
    const start = match.index + match[1].length;
    fragment.append(text.slice(last, start));
    const command = document.createElement("a");
    command.className = "command";
    command.href = "#";
    command.textContent = match[2];
    command.addEventListener("click", (event) => {
      event.preventDefault();
      onCommand(match[2]);
    });
    fragment.append(command);
    last = start + match[2].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

function copyAllowed(source, target, onCommand, inCode) {
  for (const child of source.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(inCode ? child.data : textWithCommands(child.data, onCommand));
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = child.localName;
    let element = null;
    if (tag in TAGS) element = document.createElement(TAGS[tag]);
    else if (tag === "a") element = link(child.getAttribute("href"), onCommand);
    else if (tag === "tg-spoiler" || (tag === "span" && child.classList.contains("tg-spoiler")))
      element = spoiler();
    const code = inCode || tag === "code" || tag === "pre" || tag === "a";
    if (element) {
      copyAllowed(child, element, onCommand, code);
      target.append(element);
    } else {
      copyAllowed(child, target, onCommand, code);
    }
  }
}

/** The bot's HTML as a fragment of safe nodes; only Telegram's tags survive. */
export function fromHtml(html, onCommand) {
  // DOMParser builds an inert document: no scripts run, no images load.
  const parsed = new DOMParser().parseFromString(html.trim(), "text/html");
  const fragment = document.createDocumentFragment();
  copyAllowed(parsed.body, fragment, onCommand, false);
  return fragment;
}

/** What a person typed or pasted, as the bot receives it: a link to a bot with a start
 * parameter is "opened", as Telegram does, so it arrives as "/start <parameter>". */
export function asOpened(text) {
  const start = /^https:\/\/t\.me\/\w+\?start=([A-Za-z0-9_-]{1,64})$/.exec(text);
  return start ? `/start ${start[1]}` : text;
}

/** Plain text, with its /commands tappable. */
export function fromText(text, onCommand) {
  return textWithCommands(text.trim(), onCommand);
}

/** "14:05" in the playground's time zone (Danish Intl would write "14.05"). */
export function clockTime(date, timeZone) {
  return new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone,
  }).format(new Date(date));
}

// The bot's languages as the browser names their ways of writing dates.
const LOCALES = { da: "da-DK", en: "en-GB" };

/** The locale dates are written in for someone the bot speaks `language` with. */
export function localeOf(language) {
  return LOCALES[language] || LOCALES.da;
}

/** "mandag 23. nov. 14:05" (or "Monday 23 Nov 14:05") in the playground's time zone. */
export function dayAndTime(date, timeZone, locale = LOCALES.da) {
  const day = new Intl.DateTimeFormat(locale, {
    weekday: "long", day: "numeric", month: "short", timeZone,
  }).format(date);
  return `${day} ${clockTime(date, timeZone)}`;
}
