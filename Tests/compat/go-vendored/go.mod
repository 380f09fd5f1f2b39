module example.com/compat/greeter

go 1.19

require example.com/compat/greeting v1.2.0
