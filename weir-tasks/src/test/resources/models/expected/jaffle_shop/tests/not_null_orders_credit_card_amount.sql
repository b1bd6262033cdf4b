-- not_null: the rows whose credit_card_amount is null
select credit_card_amount
from "main"."orders"
where credit_card_amount is null
