-- unique: the values of customer_id found more than once
select customer_id as unique_field, count(*) as n_records
from "main"."customers"
where customer_id is not null
group by customer_id
having count(*) > 1
