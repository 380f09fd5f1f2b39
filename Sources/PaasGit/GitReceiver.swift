// Placeholder: the git receiver lands here.
