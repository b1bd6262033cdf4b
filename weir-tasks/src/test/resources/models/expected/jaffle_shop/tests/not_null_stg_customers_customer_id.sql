-- not_null: the rows whose customer_id is null
select customer_id
from "main"."stg_customers"
where customer_id is null
