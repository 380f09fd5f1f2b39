// Shared container parts land here (moved from PaasBuild).
