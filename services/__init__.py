"""What people and jobs do: one unit of work per action, returning an outcome."""
