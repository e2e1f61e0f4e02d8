"""Handler groups: python-telegram-bot runs at most one handler per group, lowest first."""

PRIVATE_CHATS_ONLY = -4  # stops updates from groups and channels
EDITED_MESSAGES = -3  # an edit never counts as an answer
VISIT = -2  # reads the person from the database for every later handler
CONSENT_RENEWAL = -1  # asks volunteers to agree again when the consent text changed
JOURNEYS = 0  # commands and conversations; the fallback answers come last in this group
OWED_LEAD = 1  # after the answer: a new person whose plain /start was answered is stored
MENUS = 2  # after every journey: the writer's command menu follows their role (issue 13)
