-- not_null: the rows whose customer_id is null
select customer_id
from "main"."orders"
where customer_id is null
