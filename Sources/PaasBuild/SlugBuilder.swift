// Placeholder: the slugbuilder lands here.
