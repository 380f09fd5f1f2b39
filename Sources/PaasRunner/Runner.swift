// The runner's parts land here (DESIGN.md §6).
