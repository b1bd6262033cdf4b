-- not_null: the rows whose bank_transfer_amount is null
select bank_transfer_amount
from "main"."orders"
where bank_transfer_amount is null
