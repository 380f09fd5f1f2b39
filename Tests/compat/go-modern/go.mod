module example.com/compat/modern

go 1.22
