// The side panel's list of people, and the one helper every HTTP call of the page goes through.

import { clockTime } from "./format.js";

// What the server says a person is, from what the bot has stored about them.
export const ROLE_LABELS = {
  volunteer: "volunteer",
  support: "support person",
  coordinator: "coordinator",
  signing_up: "signing up",
  new: "new person",
};
// Headings above the first person of each group in the list.
const GROUP_HEADINGS = { demo: "Demo people (--demo)", new: "New people" };

/** GET (no body) or POST (a JSON body) to the playground server; the JSON answer or an Error. */
export async function api(path, body) {
  const options = body === undefined
    ? {}
    : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, options);
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `${response.status} ${response.statusText}`);
  return answer;
}

function initials(person) {
  return [person.first_name, person.last_name]
    .filter(Boolean)
    .map((name) => name[0].toUpperCase())
    .join("");
}

function preview(message) {
  if (!message) return "";
  const prefix = message.from_bot ? "" : "You: ";
  if (message.document) return `${prefix}📄 ${message.document.file_name || "file"}`;
  if (message.photo) return `${prefix}🖼 photo`;
  if (message.contact) return `${prefix}👤 contact`;
  if (message.location) return `${prefix}📍 location`;
  if (message.sticker) return `${prefix}${message.sticker.emoji || "🖼"} sticker`;
  return prefix + (message.text || message.caption || "").replace(/\s+/g, " ");
}

function personElement(person, { selected, last, unread, timeZone, onSelect }) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = `person kind-${person.kind}${selected ? " selected" : ""}`;
  button.dataset.personId = person.id;
  button.addEventListener("click", () => onSelect(person.id));

  const avatar = Object.assign(document.createElement("span"), {
    className: "avatar",
    textContent: initials(person),
  });
  const about = Object.assign(document.createElement("span"), { className: "about" });
  const top = Object.assign(document.createElement("span"), { className: "about-top" });
  top.append(
    Object.assign(document.createElement("span"), {
      className: "name",
      textContent: `${person.first_name} ${person.last_name || ""}`.trim(),
    }),
    Object.assign(document.createElement("span"), {
      className: "when",
      textContent: last ? clockTime(last.date, timeZone) : "",
    }),
  );
  const bottom = Object.assign(document.createElement("span"), { className: "about-bottom" });
  bottom.append(
    Object.assign(document.createElement("span"), {
      className: "preview",
      textContent: preview(last) || "no messages yet",
    }),
  );
  if (unread) {
    bottom.append(
      Object.assign(document.createElement("span"), {
        className: "badge",
        textContent: String(unread),
        title: `${unread} unread`,
      }),
    );
  }
  const role = Object.assign(document.createElement("span"), {
    className: "role",
    textContent: ROLE_LABELS[person.kind] || person.kind,
  });
  about.append(top, role, bottom);
  button.append(avatar, about);
  item.append(button);
  return item;
}

/** The list; `draw(people, selectedId)` redraws it from what the page knows. */
export function peopleList({ list, onSelect, lastMessage, unread, timeZone }) {
  return {
    draw(people, selectedId) {
      const items = [];
      let group = "persona";
      for (const person of people) {
        if (person.group !== group && GROUP_HEADINGS[person.group]) {
          items.push(Object.assign(document.createElement("li"), {
            className: "group-heading",
            textContent: GROUP_HEADINGS[person.group],
          }));
        }
        group = person.group;
        items.push(personElement(person, {
          selected: person.id === selectedId,
          last: lastMessage(person.id),
          unread: unread(person.id),
          timeZone: timeZone(),
          onSelect,
        }));
      }
      list.replaceChildren(...items);
    },
  };
}
