// The input's helpers, as in Telegram's apps: commands suggested while "/..." is typed, and the
// 📎 menu that sends a location, a photo or a sticker. What is sent goes through the local
// server as a real update (app.js's `act`), exactly as if a Telegram app had sent it.

// A few places to send without typing coordinates: Odense, where the demo is, and two cities.
export const PLACES = [
  { name: "Odense Rådhus", latitude: 55.3959, longitude: 10.3883 },
  { name: "Munke Mose, Odense", latitude: 55.3937, longitude: 10.3806 },
  { name: "Kulturmaskinen, Odense", latitude: 55.3975, longitude: 10.3893 },
  { name: "Københavns Rådhus", latitude: 55.6761, longitude: 12.5683 },
  { name: "Aarhus Domkirke", latitude: 56.1572, longitude: 10.2107 },
];

// "/", then what may still become a command (Telegram: up to 32 letters, digits or "_").
const COMMAND_PREFIX = /^\/[A-Za-z0-9_]{0,32}$/;

function item(label, note, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "menu-item";
  button.textContent = label;
  if (note) button.append(Object.assign(document.createElement("span"), { textContent: note }));
  button.addEventListener("click", onClick);
  return button;
}

/**
 * Wires the suggestions and the attach menu.
 * `act(action, body)` sends as the chosen person; `commands()` is their command menu now.
 */
export function wireComposer({ $, act, commands }) {
  const input = $("input");
  const suggestions = $("suggestions");
  const attachMenu = $("attach-menu");
  let menu = []; // the person's commands, read when "/" starts a message

  // --- Suggestions ------------------------------------------------------------------------

  function hideSuggestions() {
    suggestions.hidden = true;
    suggestions.replaceChildren();
  }

  function drawSuggestions() {
    const typed = input.value;
    if (!COMMAND_PREFIX.test(typed)) return hideSuggestions();
    const matching = menu.filter(({ command }) => `/${command}`.startsWith(typed.toLowerCase()));
    if (!matching.length) return hideSuggestions();
    suggestions.replaceChildren(
      ...matching.map(({ command, description }) =>
        item(`/${command}`, description, () => {
          // As in Telegram, a tapped suggestion is sent at once.
          input.value = "";
          hideSuggestions();
          act("send", { text: `/${command}` });
          input.focus();
        }),
      ),
    );
    suggestions.hidden = false;
  }

  input.addEventListener("input", async () => {
    if (input.value === "/") {
      // Read each time a command starts: the menu changes with the person's role and language.
      menu = await commands().catch(() => []);
    }
    drawSuggestions();
  });
  input.addEventListener("keydown", (event) => {
    if (suggestions.hidden) return;
    const items = [...suggestions.querySelectorAll(".menu-item")];
    const active = items.findIndex((item) => item.classList.contains("active"));
    if (event.key === "Escape") hideSuggestions();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = (active + step + items.length) % items.length;
      items.forEach((item, index) => item.classList.toggle("active", index === next));
      items[next].scrollIntoView({ block: "nearest" });
    }
    if (event.key === "Enter" && active >= 0) {
      // The chosen suggestion is sent, not the letters typed so far.
      event.preventDefault();
      items[active].click();
    }
    if (event.key === "Tab") {
      // Completes the chosen (else the first) suggestion into the input, to edit or send.
      event.preventDefault();
      input.value = items[Math.max(active, 0)].firstChild.textContent;
      drawSuggestions();
    }
  });

  // --- Attach -----------------------------------------------------------------------------

  function closeAttach() {
    attachMenu.hidden = true;
  }

  function openAttach({ location = false } = {}) {
    hideSuggestions();
    $("attach-choices").hidden = location;
    $("location-choices").hidden = !location;
    attachMenu.hidden = false;
  }

  async function sendLocation(latitude, longitude) {
    closeAttach();
    await act("location", { latitude, longitude });
  }

  $("places").replaceChildren(
    ...PLACES.map((place) =>
      item(`📍 ${place.name}`, `${place.latitude.toFixed(4)}, ${place.longitude.toFixed(4)}`, () =>
        sendLocation(place.latitude, place.longitude),
      ),
    ),
  );
  $("coordinates").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const latitude = Number(form.elements.latitude.value);
    const longitude = Number(form.elements.longitude.value);
    form.reset();
    sendLocation(latitude, longitude);
  });
  $("attach-button").addEventListener("click", () => {
    if (attachMenu.hidden) openAttach();
    else closeAttach();
  });
  $("attach-location").addEventListener("click", () => openAttach({ location: true }));
  $("attach-photo").addEventListener("click", async () => {
    closeAttach();
    const caption = input.value.trim();
    input.value = "";
    await act("photo", caption ? { caption } : {});
  });
  $("attach-sticker").addEventListener("click", async () => {
    closeAttach();
    await act("sticker", {});
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeAttach();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#attach-menu, #attach-button, .reply-button")) closeAttach();
    if (!event.target.closest("#suggestions, #input")) hideSuggestions();
  });

  return {
    /** A reply keyboard's "send my location" button: the person picks where they are. */
    askForLocation: () => openAttach({ location: true }),
    hideSuggestions,
  };
}
