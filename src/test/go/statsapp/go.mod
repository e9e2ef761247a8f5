module gostatsapp

go 1.19
