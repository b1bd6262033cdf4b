-- not_null: the rows whose customer_id is null
select customer_id
from "main"."customers"
where customer_id is null
