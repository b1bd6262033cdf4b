-- not_null: the rows whose gift_card_amount is null
select gift_card_amount
from "main"."orders"
where gift_card_amount is null
