"""The kinds of buttons of each journey, shared by the handlers and the notices that send them."""
