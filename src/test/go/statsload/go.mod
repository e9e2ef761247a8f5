module gostatsload

go 1.19
